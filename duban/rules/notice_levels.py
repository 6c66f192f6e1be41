"""The colour of an open item a notice chases: 红 overdue past the threshold, 黄 behind schedule (or overdue fewer
days), 蓝 due soon; the worst colour decides whether the unit gets a 督办单, 催办单 or 提醒单."""
from __future__ import annotations

import datetime as dt

from duban.rules.status import NOT_STARTED, behind_pace

BLUE, YELLOW, RED = "蓝", "黄", "红"
LEVELS = {BLUE: "临近到期", YELLOW: "进度滞后", RED: "已逾期"}
ORDER = {RED: 0, YELLOW: 1, BLUE: 2}
# the worst level decides the notice: 督办单 (red), 催办单 (yellow), 提醒单 (blue)
WORDS = {RED: ("督办", "督办单"), YELLOW: ("催办", "催办单"), BLUE: ("提醒", "提醒单")}
DEFAULT_REPLY_DAYS = 5
DEFAULT_RED_DAYS = 1


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def behind(row: dict, today: dt.date) -> bool:
    """The light's behind-pace rule (rules.status.behind_pace) for one open item: paced from the plan's start (or
    the day the task was added), or the task's last finished due date; not while completion awaits review."""
    start = _date(row.get("plan_start")) or _date(row.get("created_at"))
    return behind_pace(start, _date(row.get("last_done")), dt.date.fromisoformat(row["due"]), today,
                       row.get("progress") or 0, row.get("status") or NOT_STARTED)


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
