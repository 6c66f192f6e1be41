"""Moving a task between statuses, always with a history row and an audit entry."""
from __future__ import annotations

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import status as q
from duban.access import Actor, require_writer
from duban.errors import InputError, NotFound
from duban.rules.status import STATUSES


def change_status(db: sqlite_utils.Database, actor: Actor, task_id: int, new_status: str, note: str | None = None,
                  instance_id: int | None = None, progress: int | None = None) -> None:
    """Record a status change (callers check who may make it; this checks only that the actor may write)."""
    require_writer(actor)
    if new_status not in STATUSES:
        raise InputError(f"未知的任务状态:{new_status}")
    with transaction(db):
        row = q.current(db, task_id)
        if row is None:
            raise NotFound("任务不存在。")
        q.set_status(db, task_id, row["status"], new_status, actor.user_id, note, instance_id, progress)
        audit.record(db, actor, "状态变更", "task", task_id,
                     {"from": row["status"], "to": new_status, "note": note, "instance_id": instance_id})
