"""`python -m duban backup`: a consistent copy of the database, safe while the app is running."""
from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
from pathlib import Path

from db.connection import database_path
from duban.cli.common import add_db_option, open_db
from duban.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份数据库(应用运行时也可安全执行)")
    p.add_argument("--out", help="备份文件路径(默认 data/backups/duban-时间.db)")
    add_db_option(p)
    p.set_defaults(handler=cmd_backup)


def backup_database(source: sqlite3.Connection, out: Path) -> int:
    """Copy the live database with SQLite's online backup API into a standalone file; return its size in bytes."""
    if out.exists():
        raise InputError(f"备份文件已存在,不会覆盖:{out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(str(tmp))
    try:
        source.backup(dest, pages=1024)
        dest.execute("PRAGMA journal_mode=DELETE")
        ok = dest.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dest.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise InputError(f"备份校验失败:{ok}")
    tmp.rename(out)
    return out.stat().st_size


def cmd_backup(args: argparse.Namespace) -> int:
    source = database_path(args.db)
    if not source.exists():
        raise InputError(f"数据库文件不存在:{source}")
    out = Path(args.out) if args.out else source.parent / "backups" / f"duban-{dt.datetime.now():%Y%m%d-%H%M%S}.db"
    db = open_db(args)
    try:
        size = backup_database(db.conn, out)
    finally:
        db.conn.close()
    print(f"已备份到 {out}({size / 1024:.0f} KB)。")
    return 0
