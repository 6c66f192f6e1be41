"""Opening the one SQLite file duban keeps everything in."""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from db.migrations import migrate

DEFAULT_PATH = Path("data") / "duban.db"

# One writer at a time inside a process; SQLite's busy timeout handles other processes.
_write_lock = threading.RLock()


def database_path(path: str | os.PathLike | None = None) -> Path:
    """The file to use: an explicit path, else $DUBAN_DB, else data/duban.db."""
    return Path(path or os.environ.get("DUBAN_DB") or DEFAULT_PATH)


def connect(path: str | os.PathLike | None = None, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open the database with WAL, foreign keys and a long busy timeout, migrated to the latest schema."""
    file = database_path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(file), timeout=60, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=60000")
    conn.execute("PRAGMA synchronous=NORMAL")
    db = sqlite_utils.Database(conn)
    if migrate_schema:
        with _write_lock:
            migrate(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a block as one write transaction: all of it is stored, or none of it.

    BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait on the
    busy timeout instead of failing half-way with 'database is locked'.
    Nested use joins the outer transaction.
    """
    conn = db.conn
    with _write_lock:
        if conn.in_transaction:
            yield db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
