"""Time phrases -> deadlines: once dates, recurring rules, and relative phrases resolved against a date.

Every deadline keeps the phrase exactly as the text writes it. Patterns run on normalised text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from duban.extract.vocabulary import (
    COMPLETION_VERBS,
    DURATION_TAILS,
    ISSUE_DAY_WORDS,
    ONGOING_CELL_WORDS,
    ONGOING_WORDS,
    RELATIVE_YEARS,
    YEAR_NOT_DEADLINE_AFTER,
    alternation,
)
from duban.rules.dates import add_months, last_day
from duban.rules.numerals import cn_int
from duban.rules.plan_periods import PLAN_END

_PLAN_END = PLAN_END
_PLAN_NAMES = "|".join(PLAN_END)
_COMPLETION = re.compile(alternation(COMPLETION_VERBS))
_CLAUSE_END = re.compile(r"[,;。:!?]")

Y = r"(?P<y>(?:19|20)\d{2})\s*"
M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
D = r"(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
Q = r"(?P<q>[一二三四1-4])"
TO = r"(?:到|至)?"
BEFORE = r"(?:前|之前|以前|为止)?"
_NOT_AFTER_YEAR = re.compile(rf"^(?:{alternation(YEAR_NOT_DEADLINE_AFTER)})")
_NUM = r"(?:\d{1,3}|[一二三四五六七八九十两]{1,3})"
_REL_YEARS = alternation(RELATIVE_YEARS)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, last_day(year, month))


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


@dataclass
class _Rule:
    name: str
    rx: re.Pattern
    priority: int
    needs: tuple[str, ...]


_RULES: list[tuple[str, str]] = [
    ("range", rf"{TO}(?P<y1>(?:19|20)\d{{2}})\s*年?\s*[-—–~至到]+\s*{Y}年(?:期间|间|内|底前?|末)?"),
    ("ymd", rf"{TO}{Y}年{M}月{D}[日号]{BEFORE}"),
    ("ym", rf"{TO}{Y}年{M}月(?:份)?(?P<part>底|末|上旬|中旬|下旬)?{BEFORE}"),
    ("y_half", rf"{TO}{Y}年(?:的)?(?:(?P<h>上|下)半年|第?{Q}季度)(?:末|底)?{BEFORE}"),
    ("y_end", rf"{TO}{Y}年(?:年)?(?:底|末)(?:前|之前|以前|为止)?"),
    ("y_before", rf"{Y}年(?:前|之前|以前)"),
    ("y_to", rf"(?:到|至){Y}年(?:内)?"),
    ("y_bare", rf"(?<![\d年])(?<!截至)(?<!截止){Y}年(?:内)?(?=[,;]|(?:全面|基本|要|将|全市|全县|全区)?(?:完成|实现|建成|达到|开展|启动|出台|建立|投入|上线))"),
    ("plan", rf"[“\"]?(?P<plan>{_PLAN_NAMES})[”\"]?(?P<tail>期间|期末|末期|时期|规划期内?|末)"),
    ("yearly_m", rf"每年(?:的)?{M}月(?:份)?(?:{D}[日号]|(?P<part>底|末|上旬|中旬|下旬))?{BEFORE}"),
    ("yearly_end", r"每年(?:年底|年末|底|末)(?:前|之前)?"),
    ("yearly_half", r"每年(?:的)?(?P<h>上|下)半年(?:末)?(?:前)?"),
    ("yearly_q", rf"每年(?:的)?第?{Q}季度(?:末)?(?:前)?"),
    ("quarterly", rf"(?:每(?:个)?|按)季度(?:(?:第(?P<qm>[一二三1-3])个?|(?P<qmw>首|末))月(?:{D}[日号])?{BEFORE}|(?:末|底){BEFORE})?"),
    ("quarterly_once", r"(?<![\d年今明次本当后第每])一季度(?=[^,。;]{0,12}?[一1]次)"),
    ("semiannual", rf"(?:每|按)半年(?:第(?P<hm>[一二三四五六1-6])个?月(?:{D}[日号])?{BEFORE})?|(?<![上下])半年[^,。;]{{0,6}}?一次"),
    ("monthly", rf"(?<![人户])每(?:个)?月(?:{D}[日号]|(?P<part>底|末))?{BEFORE}"),
    ("yearly", r"(?<![人户名])(?:每年度?|一年一次|年度一次)"),
    ("rel", rf"(?<![\d一二两几每上])(?P<rel>{_REL_YEARS})(?!度)(?:(?:的)?{M}月(?:{D}[日号]|(?P<part>底|末))?|年底|年末|底|末|(?P<h>上|下)半年|第?{Q}季度(?:末)?)?(?:前|之前|以前|内)?"),
    ("rel_year_end", r"(?<![\d年每今明次本当后一二三四五六七八九十两几多])(?:年底前|年底|年末前|年内)"),
    ("rel_mid", r"(?<![\d年每今明次本当后一二三四五六七八九十两几多])年中(?:前|以前|之前)?(?!期|[心央国])"),
    ("issue_days", rf"(?:自|从)?(?:本\w{{1,3}})?(?:{alternation(ISSUE_DAY_WORDS)})起\s*(?P<n>{_NUM})\s*(?P<u>个工作日|日|天|个月|年)(?:内|之内|以内)"),
    ("rel_half", r"(?<![\d年每今明次本当后])(?P<h>上|下)半年(?:前|内|末)?"),
    ("rel_q", rf"(?<![\d年每今明次本当后第一二三四])(?:第)?{Q}季度(?:末|底)?(?:前|内)?"),
    ("rel_md", rf"(?<![\d年每月个])(?<![一二三四五六七八九十]){M}月(?:{D}[日号]|(?P<part>底|末))(?:前|之前|以前)"),
    ("within", r"(?<![\d年])(?:(?P<from>(?:19|20)\d{2})\s*年起\s*)?(?P<n>[一二三四五六七八九十两]|\d{1,2})\s*(?P<u>年|个月)(?:内|之内|以内)"),
    ("y_plain", rf"(?<![\d年较比自从与和及])(?<!截至)(?<!截止)(?<!早在){Y}年(?![\d底末前内初度份月季上下半起以之至到—\-~、(]|\s*[-—~至到])"),
]
_NEEDS = {
    "range": ("年",), "ymd": ("年",), "ym": ("年",), "y_half": ("年",), "y_end": ("年",), "y_before": ("年",),
    "y_to": ("年",), "y_bare": ("年",), "plan": ("五",), "yearly_m": ("每年",), "yearly_end": ("每年",),
    "yearly_half": ("每年",), "yearly_q": ("每年",), "quarterly": ("季度",), "quarterly_once": ("季度",),
    "semiannual": ("半年",), "monthly": ("月",), "yearly": ("年",), "rel": ("年",), "rel_year_end": ("年",),
    "rel_half": ("半年",), "rel_mid": ("年中",), "issue_days": ("之日",), "rel_q": ("季度",), "rel_md": ("月",), "within": ("内",), "y_plain": ("年",),
}
RULES = [_Rule(name, re.compile(rx), i, _NEEDS[name]) for i, (name, rx) in enumerate(_RULES)]
_ONGOING = re.compile(alternation(ONGOING_WORDS))
_ONGOING_CELL = re.compile(rf"^(?:{alternation(ONGOING_CELL_WORDS)})")
_GUILLEMETS = re.compile(r"《[^《》]*》")
_ANY_TIME = re.compile(r"年|月|季度|五|内")


def is_ongoing(text: str) -> bool:
    """Whether a task's text says it goes on without an end (持续推进, 长期坚持)."""
    return bool(_ONGOING.search(text))


