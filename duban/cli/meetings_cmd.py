"""`meeting-pack` (the joint-meeting pack and ledger) and `duty-report` (a department's annual duty report draft)."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from duban.cli.common import acting_actor, add_db_option, add_today_option, add_user_option, open_db
from duban.clock import today as clock_today
from duban.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("meeting-pack", help="生成联席会议材料(Word)和工作台账(Excel),并锁定本报送期")
    add_db_option(p)
    add_today_option(p)
    p.add_argument("--out", required=True, help="会议材料 .docx 的保存路径")
    p.add_argument("--xlsx", help="工作台账 .xlsx 的保存路径(可选)")
    p.add_argument("--plan", type=int, help="只包含该规划(编号);默认全部规划")
    add_user_option(p)
    p.set_defaults(handler=meeting_pack)

    d = sub.add_parser("duty-report", help="生成部门年度履职情况报告草稿(Word)")
    add_db_option(d)
    d.add_argument("--dept", dest="department", metavar="DEPT", type=int, required=True, help="部门编号")
    d.add_argument("--year", type=int, required=True, help="年度,例如 2026")
    d.add_argument("--out", required=True, help=".docx 的保存路径")
    add_user_option(d)
    add_today_option(d)
    d.set_defaults(handler=duty_report)


def _target(path: str, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise InputError(f"输出文件应以 {suffix} 结尾:{path}")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def meeting_pack(args: argparse.Namespace) -> int:
    from duban.reports.meeting_pack import build

    started = time.perf_counter()
    docx = _target(args.out, ".docx")
    xlsx = _target(args.xlsx, ".xlsx") if args.xlsx else None
    db = open_db(args)
    pack = build(db, acting_actor(db, args), clock_today(args.today), plan_id=args.plan)
    docx.write_bytes(pack.docx)
    if xlsx:
        xlsx.write_bytes(pack.xlsx)
    s = pack.data["summary"]
    note = "(该报送期已锁定,沿用锁定时的数据)" if pack.reused else "(已锁定该报送期)"
    print(f"报送期 {pack.period}{note}:任务 {s['tasks']} 项,已销号 {s['closed']},推进中 {s['in_progress']},"
          f"逾期 {s['overdue']},需协调 {s['coordination']}。")
    print(f"已写入 {docx}" + (f" 和 {xlsx}" if xlsx else "") + f",用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


def duty_report(args: argparse.Namespace) -> int:
    from duban.reports.duty_report import build

    out = _target(args.out, ".docx")
    db = open_db(args)
    data = build(db, acting_actor(db, args), args.department, args.year, clock_today(args.today))
    out.write_bytes(data)
    print(f"已写入 {out}")
    return 0
