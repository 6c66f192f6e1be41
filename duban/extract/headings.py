"""Numbered headings and items: 一、 (一) 1. (1) ① 第一章, in half- or full-width forms.

A style names the numbering form; the outline nests styles in the order a document first uses them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from duban.extract.normalize import bracket_depths, find_outside

_CN = "一二三四五六七八九十百零〇两"
_STYLES: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第[{_CN}\d]+(?:章|篇|部分)")),
    ("section", re.compile(rf"^第[{_CN}\d]+节")),
    ("article", re.compile(rf"^第[{_CN}\d]+条")),
    ("cn_comma", re.compile(rf"^[{_CN}]+[、.](?!\d)")),
    ("cn_paren", re.compile(rf"^\([{_CN}]+\)")),
    ("dotted", re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?(?![\d%])\.?")),
    ("num_dot", re.compile(r"^\d{1,2}(?:\.(?![\d%])|、)")),
    ("num_paren", re.compile(r"^\(\d{1,2}\)")),
    ("num_half_paren", re.compile(r"^\d{1,2}\)")),
    ("circled", re.compile(r"^[\u2460-\u2473\u2776-\u277f]")),
]
_NOT_HEADING_AFTER = re.compile(r"^\s*(?:[|%‰]|\d|[年月日号个万亿元岁])")


@dataclass
class Label:
    """The numbering at the start of a line: its style, the label as written and where the rest starts."""

    style: str
    written: str
    number: str
    rest_at: int


def detect(norm: str, orig: str) -> Label | None:
    """The heading label opening a line, or None for an unnumbered line."""
    lead = len(norm) - len(norm.lstrip())
    body = norm[lead:]
    for style, rx in _STYLES:
        m = rx.match(body)
        if not m:
            continue
        end = lead + m.end()
        rest = norm[end:]
        if not rest.strip():
            return None
        # "一、年度目标" and "(一)年度…" are headings; only a bare "1." or "一." may be a number ("1.5年")
        unambiguous = style in ("chapter", "section", "article", "cn_paren") or (
            style == "cn_comma" and m.group(0).endswith("、"))
        if _NOT_HEADING_AFTER.match(rest) and not (unambiguous and not re.match(r"\s*[|%‰\d]", rest)):
            return None
        written = orig[lead:end]
        cut = end
        while cut > lead and norm[cut - 1] in ".、 \t":
            cut -= 1
        number = orig[lead:cut].strip()
        while end < len(norm) and norm[end] in " \t":
            end += 1
        return Label(style, written, number, end)
    return None


def first_sentence_end(norm: str, start: int = 0) -> int:
    """Index just after the first full stop outside brackets and quotes (len(norm) when none)."""
    if "。" not in norm:
        return len(norm)
    i = find_outside(norm, "。", start)
    return i + 1 if i >= 0 else len(norm)


def heading_title_end(norm: str, start: int) -> int:
    """Where an inline heading's own sentence ends: the first 。 or a short lead-in ending in a colon."""
    end = first_sentence_end(norm, start)
    if ":" not in norm[start:min(end, start + 26)]:
        return end
    depths = bracket_depths(norm)
    for i in range(start, min(end, start + 26)):
        if norm[i] == ":" and depths[i] == 0 and i > start + 1 and i + 1 < len(norm.rstrip()):
            head = norm[start:i]
            if not re.search(r"(单位|部门|时限|时间)$", head):
                return i + 1
    return end


def strip_end_punct(text: str) -> str:
    """Drop the closing 。 (or colon/semicolon) a heading or title carries."""
    return re.sub(r"[。．.:：;；,，\s]+$", "", text.strip())
