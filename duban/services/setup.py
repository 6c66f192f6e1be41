"""Getting a database ready: migrated, and on first start seeded with the five plans (and the demo)."""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from db.queries import demo as meta_q
from db.queries import users as user_q
from duban.services import seeding

FirstStart = Callable[[sqlite_utils.Database], object]

_ready: set[str] = set()


def ensure_ready_once(db: sqlite_utils.Database, first_start: FirstStart | None = None) -> None:
    """Seed an empty database once per process (the first start of the app)."""
    key = _db_key(db)
    if key in _ready:
        return
    ensure_ready(db, first_start)
    _ready.add(key)


def needs_first_start(db: sqlite_utils.Database) -> bool:
    """True before the first start has prepared this database (the seed plans, and the demo if asked for)."""
    return _db_key(db) not in _ready and not meta_q.get_meta(db, "initialised")


def _db_key(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] or str(id(db))


def demo_requested(argv: list[str] | None = None) -> bool:
    """True when the demo was asked for: $DUBAN_DEMO=1 or `streamlit run app.py -- --demo`."""
    import os
    import sys

    return os.environ.get("DUBAN_DEMO", "").strip() in ("1", "true", "yes") or "--demo" in (argv or sys.argv[1:])


def ensure_ready(db: sqlite_utils.Database, first_start: FirstStart | None = None) -> None:
    """On a database never initialised, run the first start: the seed plans, or what the caller passes
    (the app passes duban.demo.init when the demo was asked for).

    Without the demo the database has no account, and the first page creates the office administrator."""
    if meta_q.get_meta(db, "initialised"):
        return
    (first_start or seeding.init)(db)


def is_demo(db: sqlite_utils.Database) -> bool:
    return meta_q.get_meta(db, "demo") == "1"


def has_no_users(db: sqlite_utils.Database) -> bool:
    return user_q.count(db) == 0
