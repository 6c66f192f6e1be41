"""Reporting cycles: when a plan's departments report even if nothing is due, and who has reported."""
from __future__ import annotations

import sqlite3

import sqlite_utils

from db.queries.visibility import of_places


def _rows(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> list[dict]:
    return [dict(r) for r in db.conn.execute(sql, params)]


def plans(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> list[dict]:
    """Plans to set cycles for (of these places; None: every plan), with their jurisdiction's name."""
    args: list = []
    where = of_places("p.jurisdiction_id", places, args)
    return _rows(db, "SELECT p.id, p.title, p.jurisdiction_id, j.name AS jurisdiction FROM plans p "
                     f"LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id WHERE {where} ORDER BY j.name, p.id", args)


def plan_place(db: sqlite_utils.Database, plan_id: int) -> tuple[bool, int | None]:
    """(whether the plan exists, its place)."""
    row = db.conn.execute("SELECT jurisdiction_id FROM plans WHERE id=?", [plan_id]).fetchone()
    return (row is not None, row[0] if row else None)


def insert_cycle(db: sqlite_utils.Database, plan_id: int, kind: str, month: int | None, day: int | None,
                 note: str | None, created_by: int | None, is_demo: bool = False) -> int:
    cur = db.conn.execute(
        "INSERT INTO report_cycles (plan_id, kind, month, day, note, created_by, is_demo) VALUES (?,?,?,?,?,?,?)",
        [plan_id, kind, month, day, note, created_by, int(is_demo)])
    return cur.lastrowid


def insert_date(db: sqlite_utils.Database, cycle_id: int, due: str, label: str | None) -> None:
    db.conn.execute("INSERT OR REPLACE INTO report_cycle_dates (cycle_id, due, label) VALUES (?,?,?)",
                    [cycle_id, due, label])


def set_active(db: sqlite_utils.Database, cycle_id: int, active: bool) -> None:
    db.conn.execute("UPDATE report_cycles SET active=? WHERE id=?", [int(active), cycle_id])


def cycle(db: sqlite_utils.Database, cycle_id: int) -> dict | None:
    row = db.conn.execute("SELECT c.*, p.title AS plan_title, p.jurisdiction_id AS place_id, j.name AS jurisdiction "
                          "FROM report_cycles c "
                          "JOIN plans p ON p.id = c.plan_id LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id "
                          "WHERE c.id=?", [cycle_id]).fetchone()
    return dict(row) if row else None


def cycles(db: sqlite_utils.Database, plan_id: int | None = None, active_only: bool = False,
           places: frozenset[int] | None = None) -> list[dict]:
    """Reporting cycles with their plan's title and place (of one plan, of the plans of these places)."""
    params: list = []
    sql = ("SELECT c.*, p.title AS plan_title, p.jurisdiction_id AS place_id, j.name AS jurisdiction "
           "FROM report_cycles c JOIN plans p ON p.id = c.plan_id LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id "
           f"WHERE {of_places('p.jurisdiction_id', places, params)}")
    if plan_id is not None:
        sql += " AND c.plan_id=?"
        params.append(plan_id)
    if active_only:
        sql += " AND c.active=1"
    return _rows(db, sql + " ORDER BY j.name, c.plan_id, c.id", params)


def dates(db: sqlite_utils.Database, cycle_id: int) -> list[dict]:
    return _rows(db, "SELECT due, label FROM report_cycle_dates WHERE cycle_id=? ORDER BY due", [cycle_id])


def plan_departments(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    """Departments answering for a live, not yet closed task of the plan that can be reached (an active
    liaison account or a liaison e-mail; groups such as 各区县政府 have neither): those expected to report."""
    return _rows(db,
                 "SELECT d.id AS department_id, d.name, j.name AS jurisdiction, "
                 "max(tu.role = 'lead') AS leads, count(DISTINCT t.id) AS tasks "
                 "FROM tasks t JOIN task_units tu ON tu.task_id = t.id JOIN departments d ON d.id = tu.department_id "
                 "LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
                 "WHERE t.plan_id=? AND t.removed=0 AND t.status != '已销号' AND (d.liaison_email IS NOT NULL "
                 "OR EXISTS (SELECT 1 FROM user_departments ud JOIN users u ON u.id = ud.user_id "
                 "WHERE ud.department_id = d.id AND u.active = 1)) "
                 "GROUP BY d.id ORDER BY leads DESC, tasks DESC, d.name", [plan_id])


def reports_in_window(db: sqlite_utils.Database, plan_id: int, after: str, until: str) -> dict[int, dict]:
    """Per department: how many reports on the plan's tasks were filed in (after, until], and the last date."""
    rows = _rows(db,
                 "SELECT r.department_id, count(*) AS n, max(coalesce(r.reported_on, date(r.created_at))) AS last "
                 "FROM reports r JOIN tasks t ON t.id = r.task_id "
                 "WHERE t.plan_id=? AND coalesce(r.reported_on, date(r.created_at)) > ? "
                 "AND coalesce(r.reported_on, date(r.created_at)) <= ? GROUP BY r.department_id",
                 [plan_id, after, until])
    return {r["department_id"]: r for r in rows}


def joint_meetings(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    """The plan's scheduled joint meetings (联席会议), for a 'before each meeting' cycle; none if not recorded."""
    try:
        return _rows(db, "SELECT m.id, m.title, m.date FROM meetings m JOIN meeting_plans mp ON mp.meeting_id = m.id "
                         "WHERE mp.plan_id=? AND m.kind='联席会议' ORDER BY m.date", [plan_id])
    except sqlite3.OperationalError:  # a database without the meetings tables
        return []
