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


def plan_task_id(db: sqlite_utils.Database, place_id: int, title: str) -> int | None:
    """The live task of a place's plan with this title (the first by id), or None."""
    row = db.conn.execute("SELECT t.id FROM tasks t JOIN plans p ON p.id=t.plan_id WHERE p.jurisdiction_id=? "
                          "AND t.title=? AND t.removed=0 ORDER BY t.id LIMIT 1", [place_id, title]).fetchone()
    return row[0] if row else None


def lead_department(db: sqlite_utils.Database, task_id: int) -> int | None:
    row = db.conn.execute("SELECT department_id FROM task_units WHERE task_id=? ORDER BY role='co', position LIMIT 1",
                          [task_id]).fetchone()
    return row[0] if row else None


def open_instances(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    """A task's instances not yet closed nor claimed (id, due, label), earliest due first."""
    return [{"id": r[0], "due": r[1], "label": r[2]} for r in db.conn.execute(
        "SELECT id, due, period_label FROM instances WHERE task_id=? AND state='open' ORDER BY due, id", [task_id])]


def high_water(db: sqlite_utils.Database) -> dict[str, int]:
    """The last row ids of the tables a service step writes dated rows to (see date_since)."""
    return {table: db.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            for table in ("tasks", "reports", "status_history")}


def date_since(db: sqlite_utils.Database, mark: dict[str, int], at: str) -> None:
    """Date the tasks and status changes written since `mark` at `at` (a demo step done in the past; a report is
    dated when inserted: insert_report)."""
    db.conn.execute("UPDATE tasks SET created_at=?, updated_at=? WHERE id>?", [at, at, mark["tasks"]])
    db.conn.execute("UPDATE status_history SET at=? WHERE id>?", [at, mark["status_history"]])


def date_review(db: sqlite_utils.Database, report_id: int, at: str) -> None:
    db.conn.execute("UPDATE reports SET reviewed_at=? WHERE id=?", [at, report_id])


def date_updates(db: sqlite_utils.Database, task_ids: list[int]) -> None:
    """Each task's last update: its last status change (or its creation)."""
    if task_ids:
        db.conn.execute(
            "UPDATE tasks SET updated_at=coalesce((SELECT max(at) FROM status_history h WHERE h.task_id=tasks.id), "
            f"created_at) WHERE id IN ({marks(task_ids)})", task_ids)


def task_row(db: sqlite_utils.Database, task_id: int) -> dict:
    """A task's id, title and place."""
    return dict(db.conn.execute("SELECT id, title, jurisdiction_id FROM tasks WHERE id=?", [task_id]).fetchone())