def is_ongoing_cell(text: str) -> bool:
    """Whether a time-limit cell or field says 长期 / 持续推进 rather than a date."""
    return bool(_ONGOING_CELL.match(text.strip()))


def _clause_end(norm: str, start: int) -> int:
    m = _CLAUSE_END.search(norm, start)
    return m.start() if m else len(norm)


def _quarter_end(year: int, q: int) -> date:
    return month_end(year, q * 3)


_PHRASE_STOP = re.compile(r"[,;。:!?\n]|的(?![“\"])|(?:\d+|[一两二三四五六七八九十])次(?!数)")


def _phrase_end(norm: str, end: int) -> int:
    depth = 0
    for m in _PHRASE_STOP.finditer(norm, end):
        depth = norm.count("“", end, m.start()) - norm.count("”", end, m.start())
        if depth > 0:
            continue
        return m.end() if m.group(0).endswith("次") else m.start()
    return len(norm)


def find_deadlines(norm: str, orig: str, reference: date | None, written: date | None = None) -> list[dict]:
    """Every deadline a task's text sets, in order of appearance, each with its phrase as written.

    `reference` resolves relative phrases (今年, 三年内); `written` is the document's own date, before which a
    bare year ("2019年出台了…") tells a fact rather than sets a deadline."""
    return read_times(norm, orig, reference, written)[0]


_TIME_LOOKING = re.compile(r"\d{1,4}\s*(?:个月|年|月)")
_DURATION_AFTER = re.compile(rf"^(?:{alternation(DURATION_TAILS)})")
_BASELINE_BEFORE = re.compile(r"(?:截至|截止|早在|自|从|较|比|与|和)\s*$")


