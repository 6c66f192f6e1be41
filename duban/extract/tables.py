"""Tables written as text: pipe rows ("a | b"), tab-separated cells, or one cell per line after a caption.

Word and HTML tables reach here as pipe rows (see reader.py), so one set of parsers serves all formats.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.headings import detect

_CAPTION = re.compile(r"^\s*(?:附)?表\s*[\d一二三四五六七八九十]+(?:[-.、:．\s]|$)")
_HEADER_WORD = re.compile(r"^(?:序号|编号|指标名称|指标|年度|年份|重点任务|工作任务|主要任务)$")
_ATTACHMENT = re.compile(r"^\s*(?:附件|附表)\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$")


@dataclass
class TextTable:
    """A table found in the text: its caption (as written), rows of cells, and the lines it covered."""

    caption: str | None
    rows: list[list[str]] = field(default_factory=list)
    start: int = 0
    end: int = 0


def _cells(orig: str, framed: bool) -> list[str]:
    cells = [c.strip() for c in re.split(r"[|｜]", orig)]
    while cells and not cells[-1]:
        cells.pop()
    if framed and cells and not cells[0] and orig.lstrip().startswith(("|", "｜")):
        cells.pop(0)
    return cells


def _caption_before(lines: list[tuple[str, str]], start: int) -> str | None:
    k = start - 1
    while k >= 0 and not lines[k][0].strip():
        k -= 1
    if k < 0:
        return None
    text = lines[k][0].strip()
    if _ATTACHMENT.match(text) or len(text) > 60 or text.endswith("。") or "|" in text:
        return None
    return text


def find_tables(lines: list[tuple[str, str]]) -> list[TextTable]:
    """All text tables, in order, as (orig, norm) line ranges that do not overlap."""
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        found = _pipe_table(lines, i) or _tab_table(lines, i) or _cell_table(lines, i)
        if found:
            tables.append(found)
            i = found.end
        else:
            i += 1
    return tables


def _pipe_table(lines, i) -> TextTable | None:
    if "|" not in lines[i][1]:
        return None
    j = i
    rows = []
    framed = lines[i][1].lstrip().startswith("|")
    while j < len(lines):
        if "|" not in lines[j][1]:
            bridge = _bridge(lines, j, rows)
            if not bridge:
                break
            if lines[j][1].strip():
                rows.append([lines[j][0].strip()])
            j += 1
            continue
        cells = _cells(lines[j][0], framed)
        if any(cells):
            rows.append(cells)
        j += 1
    if sum(1 for r in rows if len([c for c in r if c]) >= 2) < 2:
        return None
    return TextTable(_caption_before(lines, i), rows, i, j)


def _bridge(lines, j, rows) -> bool:
    """A line without pipes inside a pipe table: a blank line or a short section row ("二、居家社区") between rows."""
    if not rows or j + 1 >= len(lines):
        return False
    text = lines[j][1].strip()
    nxt = lines[j + 1][1]
    if "|" not in nxt or len(_cells(lines[j + 1][0], False)) < 2:
        return False
    if not text:  # only a blank inside a run of numbered rows, never between two tables
        following = _cells(lines[j + 1][0], False)
        return len(following) == len(rows[-1]) and bool(re.fullmatch(r"\d{1,3}", following[0].strip()))
    return len(text) <= 30 and not re.search(r"[。;:,]", text) and not _CAPTION.match(text) and len(rows[0]) >= 3


def _tab_table(lines, i) -> TextTable | None:
    orig = lines[i][0]
    if orig.count("\t") >= 2 and not orig.startswith("\t"):
        j, rows = i, []
        while j < len(lines) and lines[j][0].count("\t") >= 1 and lines[j][0].strip():
            rows.append([c.strip() for c in lines[j][0].split("\t")])
            j += 1
        return TextTable(_caption_before(lines, i), rows, i, j) if len(rows) >= 2 else None
    if not orig.startswith("\t") or not orig.strip():
        return None
    rows: list[list[str]] = []
    row: list[str] = []
    j = i
    last_blank = False
    while j < len(lines):
        text = lines[j][0]
        if not text.strip():
            if row:
                rows.append(row)
                row = []
            last_blank = True
        elif text.startswith("\t"):
            parts = text.split("\t")[1:]
            row.extend(p.strip() for p in parts)
            last_blank = False
        elif not last_blank and row:
            row[-1] += text.strip()
        else:
            break
        j += 1
    if row:
        rows.append(row)
    while j > i and not lines[j - 1][0].strip():
        j -= 1
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    return TextTable(_caption_before(lines, i), rows, i, j)


def _short_cell(orig: str, norm: str) -> bool:
    text = norm.strip()
    if not text or len(text) > 60 or text.endswith("。") or "|" in text:
        return False
    label = detect(norm, orig)
    return label is None or label.style not in ("cn_comma", "cn_paren", "chapter")


_PURE_NUMBER = re.compile(r"^[\d.,%‰≥≤><≧≦~～+\-]+$")


def _numeric(text: str) -> bool:
    return bool(re.search(r"\d", text)) and len(re.findall(r"[\u4e00-\u9fff]", text)) <= 2


def _best_width(texts: list[str]) -> int:
    """The column count that makes the cells after the header line up into rows of one type per column."""
    best, best_score = 0, 0.0
    for n in range(2, 11):
        header = texts[:n]
        if len(header) < n or any(_PURE_NUMBER.match(h.replace(" ", "")) for h in header):
            break
        rows = [texts[k:k + n] for k in range(n, len(texts) - n + 1, n)]
        if not rows:
            break
        score = 0.0
        for j in range(n):
            p = sum(_numeric(r[j]) for r in rows) / len(rows)
            score += max(p, 1 - p)
        score /= n
        if not any(_numeric(c) for r in rows for c in r):
            continue
        if score > best_score + 1e-9:
            best, best_score = n, score
    return best if best_score >= 0.8 else 0


def _cell_table(lines, i) -> TextTable | None:
    norm = lines[i][1].strip()
    caption = None
    k = i
    if _CAPTION.match(norm):
        caption = lines[i][0].strip()
        k = i + 1
    elif not _HEADER_WORD.match(norm):
        return None
    cells: list[tuple[str, int]] = []
    while k < len(lines):
        o, n = lines[k]
        if not n.strip():
            k += 1
            continue
        if _CAPTION.match(n.strip()) or not _short_cell(o, n):
            break
        cells.append((o.strip(), k))
        k += 1
    texts = [t for t, _ in cells]
    ncols = _best_width(texts)
    if not ncols:
        return None
    rows = [texts[:ncols]]
    last_line = cells[ncols - 1][1]
    pos = ncols
    while pos + ncols <= len(cells):
        rows.append(texts[pos:pos + ncols])
        last_line = cells[pos + ncols - 1][1]
        pos += ncols
    if caption is None:
        caption = _caption_before(lines, i)
    return TextTable(caption, rows, i, last_line + 1)
