"""`check`, `remind`, `worker`, `notice`, `ics`: the overdue scan and reminders for cron, the scheduler, documents."""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from duban import clock
from duban.access import SYSTEM
from duban.cli.common import acting_actor, add_db_option, add_today_option, add_user_option, open_db
from duban.errors import InputError
from duban.jobs import jobs
from duban.jobs.wording import day_label

CHANNEL_NAMES = {"inapp": "站内", "email": "邮件", "webhook": "群机器人"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="逾期检查:标记已过期未完成的任务期次")
    add_db_option(p)
    add_today_option(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("remind", help="发送今天的提醒(非工作日不发送);--dry-run 只列出将发给谁什么")
    add_db_option(p)
    add_today_option(p)
    p.add_argument("--dry-run", action="store_true", help="只显示将要发送的内容,不发送、不记录")
    p.set_defaults(handler=cmd_remind)

    p = sub.add_parser("worker", help="不启动网页,单独运行定时任务(逾期检查、提醒、失败重发),Ctrl-C 结束")
    add_db_option(p)
    p.set_defaults(handler=cmd_worker)

    p = sub.add_parser("notice", help="生成某单位的催办单/督办单(Word)")
    add_db_option(p)
    add_today_option(p)
    p.add_argument("--dept", dest="department", metavar="DEPT", type=int, required=True, help="单位编号")
    p.add_argument("--out", required=True, help="输出的 .docx 文件")
    add_user_option(p)
    p.set_defaults(handler=cmd_notice)

    p = sub.add_parser("ics", help="导出某单位的任务到期日历(.ics)")
    add_db_option(p)
    p.add_argument("--dept", dest="department", metavar="DEPT", type=int, required=True, help="单位编号")
    p.add_argument("--out", required=True, help="输出的 .ics 文件")
    add_user_option(p)
    p.set_defaults(handler=cmd_ics)


def cmd_check(args: argparse.Namespace) -> int:
    db = open_db(args)
    today = clock.today(args.today)
    outcome = jobs.run_job(db, SYSTEM, jobs.OVERDUE, today, once_per_day=False)
    if outcome.status != "ran":
        print(f"逾期检查未运行:{outcome.detail}", file=sys.stderr)
        return 1
    print(f"{today} 逾期检查完成:{outcome.detail}。")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    db = open_db(args)
    today = clock.today(args.today)
    if args.dry_run:
        result = jobs.remind(db, today, dry_run=True)
        if not result.workday:
            print(f"{today} 不是工作日,不发送提醒。")
            return 0
        print(f"{today} 试运行:将生成 {len(result.messages)} 条消息(未发送、未记录)。")
        for p in result.messages:
            print(f"[{CHANNEL_NAMES.get(p.channel, p.channel)}] {p.recipient}({p.name}):{p.subject}")
            for it in p.items:
                label = day_label(dt.date.fromisoformat(it["due"]), today)
                print(f"    - 【{label}】{it['title'][:60]}({it['department']})")
        return 0
    outcome = jobs.run_job(db, SYSTEM, jobs.REMIND, today, once_per_day=False)
    if outcome.status != "ran":
        print(f"提醒未运行:{outcome.detail}", file=sys.stderr)
        return 1
    result = outcome.result
    print(result.summary())
    for p in result.messages:
        print(f"  [{CHANNEL_NAMES.get(p.channel, p.channel)}] {p.recipient}:{p.subject}")
    for err in result.errors:
        print(f"  发送失败,稍后重试:{err}", file=sys.stderr)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from db.connection import database_path
    from duban.jobs import scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    open_db(args).conn.close()  # migrate before the jobs start
    path = str(database_path(args.db).resolve())
    print(f"督办定时任务已启动({path}),按 Ctrl-C 结束。", flush=True)
    scheduler.run_forever(path)
    print("定时任务已停止。")
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from duban.reports.notice import build

    db = open_db(args)
    notice = build(db, acting_actor(db, args), args.department, clock.today(args.today))
    out = Path(args.out)
    _write(out, notice.data)
    print(f"已生成{notice.title} {notice.number}({notice.department},{len(notice.items)} 项,"
          f"请于 {notice.reply_by} 前回复):{out}")
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from duban.reports.ics import department_calendar

    db = open_db(args)
    data = department_calendar(db, acting_actor(db, args), args.department)
    out = Path(args.out)
    _write(out, data)
    print(f"已导出 {data.count(b'BEGIN:VEVENT')} 个到期日:{out}")
    return 0


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as e:
        raise InputError(f"无法写入文件 {out}:{e.strerror or e}") from None
