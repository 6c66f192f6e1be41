"""The audit log: who did what, when."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils


def record(db: sqlite_utils.Database, actor: Any, action: str, entity: str | None = None,
           entity_id: int | None = None, detail: Any = None) -> None:
    """Append one audit row (call inside the transaction of the write it describes)."""
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
