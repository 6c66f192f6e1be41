"""What the 导入 review and the after-import checklist ask of the directory: known names, reachable units."""
from __future__ import annotations

import sqlite_utils


def names_elsewhere(db: sqlite_utils.Database, jurisdiction_id: int | None) -> set[str]:
    """Department names and aliases of every other jurisdiction (a unit known there is not wholly new)."""
    rows = db.conn.execute(
        "SELECT name FROM departments WHERE coalesce(jurisdiction_id, 0) != coalesce(?, 0) "
        "UNION SELECT alias FROM department_aliases WHERE coalesce(jurisdiction_id, 0) != coalesce(?, 0)",
        [jurisdiction_id, jurisdiction_id])
    return {r[0] for r in rows}


def plan_units_reach(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    """The plan's answering departments (live tasks) with how they can be reached: active liaison accounts,
    accounts with an e-mail, and the liaison details on the department itself."""
    rows = db.conn.execute(
        "SELECT d.id AS department_id, d.name, d.liaison_name, d.liaison_phone, d.liaison_email, "
        "max(tu.role = 'lead') AS leads, count(DISTINCT t.id) AS tasks, "
        "(SELECT count(*) FROM user_departments ud JOIN users u ON u.id = ud.user_id "
        " WHERE ud.department_id = d.id AND u.active = 1 AND u.role = 'liaison') AS accounts, "
        "(SELECT count(*) FROM user_departments ud JOIN users u ON u.id = ud.user_id "
        " WHERE ud.department_id = d.id AND u.active = 1 AND u.role = 'liaison' "
        " AND coalesce(u.email, '') != '') AS accounts_with_email "
        "FROM tasks t JOIN task_units tu ON tu.task_id = t.id JOIN departments d ON d.id = tu.department_id "
        "WHERE t.plan_id = ? AND t.removed = 0 GROUP BY d.id ORDER BY leads DESC, tasks DESC, d.id", [plan_id])
    return [dict(r) for r in rows]


def active_cycles(db: sqlite_utils.Database, plan_id: int) -> int:
    """How many reporting cycles of the plan are active."""
    return db.conn.execute("SELECT count(*) FROM report_cycles WHERE plan_id = ? AND active = 1",
                           [plan_id]).fetchone()[0]


def plan_brief(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    """A plan's id, title and jurisdiction."""
    row = db.conn.execute("SELECT p.id, p.title, p.jurisdiction_id, j.name AS jurisdiction FROM plans p "
                          "LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id WHERE p.id = ?", [plan_id]).fetchone()
    return dict(row) if row else None
