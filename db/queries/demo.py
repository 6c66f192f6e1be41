"""Writing the demo history: reports, status changes and instance states with dates in the past."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks


def insert_report(db: sqlite_utils.Database, row: dict) -> int:
    """One demo report (is_demo=1) with its own creation and review timestamps."""
    cols = ["task_id", "instance_id", "department_id", "user_id", "progress_text", "percent", "claimed_status",
            "coordination_need", "coordination_from", "review_state", "reviewed_by", "reviewed_at", "review_note",
            "period", "created_at"]
    if "reported_on" in columns(db, "reports"):
        row = dict(row, reported_on=(row.get("created_at") or "")[:10] or None)
        cols.append("reported_on")
    return db.conn.execute(
        f"INSERT INTO reports ({', '.join(cols)}, is_demo) VALUES ({marks(cols)}, 1)",
        [row.get(c) for c in cols]).lastrowid


def columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {r[1] for r in db.conn.execute(f"PRAGMA table_info({table})")}


def insert_history(db: sqlite_utils.Database, task_id: int, old: str | None, new: str, user_id: int | None,
                   note: str | None, at: str, instance_id: int | None = None) -> None:
    db.conn.execute(
        "INSERT INTO status_history (task_id, instance_id, old_status, new_status, user_id, note, at) "
        "VALUES (?,?,?,?,?,?,?)", [task_id, instance_id, old, new, user_id, note, at])


def set_task_state(db: sqlite_utils.Database, task_id: int, status: str, progress: int, at: str) -> None:
    db.conn.execute("UPDATE tasks SET status=?, progress=?, updated_at=? WHERE id=?", [status, progress, at, task_id])


def set_instance(db: sqlite_utils.Database, instance_id: int, state: str, closed_at: str | None,
                 overdue_since: str | None) -> None:
    db.conn.execute("UPDATE instances SET state=?, closed_at=?, overdue_since=? WHERE id=?",
                    [state, closed_at, overdue_since, instance_id])


def tasks_with_instances(db: sqlite_utils.Database) -> list[dict]:
    """Every live task with its lead department, plan dates and instances (JSON), in id order."""
    import json

    rows = db.conn.execute(
        "SELECT t.id, t.title, t.plan_id, t.created_at, p.published, p.period_start, p.period_end, p.jurisdiction_id, "
        "(SELECT department_id FROM task_units u WHERE u.task_id=t.id ORDER BY u.role='co', u.position LIMIT 1) "
        "AS lead_id, (SELECT json_group_array(json_array(id, due, period_label)) FROM "
        "(SELECT id, due, period_label FROM instances i WHERE i.task_id=t.id ORDER BY due, id)) AS inst "
        "FROM tasks t LEFT JOIN plans p ON p.id=t.plan_id WHERE t.removed=0 ORDER BY t.id").fetchall()
    out = []
    for r in rows:
        row = dict(r)
        row["instances"] = [{"id": i, "due": d, "label": lb} for i, d, lb in json.loads(row.pop("inst") or "[]")]
        out.append(row)
    return out


def co_departments(db: sqlite_utils.Database, task_id: int) -> list[int]:
    return [r[0] for r in db.conn.execute(
        "SELECT department_id FROM task_units WHERE task_id=? AND role='co' ORDER BY position", [task_id])]


def user_for_department(db: sqlite_utils.Database, department_id: int) -> int | None:
    row = db.conn.execute("SELECT user_id FROM user_departments WHERE department_id=? ORDER BY user_id LIMIT 1",
                          [department_id]).fetchone()
    return row[0] if row else None


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    """One value from the meta table (initialised, demo), or None when it was never set."""
    row = db.conn.execute("SELECT value FROM meta WHERE key=?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    [key, value])


def backdate_overdue(db: sqlite_utils.Database, today: str) -> None:
    """As if the daily check had run every day: open instances past due were flagged the day after."""
    db.conn.execute("UPDATE instances SET overdue_since=date(due, '+1 day') WHERE state='open' AND due<? "
                    "AND overdue_since IS NULL AND task_id IN (SELECT id FROM tasks WHERE removed=0 AND status!='已销号')",
                    [today])
