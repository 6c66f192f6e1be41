"""`python -m duban import|init|plans`: bring plan documents in, start a database, list what is there."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from duban import clock, demo
from duban.access import SYSTEM
from duban.cli.common import acting_actor, add_db_option, add_today_option, add_user_option, open_db, print_listing
from duban.errors import InputError
from duban.extract import extract_file
from duban.services import plan_check, plan_import
from duban.services import plans as plan_s


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入规划文件(同一文件重复导入不会重复入库;修订版先显示变更)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="规划文件(.txt/.docx/.pdf/.html 等)")
    p.add_argument("--yes", "-y", action="store_true", help="修订版无需确认,直接应用变更")
    add_db_option(p)
    add_user_option(p)
    add_today_option(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("init", help="初始化数据库:导入 seed/ 中的五个规划;加 --demo 时同时载入演示数据")
    p.add_argument("--demo", action="store_true", help="同时载入演示数据和演示账号(仅供体验,首次登录须改密码)")
    p.add_argument("--no-demo", action="store_true", help="不载入演示数据(默认;保留以兼容旧脚本)")
    add_db_option(p)
    add_today_option(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("plans", help="列出已导入的规划")
    add_db_option(p)
    add_user_option(p)
    p.set_defaults(handler=cmd_plans)


def _extract(path: Path) -> dict:
    if not path.is_file():
        raise InputError(f"找不到文件:{path}")
    return extract_file(path)


def _summary(db, plan_id: int) -> str:
    """What the command just stored (told whoever it ran as: it is the plan they imported)."""
    plan = next(p for p in plan_s.list_plans(db, SYSTEM) if p["id"] == plan_id)
    return (f"《{plan['title']}》({plan['jurisdiction']},规划期 {plan['period_start']} 至 {plan['period_end']}):"
            f"{plan['tasks']} 项任务,{plan['indicators']} 个指标,第 {plan['version']} 版。")


def _confirm(prompt: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        return False
    try:
        return input(prompt).strip().lower() in ("y", "yes", "是")
    except EOFError:
        return False


def cmd_import(args: argparse.Namespace) -> int:
    today = clock.today(args.today)
    files = [Path(p) for p in args.paths]
    extractions = []
    for path in files:  # every file is read and checked before anything is stored
        try:
            ex = _extract(path)
            plan_check.validate(ex)
        except InputError as e:
            raise InputError(f"{path.name}:{e}") from None
        extractions.append(ex)
    db = open_db(args)
    actor = acting_actor(db, args)
    for path, ex in zip(files, extractions, strict=True):
        data = path.read_bytes()
        check = plan_import.check_import(db, actor, ex, path.name, data)
        if check.kind in ("unchanged", "old_version"):
            print(f"{path.name}:{check.message}")
            continue
        if check.kind == "new":
            plan_id = plan_import.import_plan(db, actor, ex, path.name, data, today)
            print(f"{path.name}:已导入 " + _summary(db, plan_id))
            continue
        print(f"{path.name}:{check.message}")
        for line in check.diff.lines():
            print(line)
        if args.yes or _confirm("应用以上变更?[y/N] "):
            plan_id = plan_import.import_plan(db, actor, ex, path.name, data, today, confirm_revision=True)
            print(f"{path.name}:已更新 " + _summary(db, plan_id))
        else:
            print(f"{path.name}:未应用修订(确认请加 --yes)。")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    db = open_db(args)
    result = demo.init(db, demo=args.demo and not args.no_demo, today=clock.today(args.today))
    if result["already"]:
        print("数据库已经初始化过,未作更改。")
        return 0
    for plan_id in result["plans"]:
        print("已导入 " + _summary(db, plan_id))
    if result["demo"]:
        accounts = demo.demo_accounts()
        names = "、".join(a["username"] for a in accounts["accounts"])
        print(f"已载入演示数据。演示账号:{names}(密码均为 {accounts['password']},首次登录须修改密码)。")
    else:
        print("未载入演示数据。首次打开应用时请创建办公室管理员账号。")
    for failure in result.get("failed") or []:
        print(f"警告:部分演示数据未能载入({failure})", file=sys.stderr)
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    db = open_db(args)
    return print_listing(
        plan_s.list_plans(db, acting_actor(db, args)), "尚未导入任何规划。", ("编号", "地区", "规划期", "任务", "已销号", "版本", "标题"),
        lambda p: (p["id"], p["jurisdiction"], f"{p['period_start']}~{p['period_end']}", p["tasks"], p["closed"],
                   p["version"], p["title"]))
