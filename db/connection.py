"""Opening the one SQLite file duban keeps everything in."""
from __future__ import annotations

import itertools
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import sqlite_utils

from db.migrations import has_data, migrate, pending, refuse_newer
from duban.errors import DubanError

DEFAULT_PATH = Path("data") / "duban.db"
BACKUP_DIR_ENV = "DUBAN_BACKUP_DIR"
BUSY_TIMEOUT_MS = 60000       # reads and statements inside a transaction: SQLite's own busy handler
BEGIN_TIMEOUT_MS = 2          # taking the write lock: a short wait inside SQLite, then our own retry
WRITE_WAIT_SECONDS = 30.0     # how long a write waits for other processes before the user is told
RETRY_SLEEP = (0.0005, 0.004)  # each retry sleeps a random time in this range (seconds)

# One writer at a time inside a process; other processes are waited for in _begin_immediate.
_write_lock = threading.RLock()
# the connections the current unit of work (a script run, a download) has opened, by file
_opened: ContextVar[dict[str, sqlite3.Connection] | None] = ContextVar("duban_opened_connections", default=None)
# a number for each connection opened, never reused (unlike id(), once a connection is gone)
_serials = itertools.count(1)


class _Connection(sqlite3.Connection):
    """A connection that knows its own number, so state kept about it cannot pass to a later one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.serial = next(_serials)


class DatabaseBusy(DubanError):
    """Other processes kept the database's write lock for longer than a user should wait."""

    def __init__(self) -> None:
        super().__init__("数据库繁忙,请稍后重试。")


def database_path(path: str | os.PathLike | None = None) -> Path:
    """The file to use: an explicit path, else $DUBAN_DB, else data/duban.db."""
    return Path(path or os.environ.get("DUBAN_DB") or DEFAULT_PATH)


def backup_dir(db_file: str | os.PathLike | None = None) -> Path:
    """Where backups go: $DUBAN_BACKUP_DIR, else a backups folder beside the database (data/backups)."""
    return Path(os.environ.get(BACKUP_DIR_ENV) or database_path(db_file).parent / "backups")


def copy_database(source: sqlite3.Connection, out: Path) -> None:
    """A standalone, consistent copy of a live database (SQLite's online backup API), checked before it is kept."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    dest = sqlite3.connect(str(tmp))
    try:
        source.backup(dest, pages=1024)
        dest.execute("PRAGMA journal_mode=DELETE")
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise DubanError(f"数据库副本校验失败:{ok}")
    os.replace(tmp, out)


def _upgrade(db: sqlite_utils.Database, file: Path) -> None:
    """Bring the schema up to date; a database that holds data is first copied to the backups folder."""
    waiting = pending(db)
    if waiting and has_data(db):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        copy = backup_dir(file) / f"before-upgrade-{stamp}-{waiting[0]}.db"
        if not copy.exists():
            copy_database(db.conn, copy)
    migrate(db, _begin_immediate)


def connect(path: str | os.PathLike | None = None, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open the database with WAL, foreign keys and a long busy timeout, migrated to the latest schema.

    A database written by a newer program is refused before anything is changed; pending migrations on a
    database that already holds data run only after an automatic copy of it (before-upgrade-*.db).
    """
    file = database_path(path)
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(file, create=True)
    conn = sqlite3.connect(str(file), timeout=60, check_same_thread=False, isolation_level=None, factory=_Connection)
    conn.row_factory = sqlite3.Row
    if migrate_schema:
        try:
            refuse_newer(conn)
        except BaseException:
            conn.close()
            raise
    conn.execute("PRAGMA journal_mode=WAL")
    # SQLite creates -wal and -shm with the database file's mode; an older file may still have others
    for companion in ("-wal", "-shm"):
        make_private(file.with_name(file.name + companion))
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous=NORMAL")
    # overwrite deleted content, so a replaced secret or a superseded value does not linger in free pages
    conn.execute("PRAGMA secure_delete=ON")
    db = sqlite_utils.Database(conn)
    if migrate_schema:
        with _write_lock:
            _upgrade(db, file)
    return db


