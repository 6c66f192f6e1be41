"""Accounts and the departments a liaison answers for."""
from __future__ import annotations

import sqlite_utils


def by_username(db: sqlite_utils.Database, username: str) -> dict | None:
    row = db.conn.execute("SELECT * FROM users WHERE username=?", [username]).fetchone()
    return dict(row) if row else None


def by_id(db: sqlite_utils.Database, user_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM users WHERE id=?", [user_id]).fetchone()
    return dict(row) if row else None


def department_ids(db: sqlite_utils.Database, user_id: int) -> list[int]:
    return [r[0] for r in db.conn.execute(
        "SELECT department_id FROM user_departments WHERE user_id=? ORDER BY department_id", [user_id])]


def count(db: sqlite_utils.Database) -> int:
    return db.conn.execute("SELECT count(*) FROM users").fetchone()[0]


def insert(db: sqlite_utils.Database, username: str, password_hash: str, role: str,
           display_name: str | None = None, email: str | None = None, is_demo: bool = False) -> int:
    cur = db.conn.execute(
        "INSERT INTO users (username, password_hash, role, display_name, email, is_demo) VALUES (?,?,?,?,?,?)",
        [username, password_hash, role, display_name, email, int(is_demo)],
    )
    return cur.lastrowid


def set_departments(db: sqlite_utils.Database, user_id: int, department_ids: list[int]) -> None:
    db.conn.execute("DELETE FROM user_departments WHERE user_id=?", [user_id])
    db.conn.executemany("INSERT INTO user_departments (user_id, department_id) VALUES (?,?)",
                        [(user_id, d) for d in department_ids])


def set_password_hash(db: sqlite_utils.Database, user_id: int, password_hash: str) -> None:
    db.conn.execute("UPDATE users SET password_hash=? WHERE id=?", [password_hash, user_id])


def all_users(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.conn.execute("SELECT id, username, display_name, role, email, active, is_demo FROM users ORDER BY id")]


def set_active(db: sqlite_utils.Database, user_id: int, active: bool) -> None:
    db.conn.execute("UPDATE users SET active=? WHERE id=?", [int(active), user_id])


def users_with_departments(db: sqlite_utils.Database) -> list[dict]:
    """Every account with its place and the departments it answers for ("郑州市/市民政局", joined by "、")."""
    return [dict(r) for r in db.conn.execute(
        "SELECT u.id, u.username, u.display_name, u.role, u.email, u.active, u.is_demo, u.created_at, u.locked_at, "
        "u.jurisdiction_id, (SELECT name FROM jurisdictions WHERE id = u.jurisdiction_id) AS place, "
        "(SELECT group_concat(coalesce(j.name || '/', '') || d.name, '、') FROM user_departments ud "
        " JOIN departments d ON d.id = ud.department_id LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
        " WHERE ud.user_id = u.id) AS departments "
        "FROM users u ORDER BY u.username")]


def departments(db: sqlite_utils.Database) -> list[dict]:
    """Every department with its jurisdiction's name, by jurisdiction then name."""
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, j.name AS jurisdiction FROM departments d "
        "LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id ORDER BY j.name, d.name")]


def department_ids_named(db: sqlite_utils.Database, jurisdiction: str | None, name: str) -> list[int]:
    """Departments called `name` (or known by that alias), inside the named jurisdiction when given."""
    sql = ("SELECT DISTINCT d.id FROM departments d LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
           "LEFT JOIN department_aliases a ON a.department_id = d.id "
           "WHERE (d.name = ? OR a.alias = ?)")
    params: list = [name, name]
    if jurisdiction is not None:
        sql += " AND j.name = ?"
        params.append(jurisdiction)
    return [r[0] for r in db.conn.execute(sql + " ORDER BY d.id", params)]


def department_places(db: sqlite_utils.Database, department_ids: list[int]) -> list[int | None]:
    """The place of each of these departments (one entry per department found)."""
    marks = ",".join("?" * len(department_ids)) or "NULL"
    return [r[0] for r in db.conn.execute(
        f"SELECT jurisdiction_id FROM departments WHERE id IN ({marks})", list(department_ids))]


def departments_of_places(db: sqlite_utils.Database, place_ids: list[int]) -> list[dict]:
    """The departments of these places with their place's name, by place then name."""
    marks = ",".join("?" * len(place_ids)) or "NULL"
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, j.name AS jurisdiction FROM departments d "
        f"LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.jurisdiction_id IN ({marks}) "
        "ORDER BY j.name, d.name", list(place_ids))]


def department_exists(db: sqlite_utils.Database, department_id: int) -> bool:
    return db.conn.execute("SELECT 1 FROM departments WHERE id=?", [department_id]).fetchone() is not None


