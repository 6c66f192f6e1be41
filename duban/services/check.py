"""The daily check: which deadline instances went overdue since the last look."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import instances as q
from duban.access import SYSTEM, Actor, require_system_manager
from duban.services.tasks import list_tasks


def overdue_scan(db: sqlite_utils.Database, today: dt.date, *, actor: Actor = SYSTEM) -> list[int]:
    """Flag open instances of live tasks that are past due and not yet flagged; return their ids.

    It flags every place's instances at once, so besides the system itself only the system administrator or
    the whole database's office runs it.

    One set-based UPDATE over the (state, due) index, so it stays fast at tens of thousands of tasks;
    running it twice on one day flags nothing the second time.
    """
    require_system_manager(actor)
    with transaction(db):
        ids = q.flag_overdue(db, today.isoformat())
        if ids:
            audit.record(db, actor, "逾期检查", "instance", None,
                         {"today": today, "flagged": len(ids), "first_ids": ids[:20]})
    return ids


def overdue_instances(db: sqlite_utils.Database, today: dt.date, limit: int | None = None, *,
                      actor: Actor = SYSTEM) -> list[dict]:
    """Open instances past due, oldest first (task id and title included); a liaison gets its own tasks' only,
    an office or leader with a place those of its place and the places below."""
    visible = None if actor.sees_all else sorted(actor.department_ids)
    if actor.places is None:
        return q.overdue(db, today.isoformat(), limit, visible)
    seen = {t.id for t in list_tasks(db, actor, today)}
    rows = [r for r in q.overdue(db, today.isoformat(), None, visible) if r["task_id"] in seen]
    return rows[:limit] if limit else rows
