"""Indicators, the units that answer for them, and their reported actual values."""
from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from db.queries.sql import marks

FIELDS = ["table_name", "category", "number", "name", "measure_unit", "baseline", "baseline_year", "target",
          "target_year", "comparison", "nature"]

_SELECT = """
SELECT i.*, p.title AS plan_title, p.source_name AS plan_source, p.jurisdiction_id,
       j.name AS jurisdiction, p.period_start, p.period_end, p.is_demo AS plan_is_demo
FROM indicators i
JOIN plans p ON p.id = i.plan_id
LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id
"""


def _in(column: str, ids: Iterable[int]) -> tuple[str, list]:
    ids = list(ids)
    return f"{column} IN ({marks(ids)})" if ids else "0", ids


def rows(db: sqlite_utils.Database, *, plan_id: int | None = None, category: str | None = None,
         nature: str | None = None, department_id: int | None = None,
         jurisdiction_ids: Iterable[int] | None = None, indicator_id: int | None = None) -> list[dict]:
    """Indicators with their plan and jurisdiction, in plan then table order."""
    where, params = [], []
    if indicator_id is not None:
        where.append("i.id = ?")
        params.append(indicator_id)
    if plan_id is not None:
        where.append("i.plan_id = ?")
        params.append(plan_id)
    if category:
        where.append("i.category = ?")
        params.append(category)
    if nature == "未标注":
        where.append("(i.nature IS NULL OR i.nature = '')")
    elif nature:
        where.append("i.nature = ?")
        params.append(nature)
    if department_id is not None:
        where.append("i.id IN (SELECT indicator_id FROM indicator_units WHERE department_id = ?)")
        params.append(department_id)
    if jurisdiction_ids is not None:
        clause, ids = _in("p.jurisdiction_id", jurisdiction_ids)
        where.append(clause)
        params += ids
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY i.plan_id, i.position, i.id"
    return [dict(r) for r in db.conn.execute(sql, params)]


def get(db: sqlite_utils.Database, indicator_id: int) -> dict | None:
    found = rows(db, indicator_id=indicator_id)
    return found[0] if found else None


