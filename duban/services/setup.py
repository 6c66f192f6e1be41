"""Getting a database ready: migrated, and on first start seeded with the five plans (and the demo)."""
from __future__ import annotations

import sqlite_utils

from db.queries import users as user_q

_ready: set[str] = set()


def ensure_ready_once(db: sqlite_utils.Database) -> None:
    """Seed an empty database once per process (the first start of the app)."""
    key = _db_key(db)
    if key in _ready:
        return
    ensure_ready(db)
    _ready.add(key)


def _db_key(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] or str(id(db))


def ensure_ready(db: sqlite_utils.Database) -> None:
    """On a database never initialised, import the seed plans and the demo history."""
    if get_meta(db, "initialised"):
        return
    init(db, demo=True)


def init(db: sqlite_utils.Database, demo: bool = True, today=None) -> None:
    """Import the seed plans; with demo, also the demo departments' liaisons, accounts and history."""
    from duban.services import seeding

    seeding.init(db, demo=demo, today=today)


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM meta WHERE key=?", [key]).fetchone()
    return row[0] if row else None


def is_demo(db: sqlite_utils.Database) -> bool:
    return get_meta(db, "demo") == "1"


def has_no_users(db: sqlite_utils.Database) -> bool:
    return user_q.count(db) == 0
