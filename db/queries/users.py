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