def units(db: sqlite_utils.Database, indicator_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The responsible departments of each indicator, in the order the plan lists them."""
    clause, ids = _in("u.indicator_id", indicator_ids)
    out: dict[int, list[dict]] = {}
    for r in db.conn.execute(
            "SELECT u.indicator_id, u.department_id, d.name FROM indicator_units u "
            f"JOIN departments d ON d.id = u.department_id WHERE {clause} ORDER BY u.indicator_id, u.position", ids):
        out.setdefault(r["indicator_id"], []).append({"department_id": r["department_id"], "name": r["name"]})
    return out


def latest_actuals(db: sqlite_utils.Database, indicator_ids: Iterable[int], max_year: int) -> dict[int, dict]:
    """Each indicator's latest actual up to max_year: the latest year, and within it the last report."""
    clause, ids = _in("indicator_id", indicator_ids)
    sql = ("SELECT * FROM (SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.indicator_id ORDER BY a.year DESC, a.id DESC) rn "
           f"FROM indicator_actuals a WHERE {clause} AND a.year <= ?) WHERE rn = 1")
    return {r["indicator_id"]: dict(r) for r in db.conn.execute(sql, [*ids, max_year])}


def actuals(db: sqlite_utils.Database, indicator_id: int) -> list[dict]:
    """Every reported value of one indicator, oldest first, with who reported it."""
    return [dict(r) for r in db.conn.execute(
        "SELECT a.*, d.name AS department_name, u.username, u.display_name FROM indicator_actuals a "
        "LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.user_id "
        "WHERE a.indicator_id = ? ORDER BY a.year, a.id", [indicator_id])]


def insert_actual(db: sqlite_utils.Database, indicator_id: int, year: int, value: str, source_note: str | None,
                  department_id: int | None, user_id: int | None, is_demo: bool = False) -> int:
    cur = db.conn.execute(
        "INSERT INTO indicator_actuals (indicator_id, year, value, source_note, department_id, user_id, is_demo) "
        "VALUES (?,?,?,?,?,?,?)", [indicator_id, year, value, source_note, department_id, user_id, int(is_demo)])
    return cur.lastrowid


def update_fields(db: sqlite_utils.Database, indicator_id: int, fields: dict) -> None:
    """Set some of the indicator's own columns (names checked against FIELDS)."""
    cols = [c for c in fields if c in FIELDS]
    if not cols:
        return
    db.conn.execute(f"UPDATE indicators SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    [fields[c] for c in cols] + [indicator_id])


def set_units(db: sqlite_utils.Database, indicator_id: int, department_ids: list[int]) -> None:
    db.conn.execute("DELETE FROM indicator_units WHERE indicator_id = ?", [indicator_id])
    db.conn.executemany("INSERT INTO indicator_units (indicator_id, department_id, position) VALUES (?,?,?)",
                        [(indicator_id, d, n) for n, d in enumerate(department_ids)])


def plans(db: sqlite_utils.Database, jurisdiction_ids: Iterable[int] | None = None) -> list[dict]:
    """The plans that have indicators, with their jurisdiction."""
    where, params = "", []
    if jurisdiction_ids is not None:
        clause, params = _in("p.jurisdiction_id", jurisdiction_ids)
        where = "AND " + clause
    return [dict(r) for r in db.conn.execute(
        "SELECT p.id, p.title, p.source_name, p.jurisdiction_id, j.name AS jurisdiction FROM plans p "
        "LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id "
        f"WHERE EXISTS (SELECT 1 FROM indicators i WHERE i.plan_id = p.id) {where} ORDER BY p.id", params)]


def categories(db: sqlite_utils.Database, jurisdiction_ids: Iterable[int] | None = None) -> list[str]:
    """The categories the plans' indicators carry (the office may name any), most used first."""
    where, params = "", []
    if jurisdiction_ids is not None:
        clause, params = _in("p.jurisdiction_id", jurisdiction_ids)
        where = "AND " + clause
    return [r[0] for r in db.conn.execute(
        "SELECT i.category FROM indicators i JOIN plans p ON p.id = i.plan_id "
        f"WHERE coalesce(i.category, '') != '' {where} GROUP BY i.category ORDER BY count(*) DESC, i.category",
        params)]


def responsible_departments(db: sqlite_utils.Database, jurisdiction_ids: Iterable[int] | None = None) -> list[dict]:
    """Departments that answer for at least one indicator."""
    where, params = "d.id IN (SELECT department_id FROM indicator_units)", []
    if jurisdiction_ids is not None:
        clause, params = _in("d.jurisdiction_id", jurisdiction_ids)
        where += " AND " + clause
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, d.jurisdiction_id, j.name AS jurisdiction FROM departments d "
        f"LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE {where} "
        "ORDER BY d.jurisdiction_id, d.name", params)]


def departments_in(db: sqlite_utils.Database, jurisdiction_id: int | None) -> list[dict]:
    """The departments of one jurisdiction (those that may be named responsible for its indicators)."""
    where = "jurisdiction_id IS NULL" if jurisdiction_id is None else "jurisdiction_id = ?"
    params = [] if jurisdiction_id is None else [jurisdiction_id]
    return [dict(r) for r in db.conn.execute(f"SELECT id, name FROM departments WHERE {where} ORDER BY name", params)]


def demo_actuals_exist(db: sqlite_utils.Database) -> bool:
    return db.conn.execute("SELECT 1 FROM indicator_actuals WHERE is_demo = 1 LIMIT 1").fetchone() is not None


def audit_rows(db: sqlite_utils.Database, indicator_ids: Iterable[int], actions: Iterable[str]) -> list[dict]:
    """The audit rows of these indicators with these actions, oldest first (the office's corrections)."""
    clause, ids = _in("entity_id", indicator_ids)
    actions = list(actions)
    return [dict(r) for r in db.conn.execute(
        f"SELECT id, action, entity_id, detail FROM audit_log WHERE entity = 'indicator' AND {clause} "
        f"AND action IN ({marks(actions)}) ORDER BY id", [*ids, *actions])]


def department_names(db: sqlite_utils.Database, department_ids: Iterable[int]) -> dict[int, str]:
    clause, ids = _in("id", department_ids)
    return {r[0]: r[1] for r in db.conn.execute(f"SELECT id, name FROM departments WHERE {clause}", ids)}