def make_private(file: str | os.PathLike, *, create: bool = False) -> None:
    """Let only the owner read a file that holds the office's data (created empty first when asked).

    The database, its WAL companions and backups hold personal data and encrypted secrets; a file made
    with the default umask would be readable by every account on the machine.
    """
    path = Path(file)
    if create and not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except FileNotFoundError:
        pass
    except PermissionError:  # a file owned by another account: leave it as its owner set it
        pass


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a block as one write transaction: all of it is stored, or none of it.

    BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait for it instead of failing
    half-way with 'database is locked'. Nested use joins the outer transaction.
    """
    conn = db.conn
    with _write_lock:
        if conn.in_transaction:
            yield db
            return
        _begin_immediate(conn)
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock with short tries and small random sleeps (DatabaseBusy after WRITE_WAIT_SECONDS).

    SQLite's own busy handler sleeps longer and longer (up to 100 ms) the more often it finds the lock
    taken, so under many writing processes the newest waiter tends to win and old ones sleep through free
    moments; short tries with small random sleeps give every waiter the same chance and keep the lock busy.
    """
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    conn.execute(f"PRAGMA busy_timeout={BEGIN_TIMEOUT_MS}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if not _is_busy(e):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy() from None
            time.sleep(random.uniform(*RETRY_SLEEP))
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


class RunDatabase(sqlite_utils.Database):
    """One database file as each unit of work sees it: `conn` is that unit's own connection.

    A unit is whatever runs in one context (a script run of one browser session, a download): its first use
    opens a connection for it, and closing_connections() closes it. So a transaction open in one browser
    session never holds, or shows its uncommitted rows to, another session's reads; writes are serialised by
    transaction() (one writer in the process, BEGIN IMMEDIATE across processes).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        # sqlite_utils.Database.__init__ would bind one connection for good: set its settings by hand instead
        self.path = str(database_path(path))
        self.memory, self.memory_name, self.use_old_upsert, self.use_counts_table, self.strict = (
            False, None, False, False, False)
        self._tracer = None
        self._registered_functions: set = set()
        self._watcher = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._watcher_lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        """This unit of work's connection, opened (WAL, foreign keys, busy timeout) on first use."""
        opened = _opened.get()
        if opened is None:
            opened = {}
            _opened.set(opened)
        conn = opened.get(self.path)
        if conn is None:
            conn = opened[self.path] = connect(self.path, migrate_schema=False).conn
        return conn

    def data_version(self) -> tuple:
        """A value that differs after any write committed to the file, whichever connection or process made it.

        Each unit's connection is new, so its own `PRAGMA data_version` says nothing across runs; a connection
        that never writes (the watcher) sees every commit as another connection's."""
        with self._watcher_lock:
            committed = self._watcher.execute("PRAGMA data_version").fetchone()[0]
        conn = self.conn
        # inside a transaction, this connection's own uncommitted writes count too (they are not committed yet)
        return (committed, conn.serial, conn.total_changes) if conn.in_transaction else (committed,)

    def close(self) -> None:
        """Close this unit's connection and the watcher (other units' connections end with their units)."""
        conn = (_opened.get() or {}).pop(self.path, None)
        if conn is not None:
            conn.close()
        self._watcher.close()


def open_per_run(path: str | os.PathLike | None = None) -> RunDatabase:
    """The file migrated to the latest schema (once, now), then handed out as one connection per unit of work."""
    connect(path).conn.close()
    return RunDatabase(database_path(path))


def data_version(db: sqlite_utils.Database) -> tuple:
    """A value that differs after any committed write to the database (and, in a transaction, after its own writes)."""
    if isinstance(db, RunDatabase):
        return db.data_version()
    conn = db.conn
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


@contextmanager
def closing_connections() -> Iterator[None]:
    """Close, when the block ends, every connection this unit of work opened (rolling back what it left open)."""
    try:
        yield
    finally:
        opened = _opened.get() or {}
        _opened.set(None)
        for conn in opened.values():
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            finally:
                conn.close()
