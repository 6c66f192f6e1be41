"""Numbered schema migrations: `NNN_name.sql` files applied in order, each once, each in its own transaction.

A migration that has landed is never edited; a change to the schema is a new file.
"""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

HERE = Path(__file__).parent


def migration_files() -> list[Path]:
    """Every migration, in the order it applies."""
    return sorted(p for p in HERE.glob("[0-9][0-9][0-9]_*.sql"))


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for path in migration_files():
        if path.stem in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-check inside the lock: another process may have applied it meanwhile
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name=?", [path.stem]).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (?)", [path.stem])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(path.stem)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about triggers and strings)."""
    import sqlite3

    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
