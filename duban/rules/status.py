"""Task statuses and the red/yellow/green warning light (红黄绿灯)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
DONE_PENDING = "已完成(待审核)"
CLOSED = "已销号"
NEEDS_COORDINATION = "需协调"
STATUSES = [NOT_STARTED, IN_PROGRESS, DONE_PENDING, CLOSED, NEEDS_COORDINATION]

RED, YELLOW, GREEN = "红", "黄", "绿"
LIGHTS = [RED, YELLOW, GREEN]
LIGHT_COLOURS = {RED: "#d93025", YELLOW: "#f2a900", GREEN: "#1e8e3e"}

DEFAULT_WARN_DAYS = 15
# progress may trail the share of time elapsed by this many percentage points before the light turns yellow
DEFAULT_BEHIND_TOLERANCE = 10


@dataclass(frozen=True)
class Instance:
    """One dated occurrence of a deadline, as the rules need it."""

    due: dt.date
    state: str = "open"  # open | claimed | closed


def is_overdue(inst: Instance, today: dt.date) -> bool:
    """Past due with nothing done: no completion claimed, nothing closed."""
    return inst.state == "open" and inst.due < today


def light_for(instances: Iterable[Instance], today: dt.date, *, status: str = NOT_STARTED,
              progress: int = 0, start: dt.date | None = None, warn_days: int = DEFAULT_WARN_DAYS,
              tolerance: int = DEFAULT_BEHIND_TOLERANCE) -> str:
    """The task's light, the one home of the rule: 绿 for a closed task; 红 when an open instance is past due;
    黄 when the next one falls due within warn_days, or (unless completion awaits review) progress trails the
    share of time elapsed by more than tolerance points; 绿 otherwise.

    Time elapsed runs from `start` (the plan's start) to the next open due date, or from the last finished
    (claimed or closed) instance before it when that is later: each period is paced on its own."""
    if status == CLOSED:
        return GREEN
    pending: list[dt.date] = []
    done: list[dt.date] = []
    for i in instances:
        (pending if i.state == "open" else done).append(i.due)
    return light_from_dates(min(pending) if pending else None, max(done) if done else None, today, status=status,
                            progress=progress, start=start, warn_days=warn_days, tolerance=tolerance)


def light_from_dates(next_due: dt.date | None, last_done: dt.date | None, today: dt.date, *,
                     status: str = NOT_STARTED, progress: int = 0, start: dt.date | None = None,
                     warn_days: int = DEFAULT_WARN_DAYS, tolerance: int = DEFAULT_BEHIND_TOLERANCE) -> str:
    """light_for given only what it reads of the instances: the earliest open due date and the latest finished
    one (the task list and 总览 read these two per task straight from the database)."""
    if status == CLOSED or next_due is None:
        return GREEN
    if next_due < today:
        return RED
    if (next_due - today).days <= warn_days:
        return YELLOW
    if behind_pace(start, last_done, next_due, today, progress, status, tolerance):
        return YELLOW
    return GREEN


def behind_pace(start: dt.date | None, last_done: dt.date | None, due: dt.date, today: dt.date, progress: int,
                status: str = NOT_STARTED, tolerance: int = DEFAULT_BEHIND_TOLERANCE) -> bool:
    """Progress trails the share of time elapsed towards `due` by more than tolerance points, the one home of the
    rule (the light's 黄 and a 催办单's 进度滞后): time runs from `start` (the plan's start, or the day the task was
    added), or from the last finished due date when that is later and before `due`; never while completion
    awaits review."""
    if last_done and last_done < due:
        start = max(start, last_done) if start else last_done
    if not start or not start < today < due or status == DONE_PENDING:
        return False
    elapsed = (today - start).days / max(1, (due - start).days) * 100
    return (progress or 0) + tolerance < elapsed


def next_due(instances: Iterable[Instance], today: dt.date) -> dt.date | None:
    """The earliest instance not yet done (overdue ones first)."""
    pending = [i.due for i in instances if i.state == "open"]
    return min(pending) if pending else None


def status_after_claim(claimed: str) -> str:
    """The task status a lead department's report moves the task to: a completion claim awaits review."""
    return {IN_PROGRESS: IN_PROGRESS, "已完成": DONE_PENDING, DONE_PENDING: DONE_PENDING,
            NEEDS_COORDINATION: NEEDS_COORDINATION}.get(claimed, IN_PROGRESS)
