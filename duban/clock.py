"""The date the app believes it is. Commands and tests set it with --today; nothing else reads the wall clock."""
from __future__ import annotations

import datetime as dt
import os


def today(override: str | dt.date | None = None) -> dt.date:
    """An explicit date, else $DUBAN_TODAY, else the real local date."""
    value = override or os.environ.get("DUBAN_TODAY")
    if isinstance(value, dt.date):
        return value
    if value:
        return parse_date(value)
    return dt.date.today()


def parse_date(text: str) -> dt.date:
    """Parse YYYY-MM-DD with a Chinese error message."""
    from duban.errors import InputError

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"日期格式不正确:{text!r},应为 YYYY-MM-DD,例如 2026-11-23。") from None


def now_text() -> str:
    """Current timestamp for records (UTC, ISO seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
