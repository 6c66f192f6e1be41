"""Getting a database ready: migrated, and on first start seeded with the five plans (and the demo)."""
from __future__ import annotations

import sqlite_utils

from db.queries import users as user_q

_ready: set[str] = set()


def ensure_ready_once(db: sqlite_utils.Database, demo: bool = False) -> None:
    """Seed an empty database once per process (the first start of the app)."""
    key = _db_key(db)
    if key in _ready:
        return
    ensure_ready(db, demo)
    _ready.add(key)


def needs_first_start(db: sqlite_utils.Database) -> bool:
    """True before the first start has prepared this database (the seed plans, and the demo if asked for)."""
    return _db_key(db) not in _ready and not get_meta(db, "initialised")


def _db_key(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] or str(id(db))


def demo_requested(argv: list[str] | None = None) -> bool:
    """True when the demo was asked for: $DUBAN_DEMO=1 or `streamlit run app.py -- --demo`."""
    import os
    import sys

    return os.environ.get("DUBAN_DEMO", "").strip() in ("1", "true", "yes") or "--demo" in (argv or sys.argv[1:])


def ensure_ready(db: sqlite_utils.Database, demo: bool = False) -> None:
    """On a database never initialised, import the seed plans, and the demo history only when asked for.

    Without the demo the database has no account, and the first page creates the office administrator."""
    if get_meta(db, "initialised"):
        return
    init(db, demo=demo)


def init(db: sqlite_utils.Database, demo: bool = False, today=None) -> None:
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
