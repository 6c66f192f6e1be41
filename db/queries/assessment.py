"""What the department assessment (考核) counts: deadlines due in a window, reports filed for them, returns."""
from __future__ import annotations

import sqlite_utils

from db.queries.visibility import of_places

_REPORT_DAY = "coalesce(r.reported_on, substr(r.created_at, 1, 10))"


def _plan_cond(plan_id: int | None) -> tuple[str, list]:
    if plan_id is None:
        return "", []
    return (" AND (t.plan_id = ? OR t.meeting_id IN (SELECT meeting_id FROM meeting_plans WHERE plan_id = ?))",
            [plan_id, plan_id])


def due_instances(db: sqlite_utils.Database, start: str, end: str, plan_id: int | None = None,
                  lead_months: int = 3) -> list[dict]:
    """Every (department, deadline instance) pair falling due in [start, end] or earlier and still not closed
    at start, with the department's role,
    whether the instance was closed and when, and the date of the department's last report on the task
    dated in the `lead_months` months up to the due date."""
    pc, pp = _plan_cond(plan_id)
    return [dict(r) for r in db.conn.execute(f"""
        SELECT u.department_id, u.role, i.id AS instance_id, i.task_id, i.due, i.state,
               substr(i.closed_at, 1, 10) AS closed_on,
               (SELECT max({_REPORT_DAY}) FROM reports r WHERE r.task_id = i.task_id
                  AND r.department_id = u.department_id
                  AND {_REPORT_DAY} BETWEEN date(i.due, ?) AND i.due) AS reported_on
        FROM instances i JOIN tasks t ON t.id = i.task_id JOIN task_units u ON u.task_id = i.task_id
        WHERE t.removed = 0 AND i.due <= ?
          AND (i.due >= ? OR i.state != 'closed' OR substr(i.closed_at, 1, 10) > ?){pc}
        ORDER BY u.department_id, i.due, i.id""", [f"-{int(lead_months)} months", end, start, start] + pp)]


def returned_reports(db: sqlite_utils.Database, start: str, end: str, plan_id: int | None = None) -> dict[int, int]:
    """How many of each department's reports dated in [start, end] the office returned (退回)."""
    pc, pp = _plan_cond(plan_id)
    rows = db.conn.execute(f"""
        SELECT r.department_id, count(*) FROM reports r JOIN tasks t ON t.id = r.task_id
        WHERE r.review_state = '已退回' AND {_REPORT_DAY} BETWEEN ? AND ?{pc} GROUP BY r.department_id""",
                           [start, end] + pp)
    return {r[0]: r[1] for r in rows}


def departments_with_tasks(db: sqlite_utils.Database, plan_id: int | None = None,
                           places: frozenset[int] | None = None) -> list[dict]:
    """Departments (of these places; None: any) that answer for at least one live task (of the plan), with
    their jurisdiction."""
    pc, pp = _plan_cond(plan_id)
    args: list = []
    place_cond = of_places("d.jurisdiction_id", places, args)
    return [dict(r) for r in db.conn.execute(f"""
        SELECT d.id, d.name, j.name AS jurisdiction FROM departments d LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id
        WHERE {place_cond} AND EXISTS (SELECT 1 FROM task_units u JOIN tasks t ON t.id = u.task_id
                      WHERE u.department_id = d.id AND t.removed = 0{pc})
        ORDER BY d.jurisdiction_id, d.id""", args + pp)]
