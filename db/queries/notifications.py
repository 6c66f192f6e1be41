"""The in-app inbox: a user's own messages and those shared by their departments."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks


def insert(db: sqlite_utils.Database, user_id: int | None, department_id: int | None, kind: str, title: str,
           body: str | None, link: str | None = None) -> int:
    cur = db.conn.execute(
        "INSERT INTO notifications (user_id, department_id, kind, title, body, link) VALUES (?,?,?,?,?,?)",
        [user_id, department_id, kind, title, body, link])
    return cur.lastrowid


def _mine(department_ids: list[int]) -> tuple[str, list]:
    """Rows addressed to the user, or to one of their departments without a named user."""
    where = "user_id = ?"
    if department_ids:
        where = f"({where} OR (user_id IS NULL AND department_id IN ({marks(department_ids)})))"
    return where, list(department_ids)


def for_user(db: sqlite_utils.Database, user_id: int, department_ids: list[int], unread_only: bool = False,
             limit: int = 200) -> list[dict]:
    where, extra = _mine(department_ids)
    sql = f"SELECT * FROM notifications WHERE {where}"
    if unread_only:
        sql += " AND read_at IS NULL"
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
    return [dict(r) for r in db.conn.execute(sql, [user_id, *extra, limit])]


def unread_count(db: sqlite_utils.Database, user_id: int, department_ids: list[int]) -> int:
    where, extra = _mine(department_ids)
    return db.conn.execute(f"SELECT count(*) FROM notifications WHERE {where} AND read_at IS NULL",
                           [user_id, *extra]).fetchone()[0]


def mark_read(db: sqlite_utils.Database, user_id: int, department_ids: list[int], ids: list[int] | None) -> int:
    """Mark these (or all) of the user's unread messages read; returns how many changed."""
    where, extra = _mine(department_ids)
    sql = f"UPDATE notifications SET read_at=datetime('now') WHERE {where} AND read_at IS NULL"
    params = [user_id, *extra]
    if ids is not None:
        if not ids:
            return 0
        sql += f" AND id IN ({marks(ids)})"
        params += list(ids)
    return db.conn.execute(sql, params).rowcount


def set_created(db: sqlite_utils.Database, notification_id: int, created_at: str) -> None:
    """Backdate a message (demo history only)."""
    db.conn.execute("UPDATE notifications SET created_at=? WHERE id=?", [created_at, notification_id])
