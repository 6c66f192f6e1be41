"""`python -m duban status`: the installation at a glance (database, backups, jobs, queued mail, calendars)."""
from __future__ import annotations

import argparse
import json

from duban import clock
from duban.cli.common import add_db_option, add_today_option, open_existing_db
from duban.services import system_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="运行状况:数据库大小、最近备份、定时任务、待发消息、节假日数据")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db_option(p)
    add_today_option(p)
    p.set_defaults(handler=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    path, db = open_existing_db(args)
    try:
        status = system_status.gather(db, path, clock.today(args.today))
    finally:
        db.conn.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
    else:
        print("\n".join(system_status.lines(status)))
    return 0
