"""The audit log: who did what, when."""
from __future__ import annotations

import json
import time
from typing import Any

import sqlite_utils

from duban.errors import SessionEnded


def require_live_session(db: sqlite_utils.Database, actor: Any) -> None:
    """Raise SessionEnded when the actor acts through a login that is no longer live."""
    session_id = getattr(actor, "session_id", None)
    if session_id is None:
        return
    from db.queries import sessions

    reason = sessions.live_reason(db, session_id, time.time())
    if reason is not None:
        raise SessionEnded(reason)


def record(db: sqlite_utils.Database, actor: Any, action: str, entity: str | None = None,
           entity_id: int | None = None, detail: Any = None) -> None:
    """Append one audit row (call inside the transaction of the write it describes).

    An actor acting through a login is checked here, in the write's own transaction: a login that has ended
    (logout, idle, past its lifetime, account disabled) raises SessionEnded and the whole write is rolled back.
    """
    require_live_session(db, actor)
    db.conn.execute(
        "INSERT INTO audit_log (user_id, username, action, entity, entity_id, detail) VALUES (?,?,?,?,?,?)",
        [getattr(actor, "user_id", None), getattr(actor, "username", None), action, entity, entity_id,
         json.dumps(detail, ensure_ascii=False, default=str) if detail is not None else None],
    )


def for_entity(db: sqlite_utils.Database, entity: str, entity_id: int) -> list[dict]:
    """The audit rows of one entity, oldest first."""
    rows = db.conn.execute(
        "SELECT * FROM audit_log WHERE entity=? AND entity_id=? ORDER BY id", [entity, entity_id]
    ).fetchall()
    return [dict(r) for r in rows]
