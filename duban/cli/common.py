"""Options shared by several commands."""
from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils

from db import connect
from db.connection import database_path
from duban.errors import InputError


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库文件(默认 $DUBAN_DB 或 data/duban.db)")


def add_today_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", help="按此日期计算(YYYY-MM-DD),默认今天")


def open_db(args: argparse.Namespace) -> sqlite_utils.Database:
    return connect(getattr(args, "db", None))


def open_existing_db(args: argparse.Namespace) -> tuple[Path, sqlite_utils.Database]:
    """The database file and an open connection, for commands that must never create a new, empty one."""
    path = database_path(getattr(args, "db", None))
    if not path.exists():
        raise InputError(f"数据库文件不存在:{path}(新安装请先执行 python -m duban init)")
    return path, connect(path)


def print_listing(rows: list[dict], empty: str, header: Iterable[str], cells: Callable[[dict], Iterable]) -> int:
    """Tab-separated lines under a header (so a listing can be cut or pasted into a sheet), or why there are none."""
    if not rows:
        print(empty)
        return 0
    print("\t".join(header))
    for row in rows:
        print("\t".join(str(c) for c in cells(row)))
    return 0
