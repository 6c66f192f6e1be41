"""Turning a deadline into dated instances: one per period for a recurring deadline, inside the plan's span."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from duban.rules.dates import clamp_date

PLAN_END_LABEL = "规划期末"
FREQS = ("yearly", "semiannual", "quarterly", "monthly")
FREQ_LABELS = {"yearly": "每年", "semiannual": "每半年", "quarterly": "每季度", "monthly": "每月"}
KIND_LABELS = {"once": "一次性", "recurring": "周期性", "ongoing": "持续推进", "plan_end": "规划期末"}
# how a deadline instance's state reads, wherever it is shown (the 任务 page, the .ics calendar)
STATE_LABELS = {"open": "未完成", "claimed": "已申报完成,待审核", "closed": "已完成"}
_QUARTER_NAMES = {1: "第1季度", 2: "第2季度", 3: "第3季度", 4: "第4季度"}


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def expand_instances(deadline: dict | None, period_start: dt.date, period_end: dt.date) -> list[tuple[dt.date, str]]:
    """The (due date, period label) pairs a deadline sets inside the plan period, earliest first.

    once -> its date (wherever it falls); recurring -> one per year / half / quarter / month whose due date
    lies in the period; ongoing, plan_end or no deadline -> one instance at the period's end.
    """
    period_start, period_end = _as_date(period_start), _as_date(period_end)
    kind = (deadline or {}).get("kind") or "plan_end"
    if kind == "once":
        due = _as_date(deadline.get("due"))
        if due is None:
            return [(period_end, PLAN_END_LABEL)]
        return [(due, f"{due.year}年")]
    if kind != "recurring":
        return [(period_end, PLAN_END_LABEL)]
    freq = deadline.get("freq") or "yearly"
    month, day = deadline.get("month"), deadline.get("day")
    out: list[tuple[dt.date, str]] = []
    for year in range(period_start.year, period_end.year + 1):
        if freq == "yearly":
            out.append((clamp_date(year, int(month or 12), day), f"{year}年"))
        elif freq == "semiannual":
            for half, label in ((0, "上半年"), (1, "下半年")):
                m = half * 6 + (int(month) if month else 6)
                out.append((clamp_date(year, min(m, half * 6 + 6), day), f"{year}年{label}"))
        elif freq == "quarterly":
            for q in range(4):
                m = q * 3 + (int(month) if month else 3)
                out.append((clamp_date(year, min(m, q * 3 + 3), day), f"{year}年{_QUARTER_NAMES[q + 1]}"))
        elif freq == "monthly":
            for m in range(1, 13):
                out.append((clamp_date(year, m, day), f"{year}年{m}月"))
        else:
            raise ValueError(f"未知的周期:{freq}")
    return [(d, label) for d, label in out if period_start <= d <= period_end]


def describe(deadline: dict) -> str:
    """A short Chinese description of a deadline's rule, e.g. 每年5月31日前 / 2025-12-31 / 持续推进."""
    kind = deadline.get("kind")
    if kind == "once":
        return str(deadline.get("due") or "")
    if kind == "recurring":
        freq = deadline.get("freq") or "yearly"
        month, day = deadline.get("month"), deadline.get("day")
        if freq == "yearly":
            return f"每年{month or 12}月{day or '底'}{'日' if day else ''}前"
        if freq == "monthly":
            return f"每月{day}日前" if day else "每月底前"
        return FREQ_LABELS.get(freq, freq) + "末前"
    return KIND_LABELS.get(kind, "")


def deadline_text(deadline: Mapping | Any, dues: Sequence[str], date_text: Callable[[str], str] = str, *,
                  as_written: bool = True) -> str:
    """One deadline's 完成时限 for people, from the deadline and the due dates (ISO) it set.

    as_written (the meeting pack): the plan's phrase first, with the date it works out to, e.g. 年底前(2025-12-31),
    每年5月31日前, 持续推进, 规划期末(2027-12-31). Otherwise (the task page, phrase shown beside it) only what
    was computed: the date, the rule with its number of periods, or the plan's end date(s).
    deadline: a stored deadline row or a records.Deadline."""
    if not isinstance(deadline, Mapping):
        deadline = vars(deadline)
    kind = deadline.get("kind")
    phrase = deadline.get("phrase") if as_written else None
    if kind == "once":
        due = date_text(deadline["due"])
        return f"{phrase}({due})" if phrase and phrase != deadline["due"] else due
    if kind == "recurring":
        return phrase or describe(deadline) if as_written else f"{describe(deadline)}(共 {len(dues)} 期)"
    if as_written:
        if kind == "ongoing":
            return phrase or KIND_LABELS["ongoing"]
        return f"{PLAN_END_LABEL}({date_text(max(dues))})" if dues else PLAN_END_LABEL
    return "、".join(date_text(d) for d in dues) + f"({PLAN_END_LABEL})" if dues else PLAN_END_LABEL
