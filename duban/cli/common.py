"""Options shared by several commands."""
from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils

from db import connect
from db.connection import database_path
from db.queries import users as users_q
from duban.access import SYSTEM, Actor
from duban.errors import InputError
from duban.services import users


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库文件(默认 $DUBAN_DB 或 data/duban.db)")


def add_today_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", help="按此日期计算(YYYY-MM-DD),默认今天")


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="USERNAME",
                        help="以该账号的身份执行,只涉及其可见范围(例如某地区办公室只见本地区及下级地区);默认为系统,即整个数据库")


def acting_actor(db: sqlite_utils.Database, args: argparse.Namespace) -> Actor:
    """Whose view a command takes: the account named by --user (its role, departments and places), else the
    system itself, which sees the whole database."""
    username = (getattr(args, "user", None) or "").strip()
    if not username:
        return SYSTEM
    row = users_q.by_username(db, username)
    if row is None:
        raise InputError(f"没有用户名为“{username}”的账号(--user)。")
    actor = users.actor_for(db, row["id"])
    if actor is None:
        raise InputError(f"账号“{username}”已停用,不能以其身份执行。")
    return actor


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