def read_times(norm: str, orig: str, reference: date | None, written: date | None = None
               ) -> tuple[list[dict], list[str]]:
    """The deadlines a text sets, and the time-looking phrases (a digit with 年/月) no rule read either way."""
    if not _ANY_TIME.search(norm):
        return [], []
    blocked = [False] * len(norm)
    if "《" in norm:
        for m in _GUILLEMETS.finditer(norm):
            blocked[m.start():m.end()] = [True] * (m.end() - m.start())
    candidates = []
    for rule in RULES:
        if not any(k in norm for k in rule.needs):
            continue
        for m in rule.rx.finditer(norm):
            if m.end() > m.start() and not blocked[m.start()]:
                candidates.append((m.start(), -(m.end() - m.start()), rule.priority, rule.name, m))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken_until = -1
    out = []
    for start, _, _, name, m in candidates:
        if start < taken_until:
            continue
        entry, end = _resolve(name, m, norm, reference, written)
        if entry is None:
            continue
        entry["phrase"] = orig[start:end].strip()
        out.append(entry)
        taken_until = m.end()
    return out, _unread(norm, orig, candidates, blocked)


def _unread(norm: str, orig: str, candidates: list, blocked: list[bool]) -> list[str]:
    tokens = list(_TIME_LOOKING.finditer(norm))
    if not tokens:
        return []
    spans = [(c[4].start(), c[4].end()) for c in candidates]  # a rule matched, whether it set a deadline or not
    out = []
    for t in tokens:
        if blocked[t.start()] or any(s < t.end() and t.start() < e for s, e in spans):
            continue
        if _BASELINE_BEFORE.search(norm[max(0, t.start() - 3):t.start()]) or _NOT_AFTER_YEAR.match(
                norm[t.end():t.end() + 4]) or _DURATION_AFTER.match(norm[t.end():t.end() + 3]):
            continue
        out.append(orig[t.start():_clause_end(norm, t.end())][:16].strip())
    return out


def _day(m: re.Match, year: int, month: int) -> int:
    g = m.groupdict()
    if g.get("d"):
        return min(cn_int(g["d"]), last_day(year, month))
    part = g.get("part")
    if part == "上旬":
        return 10
    if part == "中旬":
        return 20
    return last_day(year, month)


def _once(due: date) -> dict:
    return {"kind": "once", "due": due.isoformat()}


