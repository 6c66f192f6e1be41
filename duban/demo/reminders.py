"""Demo reminders: the office's address for copies, and the in-app reminders of the last two weeks delivered."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import settings as q
from duban.demo.facts import facts
from duban.jobs import digest, outbox
from duban.services.workdays import is_workday


def seed(db: sqlite_utils.Database, today: dt.date) -> None:
    """Set the office's e-mail and name if unset, then deliver each past working day's in-app reminders."""
    f = facts()["office"]
    with transaction(db):
        if q.setting(db, "office_email") is None:
            q.set_setting(db, "office_email", f["email"])
        if q.setting(db, "office_name") is None:
            q.set_setting(db, "office_name", f["name"])
    for offset in range(f["inapp_reminder_days"], 0, -1):
        day = today - dt.timedelta(days=offset)
        if not is_workday(day):
            continue
        digest.decide_messages(db, day, channels={"inapp"})
        outbox.flush(db, day, channels={"inapp"}, created_at=f"{day.isoformat()} 00:30:00",
                     read=(today - day).days > f["read_after_days"])
