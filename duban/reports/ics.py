"""A department's deadlines as an iCalendar (.ics) file, for liaisons' own calendars."""
from __future__ import annotations

import datetime as dt

import sqlite_utils
from icalendar import Alarm, Calendar, Event

from duban.access import Actor
from duban.rules.instances import STATE_LABELS
from duban.rules.names import ROLE_NAMES
from duban.rules.text import printable
from duban.services import calendars


def department_calendar(db: sqlite_utils.Database, actor: Actor, department_id: int,
                        stamp: dt.datetime | None = None) -> bytes:
    """The department's deadlines (from the calendars service, which checks the actor may have them) as an .ics file."""
    department, rows = calendars.department_deadlines(db, actor, department_id)
    return render(department, department_id, rows, stamp)


def render(department: str, department_id: int, rows: list[dict], stamp: dt.datetime | None = None) -> bytes:
    """Every deadline as an all-day event with a reminder the day before.

    Event UIDs are stable, so a calendar that imports the file again updates the events instead of doubling them.
    """
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//duban//督办任务到期日//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"督办 · {department}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for row in rows:
        due = dt.date.fromisoformat(row["due"])
        role = ROLE_NAMES[row["role"]]
        number = f"{row['number']} " if row.get("number") else ""
        done = row["state"] == "closed"
        ev = Event()
        ev.add("uid", f"duban-{row['instance_id']}-{department_id}@duban")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", due)
        ev.add("dtend", due + dt.timedelta(days=1))
        ev.add("summary", printable(f"{'[已完成] ' if done else ''}【{role}】{number}{row['title']}"))
        lines = [f"规划:{row['plan_title']}" if row.get("plan_title") else "来源:交办事项",
                 f"期次:{row['period_label']}" if row.get("period_label") else "",
                 f"责任:{department}({role})", f"任务状态:{row['status']};本期:{STATE_LABELS.get(row['state'], row['state'])}"]
        ev.add("description", printable("\n".join(x for x in lines if x)))
        ev.add("categories", ["督办"])
        ev.add("transp", "TRANSPARENT")
        if not done:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", printable(f"明天到期:{row['title']}"))
            alarm.add("trigger", dt.timedelta(days=-1))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()

