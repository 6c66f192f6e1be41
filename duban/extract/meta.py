"""Document metadata: jurisdiction, issuer, title, 发文字号, publication date and the plan's period."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from duban.extract.normalize import half
from duban.extract.vocabulary import (
    NATIONAL_ISSUERS,
    PLACE_SUFFIXES,
    PROVINCE_SUFFIXES,
    alternation,
)
from duban.rules.numerals import cn_int, cn_year
from duban.rules.plan_periods import PLAN_END

_SUFFIX = rf"(?:{alternation(PLACE_SUFFIXES + PROVINCE_SUFFIXES)})"
_PLACE = rf"[\u4e00-\u9fa5]{{2,6}}?{_SUFFIX}"
_NATIONAL = re.compile(rf"^({alternation(NATIONAL_ISSUERS)})(?:关于|$)")
_STATED_SPAN = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*年?\s*[-—–~至到]+\s*((?:19|20)\d{2})\s*年?\s*[)）]")
_YEARS_FROM = re.compile(r"((?:19|20)\d{2})\s*年起\s*[,，]?\s*(?:用)?\s*(\d{1,2}|[一二三四五六七八九十两]{1,2})\s*年(?:内|时间|左右时间)")
_JOINT_NOTICE = re.compile(rf"^({_PLACE})[\u4e00-\u9fa5、]{{0,60}}?关于印发")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,14}\((?:19|20)\d{2}\)\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE_LINE = re.compile(r"^\s*([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$")
_ANY_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})")
_META_LABELS = {"索引号", "主题分类", "发布日期", "发文字号", "文号", "效力状态", "编辑", "审核", "发布机构", "成文日期",
                "发文机关", "来源", "信息来源", "公文种类", "主题词", "有效性", "生效日期", "发布时间", "印发日期", "发文日期"}
_FIELD = re.compile(r"(?:^|\s)(" + "|".join(sorted(_META_LABELS, key=len, reverse=True)) + r")\s*:\s*(\S[^:]*?)(?=\s+\S{2,5}\s*:|$)")
_PREAMBLE = re.compile(r"^(?:为|根据|按照|依据|依照|结合|近年来|当前|随着)")
_DOC_KIND = re.compile(r"(方案|规划|计划|意见|办法|细则|要点|措施|纲要|清单|决定|通知|行动|若干政策)$")
_ORG_LINE = re.compile(rf"^({_PLACE})(人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅)$")
_NOTICE = re.compile(rf"^({_PLACE})?(省|市|县|区|旗|州|盟)?(人民政府办公室|人民政府办公厅|人民政府|政府办公室)关于")
_AGREED = re.compile(r"经(省|市|县|区|旗|州|盟)?(?:人民)?政府同意")
_NOTE_LINE = re.compile(r"^\((?:此件|此文)[^()]{0,10}\)$")
_SOURCE = re.compile(r"^(?:来源|信息来源|发布机构|发文机关)\s*[:：]\s*(\S+)$")
_FREQ_PLACE = re.compile(r"([\u4e00-\u9fa5]{2})(市|县|旗|盟)")
_BAD_STEM_CHARS = set("全我本各该地省县市区都超特大城一二三四五六七八九十每个两多等和与及或的在对为是有新老中小辖")
_GENERIC_START = set("全我本各该每其此两多")
_GENERIC_STEMS = {"主城", "中心城", "城", "老城", "城乡", "县域", "市域"}


@dataclass
class Meta:
    """What the document says about itself."""

    jurisdiction: str | None
    issuer: str | None
    title: str | None
    doc_number: str | None
    published: date | None
    place_read: bool = True

    @property
    def national(self) -> bool:
        """A plan of the central government (国务院, 国务院办公厅)."""
        return self.jurisdiction == "全国"

    @property
    def flags(self) -> list[dict]:
        """Review notes on the metadata: the jurisdiction was guessed from the body, not read from title or issuer."""
        if self.place_read:
            return []
        return [{"code": "place_guessed", "detail": self.jurisdiction or "未能识别辖区"}]

    @property
    def place_stems(self) -> tuple[str, ...]:
        """The jurisdiction's name without its level (钦州市 -> 钦州), used to tell whole names apart."""
        if not self.jurisdiction or self.jurisdiction == "全国":
            return ()
        return (re.sub(rf"{_SUFFIX}$", "", self.jurisdiction),)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _is_label_value(lines: list[str], k: int) -> bool:
    j = k - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and lines[j].strip() in _META_LABELS


def read_meta(lines: list[str], header_end: int) -> Meta:
    """Read metadata from the text's lines; header_end is the first line of the plan's body."""
    norm = [half(ln).strip() for ln in lines]
    head = norm[:max(header_end, 0)] or norm[:40]
    title = _title(lines, norm, header_end)
    fields = _field_lines(norm)
    national = _national_issuer(fields, title)
    if national:
        return Meta("全国", national, title, _doc_number(lines, norm, head), _published(fields))
    jurisdiction, read = _jurisdiction(fields, title)
    return Meta(jurisdiction, _issuer(fields, jurisdiction), title, _doc_number(lines, norm, head), _published(fields),
                place_read=read)