def _resolve(name: str, m: re.Match, norm: str, ref: date | None, written: date | None = None
             ) -> tuple[dict | None, int]:
    g = m.groupdict()
    end = m.end()
    year = int(g["y"]) if g.get("y") else None
    if year is not None:
        ys = m.start("y1") if g.get("y1") else m.start("y")
        before = norm[max(0, ys - 3):ys]
        if "截至" in before or "截止" in before or _NOT_AFTER_YEAR.match(norm[end:end + 4]):
            return None, end
    if name == "range":
        if year < int(g["y1"]):
            return None, end
        return _once(date(year, 12, 31)), end
    if name in ("ymd", "ym"):
        month = cn_int(g["m"])
        if name == "ym" and not g.get("part") and re.search(r"前$", m.group(0)):
            # "2024年6月前": strictly before the month, as "2025年前" is strictly before the year
            before = date(year, month, 1).toordinal() - 1
            return _once(date.fromordinal(before)), end
        return _once(date(year, month, _day(m, year, month))), end
    if name == "y_half":
        if g.get("h"):
            return _once(month_end(year, 6 if g["h"] == "上" else 12)), end
        return _once(_quarter_end(year, cn_int(g["q"]))), end
    if name == "y_bare" and written is not None and year < written.year:
        return None, end  # "2019年出台了…": a fact from before the document
    if name in ("y_end", "y_to", "y_bare"):
        return _once(date(year, 12, 31)), end
    if name == "y_before":
        return _once(date(year - 1, 12, 31)), end
    if name == "plan":
        if g["tail"] == "时期" and norm[end:end + 1] in "“\"《":
            return None, end
        return _once(date(_PLAN_END[g["plan"]], 12, 31)), end
    if name == "yearly_m":
        month = cn_int(g["m"])
        if not g.get("d") and not g.get("part") and re.search(r"前$", m.group(0)):
            month = month - 1 or 12  # "每年3月前": strictly before March
        return {"kind": "recurring", "freq": "yearly", "month": month, "day": _day(m, 2001, month)}, end
    if name == "yearly_end":
        return {"kind": "recurring", "freq": "yearly", "month": 12, "day": 31}, end
    if name == "yearly_half":
        month = 6 if g["h"] == "上" else 12
        return {"kind": "recurring", "freq": "yearly", "month": month, "day": 30 if month == 6 else 31}, end
    if name == "yearly_q":
        month = cn_int(g["q"]) * 3
        return {"kind": "recurring", "freq": "yearly", "month": month, "day": last_day(2001, month)}, end
    if name == "quarterly":
        entry = {"kind": "recurring", "freq": "quarterly"}
        month = cn_int(g["qm"]) if g.get("qm") else {"首": 1, "末": 3}.get(g.get("qmw") or "")
        if month:
            entry["month"] = month
            if g.get("d"):
                entry["day"] = cn_int(g["d"])
        return entry, _phrase_end(norm, end) if not month else end
    if name == "quarterly_once":
        return {"kind": "recurring", "freq": "quarterly"}, norm.find("次", end) + 1
    if name == "semiannual":
        entry = {"kind": "recurring", "freq": "semiannual"}
        if g.get("hm"):
            entry["month"] = cn_int(g["hm"])
            if g.get("d"):
                entry["day"] = cn_int(g["d"])
            return entry, end
        return entry, _phrase_end(norm, end)
    if name == "monthly":
        entry = {"kind": "recurring", "freq": "monthly"}
        if g.get("d"):
            entry["day"] = cn_int(g["d"])
            return entry, end
        return entry, _phrase_end(norm, end)
    if name == "yearly":
        return {"kind": "recurring", "freq": "yearly", "month": 12, "day": 31}, _phrase_end(norm, end)
    if ref is None:
        return None, end
    if name == "issue_days":
        base = written or ref
        n = cn_int(g["n"])
        if n <= 0:
            return None, end
        if g["u"] in ("日", "天"):
            return _once(base + timedelta(days=n)), end
        if g["u"] == "个工作日":
            return _once(base + timedelta(days=n + 2 * (n // 5) + 2)), end  # a working week is five days of seven
        return _once(add_months(base, n) if g["u"] == "个月" else _add_years(base, n)), end
    if name == "within" and not _COMPLETION.search(norm[end:_clause_end(norm, end)]):
        return None, end  # "在两年之内…实行": how long a measure lasts, not when work is due
    if name == "within" and g.get("from"):
        n = cn_int(g["n"])
        if g["u"] == "年" and n > 0:
            return _once(date(int(g["from"]) + n - 1, 12, 31)), end  # "2012年起5年内": the five years 2012–2016
    if name == "rel":
        offset = RELATIVE_YEARS[g["rel"]]
        y = ref.year + offset
        if g.get("m"):
            month = cn_int(g["m"])
            return _once(date(y, month, _day(m, y, month))), end
        if g.get("h"):
            return _once(month_end(y, 6 if g["h"] == "上" else 12)), end
        if g.get("q"):
            return _once(_quarter_end(y, cn_int(g["q"]))), end
        if m.group(0) in ("当年", "本年", "本年度"):
            return None, end
        return _once(date(y, 12, 31)), end
    if name == "rel_year_end":
        return _once(date(ref.year, 12, 31)), end
    if name == "rel_mid":
        return _once(date(ref.year, 6, 30)), end
    if name == "rel_half":
        return _once(month_end(ref.year, 6 if g["h"] == "上" else 12)), end
    if name == "rel_q":
        due = _quarter_end(ref.year, cn_int(g["q"]))
        return _once(due if due >= ref else _quarter_end(ref.year + 1, cn_int(g["q"]))), end
    if name == "rel_md":
        month = cn_int(g["m"])
        due = date(ref.year, month, _day(m, ref.year, month))
        if due < ref:
            due = date(ref.year + 1, month, _day(m, ref.year + 1, month))
        return _once(due), end
    if name == "y_plain":
        # "2024年新增普惠托位1000个": a year named as when something happens, not before the document itself
        return (_once(date(year, 12, 31)) if year >= (written or ref).year else None), end
    if name == "within":
        n = cn_int(g["n"])
        if n <= 0:
            return None, end
        due = _add_years(ref, n) if g["u"] == "年" else add_months(ref, n)
        return _once(due), end
    return None, end


def deadlines_from_cell(norm: str, orig: str, reference: date | None, written: date | None = None) -> list[dict]:
    """Deadlines from a table's 完成时限 cell or a 完成时限: field; a bare year there means its year end."""
    found = find_deadlines(norm, orig, reference, written)
    if found:
        return found
    out = []
    for m in re.finditer(r"(?:19|20)\d{2}", norm):
        out.append({"kind": "once", "due": f"{m.group(0)}-12-31", "phrase": orig[m.start():m.end() + (1 if norm[m.end():m.end() + 1] == "年" else 0)]})
    return out
