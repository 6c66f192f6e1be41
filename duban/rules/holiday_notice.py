"""Reading the State Council's yearly holiday notice (国务院办公厅关于X年部分节假日安排的通知).

The notice lists each holiday as `元旦:1月1日至3日放假调休,共3天。1月4日(周日)上班。`: a span of days
off, and the weekend days that become working days (调休). Pure: text in, days out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WIDTH = str.maketrans("：，；（）。０１２３４５６７８９", ":,;().0123456789")
_YEAR = re.compile(r"关于\s*(\d{4})\s*年[^。\n]*?节假日")
_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|\d+[、.])?\s*([^:\n]{1,12}?)\s*:(.+)$")
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\([^)]*\))?"
_OFF = re.compile(_DATE + r"(?:\s*(?:至|-|—|~)\s*" + _DATE + r")?\s*(?:放假|休息)")
_WORK_LIST = re.compile(r"((?:" + _DATE + r"\s*[、,和及]?\s*)+)上班")
_ONE_DATE = re.compile(_DATE)


@dataclass(frozen=True)
class HolidayDay:
    day: dt.date
    workday: bool          # False: a day off; True: a weekend day worked (调休上班)
    name: str


class NoticeError(ValueError):
    """The notice could not be read; the message says what to check."""


def notice_year(text: str) -> int | None:
    """The year the notice is about, from its title."""
    m = _YEAR.search(text.translate(_WIDTH))
    return int(m.group(1)) if m else None


def _date(year: int, month: int | None, day: int, default_month: int | None) -> dt.date:
    month = month or default_month
    if month is None:
        raise NoticeError(f"无法确定“{day}日”所在的月份。")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoticeError(f"日期不存在:{year}年{month}月{day}日。") from None


def read_notice(text: str, year: int | None = None) -> list[HolidayDay]:
    """Every day off and every make-up working day the notice names, in date order."""
    text = (text or "").translate(_WIDTH)
    year = year or notice_year(text)
    if year is None:
        raise NoticeError("没有找到通知所属年份:请粘贴含标题“关于X年部分节假日安排的通知”的全文,或填写年份。")
    days: dict[dt.date, HolidayDay] = {}
    for line in re.split(r"[\n]+", text):
        item = _ITEM.match(line)
        if not item or not _OFF.search(item.group(2)):
            continue
        name, body = item.group(1).strip(), item.group(2)
        for m in _OFF.finditer(body):
            y1, m1, d1, y2, m2, d2 = m.groups()
            start = _date(int(y1 or year), int(m1) if m1 else None, int(d1), None)
            end = start if d2 is None else _date(int(y2 or y1 or year), int(m2) if m2 else None, int(d2), start.month)
            if end < start or (end - start).days > 15:
                raise NoticeError(f"{name}的放假日期范围不合理:{m.group(0)}")
            day = start
            while day <= end:
                days[day] = HolidayDay(day, False, name)
                day += dt.timedelta(days=1)
        for w in _WORK_LIST.finditer(body):
            month = None
            for d in _ONE_DATE.finditer(w.group(1)):
                y, mo, da = d.groups()
                when = _date(int(y or year), int(mo) if mo else None, int(da), month)
                month = when.month
                days[when] = HolidayDay(when, True, name)
    if not days:
        raise NoticeError("通知中没有读到放假安排:请粘贴各节日“X月X日至X日放假”的条目。")
    return sorted(days.values(), key=lambda h: h.day)


def is_workday(day: dt.date, entered: dict[dt.date, bool]) -> bool:
    """A working day by the office's calendar: a named day as entered, else Monday to Friday."""
    return entered.get(day, day.weekday() < 5)
