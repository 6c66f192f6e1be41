"""Progress reports, the tasks and deadline instances they are about, and the office's review of them."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks
from db.queries.visibility import of_places

REPORT_COLUMNS = """
    r.*, d.name AS department_name, j.name AS jurisdiction, u.username, u.display_name,
    rv.username AS reviewer, t.title AS task_title, t.number AS task_number, t.plan_id, t.status AS task_status,
    p.title AS plan_title, i.due AS instance_due, i.period_label AS instance_label, i.state AS instance_state,
    tu.role AS unit_role, t.jurisdiction_id AS task_place_id
"""
REPORT_JOINS = """
    FROM reports r
    JOIN tasks t ON t.id = r.task_id
    LEFT JOIN plans p ON p.id = t.plan_id
    JOIN departments d ON d.id = r.department_id
    LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id
    LEFT JOIN users u ON u.id = r.user_id
    LEFT JOIN users rv ON rv.id = r.reviewed_by
    LEFT JOIN instances i ON i.id = r.instance_id
    LEFT JOIN task_units tu ON tu.task_id = r.task_id AND tu.department_id = r.department_id
"""


def _rows(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> list[dict]:
    return [dict(r) for r in db.conn.execute(sql, params)]


def task(db: sqlite_utils.Database, task_id: int) -> dict | None:
    """One task with its plan's title, period and jurisdiction."""
    row = db.conn.execute(
        "SELECT t.id, t.plan_id, t.number, t.seq, t.title, t.body, t.status, t.progress, t.removed, t.source, "
        "t.jurisdiction_id, p.title AS plan_title, p.period_start, p.period_end, j.name AS jurisdiction "
        "FROM tasks t LEFT JOIN plans p ON p.id = t.plan_id LEFT JOIN jurisdictions j ON j.id = t.jurisdiction_id "
        "WHERE t.id=?", [task_id]).fetchone()
    return dict(row) if row else None


