"""Task status changes and their history."""
from __future__ import annotations

import sqlite_utils


def current(db: sqlite_utils.Database, task_id: int) -> dict | None:
    row = db.conn.execute("SELECT id, status, progress FROM tasks WHERE id=?", [task_id]).fetchone()
    return dict(row) if row else None


def set_status(db: sqlite_utils.Database, task_id: int, old: str | None, new: str, user_id: int | None,
               note: str | None, instance_id: int | None = None, progress: int | None = None) -> None:
    if progress is None:
        db.conn.execute("UPDATE tasks SET status=?, updated_at=datetime('now') WHERE id=?", [new, task_id])
    else:
        db.conn.execute("UPDATE tasks SET status=?, progress=?, updated_at=datetime('now') WHERE id=?",
                        [new, progress, task_id])
    db.conn.execute(
        "INSERT INTO status_history (task_id, instance_id, old_status, new_status, user_id, note) VALUES (?,?,?,?,?,?)",
        [task_id, instance_id, old, new, user_id, note],
    )


def history(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT h.*, u.username FROM status_history h LEFT JOIN users u ON u.id = h.user_id "
        "WHERE h.task_id=? ORDER BY h.at, h.id", [task_id])]


def lead_department_ids(db: sqlite_utils.Database, task_id: int) -> set[int]:
    """The lead departments of a task (only their reports move its status)."""
    return {r[0] for r in db.conn.execute(
        "SELECT department_id FROM task_units WHERE task_id=? AND role='lead'", [task_id])}


def instance_task(db: sqlite_utils.Database, instance_id: int) -> int | None:
    """The task a deadline instance belongs to, or None if there is no such instance."""
    row = db.conn.execute("SELECT task_id FROM instances WHERE id=?", [instance_id]).fetchone()
    return row[0] if row else None
