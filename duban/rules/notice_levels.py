"""The colour of an open item a notice chases: 红 overdue past the threshold, 黄 behind schedule (or overdue fewer
days), 蓝 due soon; the worst colour decides whether the unit gets a 督办单, 催办单 or 提醒单."""
from __future__ import annotations

import datetime as dt

from duban.rules.status import DEFAULT_BEHIND_TOLERANCE

BLUE, YELLOW, RED = "蓝", "黄", "红"
LEVELS = {BLUE: "临近到期", YELLOW: "进度滞后", RED: "已逾期"}
ORDER = {RED: 0, YELLOW: 1, BLUE: 2}
# the worst level decides the notice: 督办单 (red), 催办单 (yellow), 提醒单 (blue)
WORDS = {RED: ("督办", "督办单"), YELLOW: ("催办", "催办单"), BLUE: ("提醒", "提醒单")}
DEFAULT_REPLY_DAYS = 5
DEFAULT_RED_DAYS = 1


def behind(row: dict, today: dt.date) -> bool:
    """Progress trails the share of time elapsed since the plan began (by more than the tolerance)."""
    if not row.get("plan_start"):
        return False
    try:
        start = dt.date.fromisoformat(row["plan_start"][:10])
    except ValueError:
        return False
    due = dt.date.fromisoformat(row["due"])
    if not start < today < due:
        return False
    elapsed = (today - start).days / max(1, (due - start).days) * 100
    return (row.get("progress") or 0) + DEFAULT_BEHIND_TOLERANCE < elapsed


def level(row: dict, today: dt.date, red_days: int, horizon: dt.date) -> str | None:
    """The colour of one open item due on row["due"], or None when nothing calls for a notice yet."""
    due = dt.date.fromisoformat(row["due"])
    overdue = (today - due).days
    if overdue >= max(1, red_days):
        return RED
    if overdue > 0 or behind(row, today):
        return YELLOW
    if due <= horizon:
        return BLUE
    return None