def task_units(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    """The departments answering for a task, lead first."""
    return _rows(db,
                 "SELECT tu.department_id, tu.role, d.name, j.name AS jurisdiction FROM task_units tu "
                 "JOIN departments d ON d.id = tu.department_id LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
                 "WHERE tu.task_id=? ORDER BY tu.role = 'co', tu.position", [task_id])


def instances(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    """A task's deadline instances, earliest first."""
    return _rows(db, "SELECT id, task_id, due, period_label, state, closed_at, overdue_since FROM instances "
                     "WHERE task_id=? ORDER BY due, id", [task_id])


def instances_for_tasks(db: sqlite_utils.Database, task_ids: list[int]) -> list[dict]:
    if not task_ids:
        return []
    return _rows(db, f"SELECT id, task_id, due, period_label, state FROM instances "
                     f"WHERE task_id IN ({marks(task_ids)}) ORDER BY due, id", task_ids)


def instance(db: sqlite_utils.Database, instance_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM instances WHERE id=?", [instance_id]).fetchone()
    return dict(row) if row else None


def set_instance_state(db: sqlite_utils.Database, instance_id: int, state: str, closed_at: str | None) -> None:
    db.conn.execute("UPDATE instances SET state=?, closed_at=? WHERE id=?", [state, closed_at, instance_id])


def unclosed_instance_count(db: sqlite_utils.Database, task_id: int) -> int:
    return db.conn.execute("SELECT count(*) FROM instances WHERE task_id=? AND state != 'closed'",
                           [task_id]).fetchone()[0]


def insert_report(db: sqlite_utils.Database, *, task_id: int, instance_id: int | None, department_id: int,
                  user_id: int | None, supersedes_id: int | None, progress_text: str, percent: int,
                  claimed_status: str, coordination_need: str | None, coordination_from: str | None,
                  period: str | None, reported_on: str, is_demo: bool = False, period_id: int | None = None) -> int:
    cur = db.conn.execute(
        "INSERT INTO reports (task_id, instance_id, department_id, user_id, supersedes_id, progress_text, percent, "
        "claimed_status, coordination_need, coordination_from, period, period_id, reported_on, is_demo) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [task_id, instance_id, department_id, user_id, supersedes_id, progress_text, percent, claimed_status,
         coordination_need, coordination_from, period, period_id, reported_on, int(is_demo)])
    return cur.lastrowid



def report(db: sqlite_utils.Database, report_id: int) -> dict | None:
    """One report with its task, department, author, reviewer and instance."""
    row = db.conn.execute(f"SELECT {REPORT_COLUMNS} {REPORT_JOINS} WHERE r.id=?", [report_id]).fetchone()
    return dict(row) if row else None


def set_review(db: sqlite_utils.Database, report_id: int, state: str, reviewer_id: int | None,
               reviewed_at: str | None, note: str | None) -> None:
    db.conn.execute("UPDATE reports SET review_state=?, reviewed_by=?, reviewed_at=?, review_note=? WHERE id=?",
                    [state, reviewer_id, reviewed_at, note, report_id])


def reports_for_task(db: sqlite_utils.Database, task_id: int, department_ids: list[int] | None = None) -> list[dict]:
    """Every version of every report on a task (newest first), optionally only these departments'."""
    sql = f"SELECT {REPORT_COLUMNS} {REPORT_JOINS} WHERE r.task_id=?"
    params: list = [task_id]
    if department_ids is not None:
        sql += f" AND r.department_id IN ({marks(department_ids) or 'NULL'})"
        params += list(department_ids)
    return _rows(db, sql + " ORDER BY r.id DESC", params)


def latest_per_department(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    """The newest report of each department on a task."""
    return _rows(db, f"SELECT {REPORT_COLUMNS} {REPORT_JOINS} WHERE r.id IN ("
                     "SELECT max(id) FROM reports WHERE task_id=? GROUP BY department_id) "
                     "ORDER BY tu.role = 'co', r.id DESC", [task_id])


def latest_lead_reports(db: sqlite_utils.Database, task_ids: list[int]) -> dict[int, dict]:
    """For each task, the newest report filed by its lead department."""
    if not task_ids:
        return {}
    rows = _rows(db, f"SELECT r.task_id, r.id, r.claimed_status, r.percent, r.review_state, r.reported_on "
                     f"FROM reports r WHERE r.id IN (SELECT max(r2.id) FROM reports r2 JOIN task_units tu "
                     f"ON tu.task_id = r2.task_id AND tu.department_id = r2.department_id AND tu.role = 'lead' "
                     f"WHERE r2.task_id IN ({marks(task_ids)}) GROUP BY r2.task_id)", task_ids)
    return {r["task_id"]: r for r in rows}




def pending(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> list[dict]:
    """The review queue: reports awaiting the office on tasks of these places (None: every task), oldest first."""
    args: list = []
    return _rows(db, f"SELECT {REPORT_COLUMNS} {REPORT_JOINS} WHERE r.review_state='待审核' "
                     f"AND {of_places('t.jurisdiction_id', places, args)} ORDER BY r.created_at, r.id", args)


def recently_reviewed(db: sqlite_utils.Database, limit: int = 20, places: frozenset[int] | None = None) -> list[dict]:
    """The latest reviewed reports on tasks of these places (None: every task), newest first."""
    args: list = []
    where = of_places("t.jurisdiction_id", places, args)
    return _rows(db, f"SELECT {REPORT_COLUMNS} {REPORT_JOINS} WHERE r.review_state IN ('已采纳', '已退回') "
                     f"AND {where} ORDER BY r.reviewed_at DESC, r.id DESC LIMIT ?", [*args, limit])


def returned_to_departments(db: sqlite_utils.Database, department_ids: list[int]) -> list[dict]:
    """Reports returned to these departments, newest first, each marked answered when a later one followed."""
    if not department_ids:
        return []
    return _rows(db,
                 f"SELECT {REPORT_COLUMNS}, EXISTS (SELECT 1 FROM reports later WHERE later.task_id = r.task_id "
                 f"AND later.department_id = r.department_id AND later.id > r.id) AS answered "
                 f"{REPORT_JOINS} WHERE r.review_state='已退回' AND r.department_id IN ({marks(department_ids)}) "
                 f"ORDER BY r.reviewed_at DESC, r.id DESC", list(department_ids))

