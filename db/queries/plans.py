"""Plans, their jurisdictions, sections and earlier versions."""
from __future__ import annotations

import json

import sqlite_utils

from db.queries.sql import marks


def jurisdiction_by_name(db: sqlite_utils.Database, name: str) -> int | None:
    """The place a plan of the whole database names: the only one so called, else the top-level one (None)."""
    rows = db.conn.execute("SELECT id, parent_id FROM jurisdictions WHERE name=? ORDER BY parent_id IS NOT NULL, id",
                           [name]).fetchall()
    if len(rows) == 1 or (rows and rows[0][1] is None):
        return rows[0][0]
    return None


def ensure_jurisdiction(db: sqlite_utils.Database, name: str) -> int:
    """The place of the whole database's lookup by name, stored at the top if new."""
    found = jurisdiction_by_name(db, name)
    if found is not None:
        return found
    return db.conn.execute("INSERT INTO jurisdictions (name) VALUES (?)", [name]).lastrowid


def jurisdictions(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.conn.execute("SELECT id, name FROM jurisdictions ORDER BY id")]


def by_hash(db: sqlite_utils.Database, source_hash: str) -> dict | None:
    row = db.conn.execute("SELECT * FROM plans WHERE source_hash=?", [source_hash]).fetchone()
    return dict(row) if row else None


def version_by_hash(db: sqlite_utils.Database, source_hash: str) -> dict | None:
    """An earlier version of some plan with this file hash."""
    row = db.conn.execute(
        "SELECT v.*, p.title FROM plan_versions v JOIN plans p ON p.id=v.plan_id WHERE v.source_hash=? "
        "ORDER BY v.id DESC LIMIT 1", [source_hash]).fetchone()
    return dict(row) if row else None


def same_document(db: sqlite_utils.Database, jurisdiction_id: int, title: str | None) -> dict | None:
    """The stored plan of this jurisdiction whose extracted title is this one (both may be missing)."""
    row = db.conn.execute(
        "SELECT * FROM plans WHERE jurisdiction_id=? AND "
        "coalesce(json_extract(extraction, '$.title'), '') = coalesce(?, '') ORDER BY id LIMIT 1",
        [jurisdiction_id, title]).fetchone()
    return dict(row) if row else None


def get(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    row = db.conn.execute(
        "SELECT p.*, j.name AS jurisdiction FROM plans p LEFT JOIN jurisdictions j ON j.id=p.jurisdiction_id "
        "WHERE p.id=?", [plan_id]).fetchone()
    return dict(row) if row else None


def insert(db: sqlite_utils.Database, **fields) -> int:
    cols = list(fields)
    return db.conn.execute(
        f"INSERT INTO plans ({', '.join(cols)}) VALUES ({marks(cols)})",
        [fields[c] for c in cols]).lastrowid


def update(db: sqlite_utils.Database, plan_id: int, **fields) -> None:
    cols = list(fields)
    db.conn.execute(f"UPDATE plans SET {', '.join(f'{c}=?' for c in cols)} WHERE id=?",
                    [fields[c] for c in cols] + [plan_id])


def save_version(db: sqlite_utils.Database, plan: dict) -> None:
    """Keep the plan's current version before a revision replaces it."""
    db.conn.execute(
        "INSERT INTO plan_versions (plan_id, version, source_name, source_hash, extraction, imported_at) "
        "VALUES (?,?,?,?,?,?)",
        [plan["id"], plan["version"], plan["source_name"], plan["source_hash"], plan["extraction"],
         plan["imported_at"]])


def versions(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT id, plan_id, version, source_name, source_hash, imported_at, replaced_at FROM plan_versions "
        "WHERE plan_id=? ORDER BY version", [plan_id])]


def list_plans(db: sqlite_utils.Database) -> list[dict]:
    """Every plan with its jurisdiction and task counts (removed tasks not counted)."""
    return [dict(r) for r in db.conn.execute(
        "SELECT p.id, p.title, p.issuer, p.doc_number, p.published, p.period_start, p.period_end, "
        "p.source_name, p.source_hash, p.version, p.is_demo, p.imported_at, j.id AS jurisdiction_id, "
        "j.name AS jurisdiction, "
        "(SELECT count(*) FROM tasks t WHERE t.plan_id=p.id AND t.removed=0) AS tasks, "
        "(SELECT count(*) FROM tasks t WHERE t.plan_id=p.id AND t.removed=0 AND t.status='已销号') AS closed, "
        "(SELECT count(*) FROM indicators i WHERE i.plan_id=p.id) AS indicators "
        "FROM plans p LEFT JOIN jurisdictions j ON j.id=p.jurisdiction_id ORDER BY p.id")]


def sections(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT id, parent_id, level, title, position FROM sections WHERE plan_id=? ORDER BY position", [plan_id])]


def insert_section(db: sqlite_utils.Database, plan_id: int, parent_id: int | None, level: int, title: str,
                   position: int) -> int:
    return db.conn.execute(
        "INSERT INTO sections (plan_id, parent_id, level, title, position) VALUES (?,?,?,?,?)",
        [plan_id, parent_id, level, title, position]).lastrowid


def indicators(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    rows = [dict(r) for r in db.conn.execute(
        "SELECT i.*, (SELECT count(*) FROM indicator_actuals a WHERE a.indicator_id=i.id) AS actuals "
        "FROM indicators i WHERE plan_id=? ORDER BY position, id", [plan_id])]
    return rows


def insert_indicator(db: sqlite_utils.Database, plan_id: int, row: dict, position: int) -> int:
    return db.conn.execute(
        "INSERT INTO indicators (plan_id, table_name, category, number, name, measure_unit, baseline, "
        "baseline_year, target, target_year, comparison, nature, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [plan_id, row.get("table"), row.get("category"), row.get("number"), row["name"], row.get("measure_unit"),
         row.get("baseline"), row.get("baseline_year"), row.get("target"), row.get("target_year"),
         row.get("comparison"), row.get("nature"), position]).lastrowid


def update_indicator(db: sqlite_utils.Database, indicator_id: int, row: dict, position: int) -> None:
    db.conn.execute(
        "UPDATE indicators SET table_name=?, category=?, number=?, name=?, measure_unit=?, baseline=?, "
        "baseline_year=?, target=?, target_year=?, comparison=?, nature=?, position=? WHERE id=?",
        [row.get("table"), row.get("category"), row.get("number"), row["name"], row.get("measure_unit"),
         row.get("baseline"), row.get("baseline_year"), row.get("target"), row.get("target_year"),
         row.get("comparison"), row.get("nature"), position, indicator_id])


def delete_indicator(db: sqlite_utils.Database, indicator_id: int) -> None:
    db.conn.execute("DELETE FROM indicators WHERE id=?", [indicator_id])


def set_indicator_units(db: sqlite_utils.Database, indicator_id: int, department_ids: list[int]) -> None:
    db.conn.execute("DELETE FROM indicator_units WHERE indicator_id=?", [indicator_id])
    seen: list[int] = []
    for d in department_ids:
        if d not in seen:
            seen.append(d)
    db.conn.executemany("INSERT INTO indicator_units (indicator_id, department_id, position) VALUES (?,?,?)",
                        [(indicator_id, d, i) for i, d in enumerate(seen)])


def extraction_of(plan: dict) -> dict:
    return json.loads(plan["extraction"]) if plan.get("extraction") else {}
