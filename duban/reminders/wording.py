"""How dates and units read in reminders: 2026年12月1日, 还有 3 天到期, 郑州市 市民政局."""
from __future__ import annotations

import datetime as dt


def relative_day(due: dt.date, today: dt.date, past: str, same: str, ahead: str) -> str:
    """`past` / `ahead` with the number of days ({n}) between today and a due date, or `same` on the day."""
    days = (due - today).days
    if days < 0:
        return past.format(n=-days)
    if days == 0:
        return same
    return ahead.format(n=days)


def unit_name(row: dict) -> str:
    """A unit with its jurisdiction when known: 郑州市 市民政局."""
    return f"{row['jurisdiction']} {row['department']}" if row.get("jurisdiction") else row["department"]
