"""How dates read in Chinese (2026年11月22日) and the month arithmetic periods and deadlines share."""
from __future__ import annotations

import calendar
import datetime as dt


def cn_date(value: str | dt.date | None, empty: str = "—") -> str:
    """2026年11月22日, from a date or an ISO date string (a timestamp keeps only its date); `empty` for none."""
    if not value:
        return empty
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def cn_month_day(value: dt.date) -> str:
    """11月22日: a date within the year, as notices and meeting names write it."""
    return f"{value.month}月{value.day}日"


def cn_month(value: str | dt.date) -> str:
    """2026年11月 from a date or from 2026-11 (anything else is shown as it is)."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月"
    year, _, month = value.partition("-")
    return f"{year}年{int(month)}月" if month.isdigit() else value


def last_day(year: int, month: int) -> int:
    """The number of the month's last day (28 to 31)."""
    return calendar.monthrange(year, month)[1]


def clamp_date(year: int, month: int, day: int | None) -> dt.date:
    """The given day of a month, or its last day when day is missing or too large (31 in June -> 30)."""
    end = last_day(year, month)
    return dt.date(year, month, end if not day or day > end else max(1, day))


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """The (year, month) `by` months after (or, when negative, before) the given one."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, kept inside a shorter month (1月31日 + 1 -> 2月28日)."""
    year, month = shift_month(day.year, day.month, months)
    return clamp_date(year, month, day.day)


def quarter_of(day: dt.date) -> int:
    """The quarter (1-4) a day falls in."""
    return (day.month - 1) // 3 + 1
