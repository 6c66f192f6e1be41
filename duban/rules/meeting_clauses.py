"""Reading a plan's meeting clauses: which meeting a recurring deadline's sentence sets up (联席会议 一季度一次,
领导小组例会 每半年一次 …), and what such a meeting is called."""
from __future__ import annotations

import datetime as dt

from duban.rules.dates import cn_month_day

MEETING_WORDS = ("会议", "例会", "联席")


def clause(text: str, phrase: str) -> tuple[str, int]:
    """The sentence of `text` that holds `phrase`, and where the phrase ends inside it."""
    pos = text.find(phrase) if phrase else -1
    if pos < 0:
        return phrase or "", len(phrase or "")
    start = max(text.rfind(c, 0, pos) for c in "。;;\n") + 1
    ends = [e for e in (text.find(c, pos) for c in "。;;\n") if e >= 0]
    end = min(ends) if ends else len(text)
    return text[start:end], pos - start + len(phrase)


def meeting_kind(sentence: str, phrase_end: int, freq: str | None = None) -> str | None:
    """Which meeting a recurring deadline's sentence sets up: the meeting named last before the phrase.
    Where only the phrase is known (召开 without a name), the usual rhythm decides: a quarterly one is the
    joint meeting, a half-yearly one the leading group's."""
    head = sentence[:phrase_end]
    joint, regular = head.rfind("联席"), head.rfind("例会")
    if joint >= 0 or regular >= 0:
        return "联席会议" if joint > regular else "领导小组例会"
    if any(w in sentence for w in MEETING_WORDS):
        return "其他"
    if "召开" in sentence:
        return {"quarterly": "联席会议", "semiannual": "领导小组例会"}.get(freq or "", "其他")
    return None


def meeting_title(jurisdiction: str | None, period_label: str, name: str, day: dt.date) -> str:
    """A meeting's name carries its date, so two meetings of one period never share a name."""
    return f"{jurisdiction or ''}{period_label}{name}({cn_month_day(day)})"
