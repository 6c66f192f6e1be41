"""The in-app inbox (消息): writing messages for users or departments, listing them, marking them read."""
from __future__ import annotations

import sqlite_utils

from db import transaction
from db.queries import notifications as q
from db.queries import reminders as rq
from duban.access import Actor


def notify(db: sqlite_utils.Database, *, title: str, body: str | None = None, user_id: int | None = None,
           department_id: int | None = None, kind: str = "info", link: str | None = None) -> list[int]:
    """Put a message in the inbox of one user, or of every active account of a department.

    A department without any account gets one shared message its future accounts will see.
    """
    with transaction(db):
        if user_id is not None:
            return [q.insert(db, user_id, department_id, kind, title, body, link)]
        users = rq.department_users(db, [department_id]) if department_id is not None else []
        if not users:
            return [q.insert(db, None, department_id, kind, title, body, link)]
        return [q.insert(db, u["id"], department_id, kind, title, body, link) for u in users]


def inbox(db: sqlite_utils.Database, actor: Actor, unread_only: bool = False, limit: int = 200) -> list[dict]:
    """The acting user's messages, newest first (a user only ever sees their own)."""
    if actor.user_id is None:
        return []
    return q.for_user(db, actor.user_id, sorted(actor.department_ids), unread_only, limit)


def unread_count(db: sqlite_utils.Database, actor: Actor) -> int:
    """How many of the acting user's messages are unread (the sidebar badge)."""
    if actor.user_id is None:
        return 0
    return q.unread_count(db, actor.user_id, sorted(actor.department_ids))


def mark_read(db: sqlite_utils.Database, actor: Actor, ids: list[int] | None = None) -> int:
    """Mark some (or all) of the acting user's messages read; others' messages are never touched."""
    if actor.user_id is None:
        return 0
    with transaction(db):
        return q.mark_read(db, actor.user_id, sorted(actor.department_ids), ids)
