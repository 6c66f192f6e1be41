"""`python -m duban dispatch TASK_ID --user NAME`: give a task to the lower places it names (下达)."""
from __future__ import annotations

import argparse

from duban.cli.common import acting_actor, add_db_option, add_today_option, open_existing_db
from duban.clock import today as clock_today
from duban.errors import InputError
from duban.services import dispatch


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dispatch", help="把任务下达到下级地区(各县(市)区政府、各乡镇(街道))")
    p.add_argument("task", type=int, metavar="TASK_ID", help="任务编号")
    p.add_argument("--place", action="append", metavar="NAME", help="只下达到该下级地区(可多次);默认全部")
    p.add_argument("--user", required=True, help="以该办公室账号下达")
    p.add_argument("--dry-run", action="store_true", help="只列出将下达到的地区,不下达")
    add_db_option(p)
    add_today_option(p)
    p.set_defaults(handler=cmd_dispatch)


def cmd_dispatch(args: argparse.Namespace) -> int:
    _, db = open_existing_db(args)
    try:
        actor = acting_actor(db, args)
        found = dispatch.targets(db, actor, args.task)
        if not found:
            raise InputError("该任务的责任单位中没有下级地区(如“各县(市)区政府”),无需下达。")
        by_name = {t.name: t for t in found}
        unknown = [n for n in args.place or [] if n not in by_name]
        if unknown:
            raise InputError(f"不是该任务的下级地区:{'、'.join(unknown)}(可下达到:{'、'.join(by_name)})")
        chosen = [by_name[n] for n in args.place] if args.place else found
        if args.dry_run:
            for t in chosen:
                print(f"{t.name}\t" + (f"已下达(任务 {t.child_task_id},{t.dispatch_state})" if t.dispatched else "待下达"))
            return 0
        created = set(dispatch.dispatch(db, actor, args.task, [t.place_id for t in chosen], clock_today(args.today)))
        now = {t.place_id: t for t in dispatch.targets(db, actor, args.task)}
    finally:
        db.conn.close()
    for t in chosen:
        child = now[t.place_id].child_task_id
        print(f"{t.name}\t任务 {child}\t" + ("已下达" if child in created else "此前已下达,未重复下达"))
    print(f"新下达 {len(created)} 个地区。")
    return 0
