"""What the 消息 page shows: the user's messages, each with the label it is listed under, and the units whose
deadline calendar (.ics) the user can download."""
from __future__ import annotations

import sqlite_utils

from duban.access import Actor
from duban.clock import local_time
from duban.reports import ics
from duban.services import calendars, inbox

KIND_LABELS = {"reminder": "提醒", "message": "通知", "returned": "退回", "meeting": "会议", "info": "消息"}


def unread_count(db: sqlite_utils.Database, actor: Actor) -> int:
    """How many of the user's messages are unread."""
    return inbox.unread_count(db, actor)


def mark_read(db: sqlite_utils.Database, actor: Actor, ids: list[int] | None = None) -> int:
    """Mark the given messages (None: all) read; how many were."""
    return inbox.mark_read(db, actor, ids)


def messages(db: sqlite_utils.Database, actor: Actor, unread_only: bool = False) -> list[dict]:
    """The user's messages, newest first, each with `new` and the `label` it is listed under
    (【kind】title · time, and 未读 while unread)."""
    rows = []
    for row in inbox.inbox(db, actor, unread_only=unread_only):
        new = row["read_at"] is None
        title = row["title"] if row["title"].startswith("【") else f"【{KIND_LABELS.get(row['kind'], '消息')}】{row['title']}"
        rows.append(dict(row, new=new, label=f"{title} · {local_time(row['created_at'])}" + (" · 未读" if new else "")))
    return rows


def calendar_units(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The units whose deadline calendar the user may download (a liaison: all of its own, at once)."""
    return calendars.calendar_departments(db, actor)


def calendar_file(db: sqlite_utils.Database, actor: Actor, unit: dict) -> tuple[str, bytes]:
    """One unit's deadline calendar: (file name, .ics bytes)."""
    return f"督办到期日_{unit['name']}.ics", ics.department_calendar(db, actor, unit["id"])
