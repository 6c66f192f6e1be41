"""Departments of each jurisdiction, the other names documents use for them, and their liaisons."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks

_COLUMNS = ("d.id, d.name, d.jurisdiction_id, j.name AS jurisdiction, d.liaison_name, d.liaison_phone, "
            "d.liaison_email")


def resolve(db: sqlite_utils.Database, jurisdiction_id: int | None, name: str) -> int | None:
    """The department a jurisdiction's documents mean by this name (its own name or a stored alias)."""
    row = db.conn.execute("SELECT id FROM departments WHERE coalesce(jurisdiction_id, 0)=coalesce(?, 0) AND name=?",
                          [jurisdiction_id, name]).fetchone()
    if row:
        return row[0]
    row = db.conn.execute(
        "SELECT department_id FROM department_aliases WHERE coalesce(jurisdiction_id, 0)=coalesce(?, 0) AND alias=?",
        [jurisdiction_id, name]).fetchone()
    return row[0] if row else None


def names(db: sqlite_utils.Database, jurisdiction_id: int | None) -> list[str]:
    """The names of a jurisdiction's departments, oldest first."""
    return [r[0] for r in db.conn.execute(
        "SELECT name FROM departments WHERE coalesce(jurisdiction_id, 0)=coalesce(?, 0) ORDER BY id", [jurisdiction_id])]


def insert(db: sqlite_utils.Database, jurisdiction_id: int | None, name: str) -> int:
    return db.conn.execute("INSERT INTO departments (name, jurisdiction_id) VALUES (?,?)",
                           [name, jurisdiction_id]).lastrowid


def add_alias(db: sqlite_utils.Database, jurisdiction_id: int | None, alias: str, department_id: int) -> None:
    db.conn.execute("INSERT OR IGNORE INTO department_aliases (jurisdiction_id, alias, department_id) VALUES (?,?,?)",
                    [jurisdiction_id, alias, department_id])


def aliases(db: sqlite_utils.Database, department_id: int) -> list[str]:
    return [r[0] for r in db.conn.execute(
        "SELECT alias FROM department_aliases WHERE department_id=? ORDER BY alias", [department_id])]


def get(db: sqlite_utils.Database, department_id: int) -> dict | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM departments d LEFT JOIN jurisdictions j ON j.id=d.jurisdiction_id "
                          "WHERE d.id=?", [department_id]).fetchone()
    return dict(row) if row else None


def jurisdiction_ids(db: sqlite_utils.Database, department_ids: list[int]) -> set[int]:
    """The jurisdictions these departments belong to."""
    if not department_ids:
        return set()
    in_list = marks(department_ids)
    return {r[0] for r in db.conn.execute(
        f"SELECT DISTINCT jurisdiction_id FROM departments WHERE id IN ({in_list}) AND jurisdiction_id IS NOT NULL",
        list(department_ids))}


def place_of(db: sqlite_utils.Database, department_id: int) -> int | None:
    """The place a department belongs to."""
    row = db.conn.execute("SELECT jurisdiction_id FROM departments WHERE id=?", [department_id]).fetchone()
    return row[0] if row else None


def outside_place(db: sqlite_utils.Database, ids: list[int], place_id: int | None) -> list[str]:
    """The names of those departments that do not belong to this place."""
    if not ids:
        return []
    return [r[0] for r in db.conn.execute(
        f"SELECT name FROM departments WHERE id IN ({marks(ids)}) AND jurisdiction_id IS NOT ? ORDER BY name",
        [*ids, place_id])]


def existing_ids(db: sqlite_utils.Database, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    in_list = marks(ids)
    return {r[0] for r in db.conn.execute(f"SELECT id FROM departments WHERE id IN ({in_list})", list(ids))}


def list_all(db: sqlite_utils.Database, jurisdiction_id: int | None = None) -> list[dict]:
    """Departments with their lead / co task counts (tasks not removed), by jurisdiction then name."""
    sql = (f"SELECT {_COLUMNS}, "
           "(SELECT count(*) FROM task_units u JOIN tasks t ON t.id=u.task_id "
           " WHERE u.department_id=d.id AND u.role='lead' AND t.removed=0) AS lead_tasks, "
           "(SELECT count(*) FROM task_units u JOIN tasks t ON t.id=u.task_id "
           " WHERE u.department_id=d.id AND u.role='co' AND t.removed=0) AS co_tasks "
           "FROM departments d LEFT JOIN jurisdictions j ON j.id=d.jurisdiction_id")
    args: list = []
    if jurisdiction_id is not None:
        sql += " WHERE d.jurisdiction_id=?"
        args.append(jurisdiction_id)
    sql += " ORDER BY d.jurisdiction_id, d.id"
    return [dict(r) for r in db.conn.execute(sql, args)]


def set_liaison(db: sqlite_utils.Database, department_id: int, name: str | None, phone: str | None,
                email: str | None) -> None:
    db.conn.execute("UPDATE departments SET liaison_name=?, liaison_phone=?, liaison_email=? WHERE id=?",
                    [name, phone, email, department_id])


def users_of(db: sqlite_utils.Database, department_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT u.id, u.username, u.display_name, u.email, u.role FROM users u "
        "JOIN user_departments ud ON ud.user_id=u.id WHERE ud.department_id=? AND u.active=1 ORDER BY u.id",
        [department_id])]
