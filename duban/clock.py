"""The date the app believes it is, and the offices' time zone. Commands and tests set the date with --today;
nothing else reads the wall clock."""
from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


def timezone() -> ZoneInfo:
    """The offices' time zone (DUBAN_TZ, default Asia/Shanghai), the one place it is read."""
    return ZoneInfo(os.environ.get("DUBAN_TZ") or "Asia/Shanghai")


def today(override: str | dt.date | None = None) -> dt.date:
    """An explicit date, else $DUBAN_TODAY, else today in the offices' time zone (pages and jobs agree on the
    date whatever the host's own zone)."""
    value = override or os.environ.get("DUBAN_TODAY")
    if isinstance(value, dt.date):
        return value
    if value:
        return parse_date(value)
    return dt.datetime.now(timezone()).date()


def business_today() -> dt.date:
    """The offices' date for scheduled work: $DUBAN_TODAY when pinned, else today in their time zone."""
    return today()


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


def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp as the offices' local time, to the minute, for display."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.UTC)
    except ValueError:
        return stamp[:16]
    return moment.astimezone(timezone()).strftime("%Y-%m-%d %H:%M")
