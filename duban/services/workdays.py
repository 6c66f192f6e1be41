"""Chinese working days: reminders go out only when offices are open (holidays and 调休 included).

Two sources: the bundled calendar (chinesecalendar) and the office's own entries read from the State
Council's notice (提醒设置 › 节假日), which win for the years they cover, so a new year needs no upgrade.
"""
from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar
import sqlite_utils

from db.queries import holidays as hq
from duban.rules import holiday_notice

log = logging.getLogger("duban.workdays")

_warned_years: set[int] = set()
_office_days: dict[dt.date, bool] = {}
_office_years: set[int] = set()


def load_office_calendar(db: sqlite_utils.Database) -> set[int]:
    """Read the office's entered holiday years into this process; returns the years covered."""
    days = {dt.date.fromisoformat(r["day"]): bool(r["workday"]) for r in hq.all_days(db)}
    _office_days.clear()
    _office_days.update(days)
    _office_years.clear()
    _office_years.update(d.year for d in days)
    return set(_office_years)


def is_workday(day: dt.date) -> bool:
    """True on a Chinese working day; past every calendar's data, Monday to Friday (and the log says so)."""
    if day.year in _office_years:
        return holiday_notice.is_workday(day, _office_days)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("节假日数据不含 %s 年,按周一至周五为工作日计算(请在提醒设置中录入当年节假日安排)。", day.year)
        return day.weekday() < 5


def bundled_calendar_has(year: int) -> bool:
    """Whether the bundled calendar (chinesecalendar) holds this year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def has_calendar_data(day: dt.date) -> bool:
    """Whether a holiday calendar knows this date's year (else the Monday–Friday fallback applies)."""
    return day.year in _office_years or bundled_calendar_has(day.year)


def next_workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next working day."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (a reply-by date)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day
