"""Tasks dispatched (下达) or assigned (上级交办) to a lower place's office, and the upper task each came from."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks

_CHILD = ("SELECT t.id, t.jurisdiction_id, j.name AS place, t.dispatch_state, t.status, t.progress, t.title, "
          "t.number, t.parent_task_id FROM tasks t LEFT JOIN jurisdictions j ON j.id=t.jurisdiction_id")


def children(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    """The tasks dispatched from one task to lower places (not its own place's break-down), by place name."""
    return [dict(r) for r in db.conn.execute(
        f"{_CHILD} JOIN tasks p ON p.id=t.parent_task_id WHERE t.parent_task_id=? AND t.removed=0 "
        "AND t.jurisdiction_id IS NOT p.jurisdiction_id ORDER BY j.name, t.id", [task_id])]


def parts(db: sqlite_utils.Database, task_id: int) -> list[int]:
    """Ids of the tasks a place's office broke one of its tasks down into (same place), in the order added."""
    return [r[0] for r in db.conn.execute(
        "SELECT t.id FROM tasks t JOIN tasks p ON p.id=t.parent_task_id WHERE t.parent_task_id=? AND t.removed=0 "
        "AND t.jurisdiction_id IS p.jurisdiction_id ORDER BY t.id", [task_id])]


def set_state(db: sqlite_utils.Database, task_id: int, state: str) -> None:
    """Record whether the lower office has accepted the task ('待接收' | '已接收')."""
    db.conn.execute("UPDATE tasks SET dispatch_state=?, updated_at=datetime('now') WHERE id=?", [state, task_id])


def waiting(db: sqlite_utils.Database, places: list[int] | None) -> list[int]:
    """Ids of the tasks given to these places (None: any) that their offices have not accepted yet."""
    args: list = []
    sql = "SELECT id FROM tasks WHERE dispatch_state='待接收' AND removed=0"
    if places is not None:
        ids = list(places) or [-1]
        sql += f" AND jurisdiction_id IN ({marks(ids)})"
        args.extend(ids)
    return [r[0] for r in db.conn.execute(sql + " ORDER BY id", args)]


def copy_deadlines(db: sqlite_utils.Database, from_task: int, to_task: int, from_day: str) -> None:
    """Give a task another task's deadlines and their instances due on or after `from_day` (all open, as new):
    a lower place receiving a yearly task is not late for the years before it received it. When every
    instance is earlier, the last one is copied, so the task still has its (overdue) deadline."""
    last = db.conn.execute("SELECT max(due) FROM instances WHERE task_id=?", [from_task]).fetchone()[0]
    since = min(from_day, last) if last else from_day
    for d in db.conn.execute("SELECT id, kind, due, freq, month, day, phrase, position FROM deadlines "
                             "WHERE task_id=? ORDER BY position, id", [from_task]).fetchall():
        new_id = db.conn.execute(
            "INSERT INTO deadlines (task_id, kind, due, freq, month, day, phrase, position) VALUES (?,?,?,?,?,?,?,?)",
            [to_task, d["kind"], d["due"], d["freq"], d["month"], d["day"], d["phrase"], d["position"]]).lastrowid
        db.conn.execute("INSERT INTO instances (deadline_id, task_id, due, period_label) "
                        "SELECT ?, ?, due, period_label FROM instances WHERE deadline_id=? AND due>=? ORDER BY due, id",
                        [new_id, to_task, d["id"], since])
    db.conn.execute("INSERT INTO instances (deadline_id, task_id, due, period_label) "
                    "SELECT NULL, ?, due, period_label FROM instances WHERE task_id=? AND deadline_id IS NULL "
                    "AND due>=?", [to_task, from_task, since])
