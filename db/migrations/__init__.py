"""Numbered schema migrations: `NNN_name.sql` files applied in order, each once, each in its own transaction.

A migration that has landed is never edited; a change to the schema is a new file. The record of what was
applied is the table schema_migrations (name, applied_at), read and written through sqlite-utils' table API.
(sqlite-utils' own `Migrations` keeps its record in another table, `_sqlite_migrations`, keyed by a set name;
switching would rewrite every existing database's history, so duban keeps its files and its table.)
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from duban.errors import DubanError

HERE = Path(__file__).parent
TABLE = "schema_migrations"
# the record's own table, as every database since the first has had it
_CREATE_TABLE = (f"CREATE TABLE IF NOT EXISTS {TABLE} "
                 "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))")


class SchemaTooNew(DubanError):
    """The database was last opened by a newer duban: this program would not understand what it holds."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(f"数据库版本比程序新(数据库已应用本程序没有的升级:{'、'.join(unknown)}),"
                         "为避免损坏数据,程序没有打开它。请升级程序后再使用,或恢复与本程序版本相符的备份。")


def migration_files() -> list[Path]:
    """Every migration, in the order it applies."""
    return sorted(p for p in HERE.glob("[0-9][0-9][0-9]_*.sql"))


def _database(source: sqlite_utils.Database | sqlite3.Connection) -> sqlite_utils.Database:
    """The table API over a connection (a backup being checked hands a bare one), changing none of its settings."""
    if isinstance(source, sqlite_utils.Database):
        return source
    return sqlite_utils.Database(source, recursive_triggers=False, execute_plugins=False)


def has_data(source: sqlite_utils.Database | sqlite3.Connection) -> bool:
    """Whether the database holds any table besides the record of migrations (a new file holds none)."""
    return any(name != TABLE for name in _database(source).table_names())


def applied(source: sqlite_utils.Database | sqlite3.Connection) -> list[str]:
    """The migrations this database records as applied (none for a new file)."""
    table = _database(source)[TABLE]
    if not table.exists():
        return []
    return [r["name"] for r in table.rows_where(select="name", order_by="name")]


def unknown(source: sqlite_utils.Database | sqlite3.Connection) -> list[str]:
    """Applied migrations this program does not have: the database comes from a newer version."""
    known = {p.stem for p in migration_files()}
    return [name for name in applied(source) if name not in known]


def pending(source: sqlite_utils.Database | sqlite3.Connection) -> list[str]:
    """Migrations this program has that the database has not had yet."""
    done = set(applied(source))
    return [p.stem for p in migration_files() if p.stem not in done]


def refuse_newer(source: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Stop before anything is written when the database is newer than the program."""
    newer = unknown(source)
    if newer:
        raise SchemaTooNew(newer)


def migrate(db: sqlite_utils.Database, begin: Callable[[sqlite3.Connection], None]) -> list[str]:
    """Apply the migrations not yet applied; return their names (a database newer than the program is refused).

    `begin` takes the write lock: the caller's own retrying BEGIN IMMEDIATE, so a busy database is reported as
    busy rather than as SQLite's "database is locked"."""
    conn = db.conn
    refuse_newer(db)
    conn.execute(_CREATE_TABLE)
    record = db[TABLE]
    done = set(applied(db))
    names = []
    # SQLite's way to rebuild a table others refer to: foreign keys off (a DROP would cascade), checked before commit
    keys_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    for path in migration_files():
        if path.stem in done:
            continue
        conn.execute("PRAGMA foreign_keys=OFF")
        try:
            begin(conn)
        except BaseException:
            conn.execute(f"PRAGMA foreign_keys={'ON' if keys_on else 'OFF'}")
            raise
        try:
            # re-check inside the lock: another process may have applied it meanwhile
            if record.count_where("name = ?", [path.stem]):
                conn.execute("ROLLBACK")
                continue
            dangling = _dangling(conn)
            for statement in _statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
            if _dangling(conn) - dangling:
                raise DubanError(f"数据库升级 {path.stem} 会留下无效的引用,已撤销。")
            record.insert({"name": path.stem})  # applied_at: the table's default, as always
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute(f"PRAGMA foreign_keys={'ON' if keys_on else 'OFF'}")
        names.append(path.stem)
    return names


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
