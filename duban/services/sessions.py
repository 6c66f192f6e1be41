"""Logins kept on the server: started at login, checked on every run and inside every write, ended by logout.

The browser holds only a random token (in a cookie and in its Streamlit session); the database keeps its
SHA-256, so a copy of the database opens no login. A login ends when its row is revoked (logout, password
change, account disabled), after the idle limit without a page run, or after its absolute lifetime.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import replace

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import sessions as q
from duban.access import Actor
from duban.errors import SessionEnded

DEFAULT_MAX_HOURS = 12.0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def max_hours() -> float:
    """Absolute lifetime of a login in hours: $DUBAN_SESSION_MAX_HOURS, else 12."""
    try:
        value = float(os.environ.get("DUBAN_SESSION_MAX_HOURS") or DEFAULT_MAX_HOURS)
    except ValueError:
        value = DEFAULT_MAX_HOURS
    return value if value > 0 else DEFAULT_MAX_HOURS


def _idle_seconds(db: sqlite_utils.Database) -> float:
    from duban.services import users

    return users.session_minutes(db) * 60


def start(db: sqlite_utils.Database, actor: Actor, address: str | None = None,
          now: float | None = None) -> tuple[str, Actor]:
    """A new login for an authenticated actor: (the token for the browser, the actor bound to it)."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with transaction(db):
        session_id = q.insert(db, actor.user_id, _hash(token), address, now, _idle_seconds(db), max_hours() * 3600)
    return token, replace(actor, session_id=session_id)


def resume(db: sqlite_utils.Database, token: str | None, now: float | None = None) -> Actor:
    """The actor of a live login, its idle clock restarted; SessionEnded (with why) when it has ended."""
    from duban.services import users

    now = time.time() if now is None else now
    row = q.by_token_hash(db, _hash(token)) if token else None
    if row is None:
        raise SessionEnded("gone")
    reason = q.live_reason(db, row["id"], now)
    if reason is not None:
        raise SessionEnded(reason)
    actor = users.actor_for(db, row["user_id"])
    if actor is None:
        raise SessionEnded("disabled")
    with transaction(db):
        q.touch(db, row["id"], now, _idle_seconds(db))
    return replace(actor, session_id=row["id"])


def require_live(db: sqlite_utils.Database, actor: Actor) -> None:
    """Refuse an actor whose login has ended (actors without a login, such as the CLI's, pass)."""
    audit.require_live_session(db, actor)


def end(db: sqlite_utils.Database, token: str | None, now: float | None = None) -> None:
    """Log out: the login's row is revoked, so every tab and cookie holding its token is logged out too."""
    row = q.by_token_hash(db, _hash(token)) if token else None
    if row is None:
        return
    with transaction(db):
        q.revoke(db, row["id"], time.time() if now is None else now, "logout")


def end_all_for(db: sqlite_utils.Database, user_id: int, why: str, keep: int | None = None) -> int:
    """End every live login of an account (inside the caller's transaction); how many were ended."""
    return q.revoke_user(db, user_id, time.time(), why, keep)
