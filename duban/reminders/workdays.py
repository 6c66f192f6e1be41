"""Chinese working days: reminders go out only when offices are open (holidays and 调休 included)."""
from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

log = logging.getLogger("duban.reminders")

_warned_years: set[int] = set()


def is_workday(day: dt.date) -> bool:
    """True on a Chinese working day; past the calendar's data, Monday to Friday (and the log says so)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("节假日数据不含 %s 年,按周一至周五为工作日计算(请更新 chinesecalendar)。", day.year)
        return day.weekday() < 5


def has_calendar_data(day: dt.date) -> bool:
    """Whether the holiday calendar knows this date's year (else the Monday–Friday fallback applies)."""
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


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
