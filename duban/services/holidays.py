"""The office keeps its own holiday calendar: the State Council's notice pasted in, read, shown back, confirmed.

The national calendar decides every place's working days, so only the system administrator or the whole
database's office enters it; the office of one place reads it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import holidays as hq
from duban.access import Actor, require_system_manager
from duban.errors import InputError
from duban.rules.dates import cn_month_day
from duban.rules.holiday_notice import HolidayDay, NoticeError, notice_year, read_notice
from duban.services import workdays

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class NoticeReading:
    """What duban read from a pasted notice, for the office to check before saving."""

    year: int
    days: list[HolidayDay]

    def rows(self) -> list[dict]:
        """One row per day, as the page shows it."""
        return [{"日期": f"{cn_month_day(d.day)}(周{WEEKDAYS[d.day.weekday()]})", "节日": d.name,
                 "安排": "调休上班" if d.workday else "放假"} for d in self.days]

    def summary(self) -> str:
        off = sum(not d.workday for d in self.days)
        work = sum(d.workday for d in self.days)
        names = list(dict.fromkeys(d.name for d in self.days))
        return f"{self.year} 年:{'、'.join(names)},放假 {off} 天,调休上班 {work} 天。"


def read(text: str, year: int | None = None) -> NoticeReading:
    """Read a pasted notice; a notice that names no year needs `year`."""
    if not (text or "").strip():
        raise InputError("请粘贴国务院办公厅的节假日安排通知全文。")
    try:
        days = read_notice(text, year)
    except NoticeError as e:
        raise InputError(str(e)) from None
    found = year or notice_year(text)
    strays = [d for d in days if abs(d.day.year - found) > 1]
    if strays:
        raise InputError(f"读到的日期 {strays[0].day.isoformat()} 不在 {found} 年前后,请检查通知内容。")
    return NoticeReading(year=found, days=days)


def save(db: sqlite_utils.Database, actor: Actor, reading: NoticeReading) -> int:
    """Store a confirmed reading as the office's calendar for its year (replacing an earlier entry)."""
    require_system_manager(actor)
    rows = [{"day": d.day.isoformat(), "workday": d.workday, "name": d.name} for d in reading.days]
    with transaction(db):
        hq.replace_year(db, reading.year, rows, actor.user_id)
        audit.record(db, actor, "录入节假日安排", "holiday_days", reading.year, {"summary": reading.summary()})
    workdays.load_office_calendar(db)
    return len(rows)


def remove_year(db: sqlite_utils.Database, actor: Actor, year: int) -> int:
    """Drop the office's entries for a year (the bundled calendar, or Monday–Friday, applies again)."""
    require_system_manager(actor)
    with transaction(db):
        n = hq.delete_year(db, year)
        audit.record(db, actor, "删除节假日安排", "holiday_days", year, {"days": n})
    workdays.load_office_calendar(db)
    return n


def coverage(db: sqlite_utils.Database, today: dt.date) -> dict:
    """Which calendar covers this year and next, and what the office has entered, for 提醒设置 to say plainly."""
    entered = {r["year"]: r for r in hq.years(db)}
    workdays.load_office_calendar(db)
    years = []
    for year in (today.year, today.year + 1):
        source = "office" if year in entered else ("bundled" if workdays.bundled_calendar_has(year) else None)
        years.append({"year": year, "source": source})
    return {"years": years, "entered": list(entered.values())}