def _national_issuer(norm: list[str], title: str | None) -> str | None:
    """国务院 / 国务院办公厅 when the title or a signature line names a national issuer."""
    for text in ([half(title)] if title else []) + norm[:3]:
        m = _NATIONAL.match(text)
        if m:
            return m.group(1)
    for text in norm[-8:]:
        m = _NATIONAL.match(text.strip())
        if m and text.strip() == m.group(1):
            return m.group(1)
    return None


def _field_lines(norm: list[str]) -> list[str]:
    """Lines with a web page's metadata table ("发文字号: | 某政发〔2023〕1号 | 成文日期: | …") read as one
    "label:value" line per field."""
    out: list[str] = []
    for text in norm:
        if "|" not in text:
            pairs = [f"{m.group(1)}:{m.group(2).strip()}" for m in _FIELD.finditer(text)] if ":" in text else []
            out.extend(pairs if len(pairs) >= 2 else [text])  # "发布时间:2022-12-09 来源:某县人民政府办公室"
            continue
        cells = [c.strip() for c in text.split("|")]
        pairs = [f"{c.rstrip(':')}:{cells[k + 1]}" for k, c in enumerate(cells[:-1])
                 if c.rstrip(":").replace(" ", "") in _META_LABELS and cells[k + 1]]
        out.extend(pairs or [text])
    return out


def _doc_number(lines, norm, head) -> str | None:
    for k, text in enumerate(head):
        m = _DOC_NUMBER.search(text)
        if m and (m.group(0) == text or re.match(r"^(?:发文字号|文号)\s*[:：]?", text) or _is_label_value(norm, k)
                  or re.search(r"(?:发文字号|文号)\s*[:：]?\s*$", text[:m.start()])):
            return _slice(lines[k], text, m)
    for k in range(len(norm) - 1, len(head) - 1, -1):  # a 文号 on a line of its own in the closing block
        text = norm[k]
        m = _DOC_NUMBER.search(text)
        if m and re.sub(r"[()\s]", "", text.replace(m.group(0), "")) == "":
            return _slice(lines[k], text, m)
    return None


def _slice(line: str, text: str, m: re.Match) -> str:
    orig = line.strip()
    return orig[m.start():m.end()] if len(orig) == len(text) else m.group(0)


def _published(norm: list[str]) -> date | None:
    for text in norm:
        m = _DATE_LINE.match(text)
        if m:
            d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return d
        m = _CN_DATE_LINE.match(text)
        if m:
            d = _safe_date(cn_year(m.group(1)), cn_int(m.group(2)), cn_int(m.group(3)))
            if d:
                return d
    for k, text in enumerate(norm):
        if re.match(r"^(?:成文日期|发布日期|印发日期|发文日期|发布时间)", text):
            for cand in (text, norm[k + 1] if k + 1 < len(norm) else ""):
                m = _ANY_DATE.search(cand)
                if m:
                    d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    if d:
                        return d
    return None


def _title_ok(text: str) -> bool:
    core = re.sub(r"\([^()]{0,20}\)$", "", half(text))
    return bool(text) and 4 <= len(text) <= 80 and bool(_DOC_KIND.search(core)) and not text.startswith("关于印发")


def _title(lines, norm, header_end) -> str | None:
    limit = header_end if header_end > 0 else min(len(norm), 60)
    for k in range(limit):
        text = norm[k]
        if len(text) > 20 and _PREAMBLE.match(text) and "。" in text:
            parts: list[str] = []
            j = k - 1
            while j >= 0 and (not norm[j] or _DATE_LINE.match(norm[j]) or _CN_DATE_LINE.match(norm[j])
                              or _ORG_LINE.match(norm[j]) or _NOTE_LINE.match(norm[j])):
                j -= 1
            while j >= 0 and norm[j] and len(norm[j]) <= 40 and not re.search(r"[。,;:]", norm[j]) \
                    and not _DATE_LINE.match(norm[j]) and not norm[j].startswith("("):
                parts.insert(0, lines[j].strip())
                j -= 1
                if _title_ok("".join(parts)) and (j < 0 or not norm[j] or not _title_ok(norm[j] + "".join(parts))):
                    break
            joined = "".join(parts)
            if _title_ok(joined):
                return joined
            break
    for k in range(limit):
        m = re.search(r"《([^《》]{4,80})》[^。]{0,30}印发", norm[k])
        if m and _title_ok(m.group(1)):
            start = norm[k].find(m.group(1))
            orig = lines[k].strip()
            return orig[start:start + len(m.group(1))] if len(orig) == len(norm[k]) else m.group(1)
    for k in range(limit):
        m = re.search(r"关于印发(.{4,80}?)的通知$", norm[k])
        if m and _title_ok(m.group(1)):
            return m.group(1)
    for k in range(min(limit, 15)):
        if re.search(r"关于(?!印发).{4,80}的(?:实施意见|意见|实施方案|方案|行动计划|计划|规划|办法|通知|决定)$", norm[k]) \
                and not re.search(r"[。,;:]", norm[k]):
            return lines[k].strip()
    for k in range(min(limit, 15)):  # a title line standing alone above the body, with no preamble under it
        text = norm[k]
        if _title_ok(text) and not re.search(r"[。,;:]", text) and not _ORG_LINE.match(text) \
                and not _NOTICE.match(text) and not _is_label_value(norm, k):
            return lines[k].strip()
    return None


