"""Moving a task between statuses, always with a history row and an audit entry."""
from __future__ import annotations

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import status as q
from duban.access import Actor, require_writer
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules.status import CLOSED, STATUSES


def change_status(db: sqlite_utils.Database, actor: Actor, task_id: int, new_status: str, note: str | None = None,
                  instance_id: int | None = None, progress: int | None = None) -> None:
    """Record a status change: the office (or the system) on any task; a liaison only on a task its department
    leads, and never to 已销号 (closing needs the office's review); leaders never."""
    require_writer(actor)
    if new_status not in STATUSES:
        raise InputError(f"未知的任务状态:{new_status}")
    if progress is not None:
        try:
            progress = int(progress)
        except (TypeError, ValueError):
            raise InputError("完成百分比应为 0 到 100 之间的整数。") from None
        if not 0 <= progress <= 100:
            raise InputError("完成百分比应为 0 到 100 之间的整数。")
    with transaction(db):
        row = q.current(db, task_id)
        if row is None:
            raise NotFound("任务不存在。")
        if not actor.is_office:
            if not q.lead_department_ids(db, row["id"]) & actor.department_ids:
                raise AccessDenied("只有牵头单位的报告可以改变任务状态。")
            if new_status == CLOSED:
                raise AccessDenied("销号须经办公室审核。")
        if instance_id is not None and q.instance_task(db, instance_id) != row["id"]:
            raise InputError("所选期限不属于该任务。")
        q.set_status(db, row["id"], row["status"], new_status, actor.user_id, note, instance_id, progress)
        audit.record(db, actor, "状态变更", "task", row["id"],
                     {"from": row["status"], "to": new_status, "note": note, "instance_id": instance_id})
