"""Numbered schema migrations: `NNN_name.sql` files applied in order, each once, each in its own transaction.

A migration that has landed is never edited; a change to the schema is a new file.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from duban.errors import DubanError

HERE = Path(__file__).parent


class SchemaTooNew(DubanError):
    """The database was last opened by a newer duban: this program would not understand what it holds."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(f"数据库版本比程序新(数据库已应用本程序没有的升级:{'、'.join(unknown)}),"
                         "为避免损坏数据,程序没有打开它。请升级程序后再使用,或恢复与本程序版本相符的备份。")


def migration_files() -> list[Path]:
    """Every migration, in the order it applies."""
    return sorted(p for p in HERE.glob("[0-9][0-9][0-9]_*.sql"))


def applied(conn: sqlite3.Connection) -> list[str]:
    """The migrations this database records as applied (none for a new file)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone() is None:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def unknown(conn: sqlite3.Connection) -> list[str]:
    """Applied migrations this program does not have: the database comes from a newer version."""
    known = {p.stem for p in migration_files()}
    return [name for name in applied(conn) if name not in known]


def pending(conn: sqlite3.Connection) -> list[str]:
    """Migrations this program has that the database has not had yet."""
    done = set(applied(conn))
    return [p.stem for p in migration_files() if p.stem not in done]


def refuse_newer(conn: sqlite3.Connection) -> None:
    """Stop before anything is written when the database is newer than the program."""
    newer = unknown(conn)
    if newer:
        raise SchemaTooNew(newer)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations not yet applied; return their names (a database newer than the program is refused)."""
    conn = db.conn
    refuse_newer(conn)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    # SQLite's way to rebuild a table others refer to: foreign keys off (a DROP would cascade), checked before commit
    keys_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    for path in migration_files():
        if path.stem in done:
            continue
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-check inside the lock: another process may have applied it meanwhile
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name=?", [path.stem]).fetchone():
                conn.execute("ROLLBACK")
                continue
            dangling = _dangling(conn)
            for statement in _statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
            if _dangling(conn) - dangling:
                raise DubanError(f"数据库升级 {path.stem} 会留下无效的引用,已撤销。")
            conn.execute("INSERT INTO schema_migrations (name) VALUES (?)", [path.stem])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute(f"PRAGMA foreign_keys={'ON' if keys_on else 'OFF'}")
        applied.append(path.stem)
    return applied


def _dangling(conn: sqlite3.Connection) -> set[tuple]:
    """References to rows that do not exist (an old file may hold some; a migration must add none)."""
    return {tuple(r) for r in conn.execute("PRAGMA foreign_key_check")}


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about triggers and strings)."""
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