def _jurisdiction(norm: list[str], title: str | None) -> tuple[str | None, bool]:
    """The plan's place and whether it was read from the title or an issuer (True) or guessed from the body."""
    if title:
        m = re.match(rf"^({_PLACE})", half(title))
        if m and _stem_ok(m.group(1), named=True):
            return m.group(1), True
    for k, text in enumerate(norm):
        m = _ORG_LINE.match(text) or _SOURCE.match(text)
        if m:
            place = re.match(rf"^({_PLACE})(?:人民政府|政府)", m.group(1) if m.re is _SOURCE else text)
            if place and _stem_ok(place.group(1), named=True) and (m.re is _SOURCE or not _is_label_value(norm, k)):
                return place.group(1), True
    for text in norm[:80]:
        m = re.match(rf"^({_PLACE})(?:人民政府|政府)(?:办公室|办公厅)?关于", text) or _JOINT_NOTICE.match(text)
        if m and _stem_ok(m.group(1), named=True):
            return m.group(1), True
    counts: Counter = Counter()
    for text in norm:
        for m in _FREQ_PLACE.finditer(text):
            if _stem_ok(m.group(0)):
                counts[m.group(0)] += 1
    if counts:
        return counts.most_common(1)[0][0], False
    return None, False


def _stem_ok(place: str, named: bool = False) -> bool:
    """Whether a place-like word is a proper name; `named` when it stands where a name is expected (a title's start,
    an issuer line), so only generic openings (全市, 我县, 各区) are refused."""
    stem = re.sub(rf"{_SUFFIX}$", "", place)
    if named:
        return len(stem) >= 2 and stem[0] not in _GENERIC_START and stem not in _GENERIC_STEMS
    return len(stem) >= 2 and not (set(stem[-1]) & _BAD_STEM_CHARS) and stem[0] not in _BAD_STEM_CHARS


def _issuer(norm: list[str], jurisdiction: str | None) -> str | None:
    for k, text in enumerate(norm):
        m = _ORG_LINE.match(text)
        if m and not _is_label_value(norm, k) and (not jurisdiction or m.group(1) == jurisdiction):
            return text
    for text in norm[:80]:
        m = _NOTICE.match(text)
        if m:
            place = m.group(1) or jurisdiction
            if place:
                return place + m.group(3)
    if jurisdiction:
        for text in norm[:80]:
            if _AGREED.search(text):
                return jurisdiction + "人民政府办公室"
    for text in norm:
        m = _SOURCE.match(text)
        if m and re.search(r"(人民政府|政府办公室|办公厅|委员会)$", m.group(1)) and not text.startswith("发布机构"):
            return m.group(1)
    for text in norm[:80]:  # the website's 发布机构 field, when the text itself names no issuer
        m = _SOURCE.match(text)
        if m and text.startswith("发布机构") and _ORG_LINE.match(m.group(1)):
            return m.group(1)
    return None


def plan_period(text: str, published: date | None, target_years: list[int]) -> dict:
    """The plan's span: a 十四五 plan is 2021–2025; later target years stretch the end."""
    later = max([y for y in target_years if 2000 <= y <= 2100], default=0)
    stated = _STATED_SPAN.search(text[:600])
    if stated:  # the plan's own span in its title: "(2024—2027年)"; a later target year stretches it
        return {"start": f"{stated.group(1)}-01-01", "end": f"{max(int(stated.group(2)), later)}-12-31"}
    years_from = _YEARS_FROM.search(text[:3000])
    if years_from:  # "2012年起5年内" / "从2024年起用三年时间": the span the plan gives itself
        first, n = int(years_from.group(1)), cn_int(years_from.group(2))
        if 0 < n <= 20:
            return {"start": f"{first}-01-01", "end": f"{max(first + n - 1, later)}-12-31"}
    plan_ends = [end for name, end in PLAN_END.items() if name in text]
    years = [y for y in target_years if 2000 <= y <= 2100]
    end = max(years) if years else None
    if plan_ends:
        names = {end: name for name, end in PLAN_END.items()}
        if published:
            current = [e for e in plan_ends if e >= published.year]
            main = min(current) if current else max(plan_ends)
        else:
            main = max(plan_ends, key=lambda e: (text.count(names[e]), e))
        if end is None or end <= main:
            return {"start": f"{main - 4}-01-01", "end": f"{main}-12-31"}
    if end is None:
        end = (published.year if published else None)
        if end is None:
            return {"start": None, "end": None}
        return {"start": f"{end}-01-01", "end": f"{end}-12-31"}
    start = published.year if published else min(years)
    start = min(start, min(years))
    return {"start": f"{start}-01-01", "end": f"{end}-12-31"}
