"""The installation at a glance for the office's IT: database size, last backup, job runs, queued mail, calendars.

It describes the server every place shares, so it is for the system administrator and the whole database's office."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils
from chinese_calendar import constants

from db.queries import system as q
from duban.access import SYSTEM, Actor, require_system_manager
from duban.rules.names import JOB_LABELS, RUN_STATUS_LABELS
from duban.services import backups
from duban.services.serve_health import run_dir_for, worker_health


def calendar_years() -> list[int]:
    """Years for which the installed chinesecalendar knows the holidays and 调休."""
    return sorted({day.year for day in constants.holidays})


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def gather(db: sqlite_utils.Database, db_file: Path, today: dt.date, *, actor: Actor = SYSTEM) -> dict:
    """Everything `duban status` shows, as plain data."""
    require_system_manager(actor)
    last = backups.last_backup(db_file)
    years = calendar_years()
    return {
        "database": {"path": str(db_file), "bytes": _size(db_file)},
        "last_backup": None if last is None else {
            "file": str(last), "bytes": last.stat().st_size,
            "time": dt.datetime.fromtimestamp(last.stat().st_mtime).isoformat(sep=" ", timespec="seconds")},
        "jobs": q.last_run_per_job(db),
        "queued_messages": q.queued_messages(db),
        "calendar_years": years,
        "calendar_covers_today": today.year in years,
        "office_holiday_years": q.holiday_years(db),
        "serve": worker_health(run_dir_for(db_file)),
    }


def lines(status: dict) -> list[str]:
    """The status as short Chinese lines."""
    out = [f"数据库:{status['database']['path']}({status['database']['bytes'] / 1024 / 1024:.1f} MB)"]
    last = status["last_backup"]
    out.append("最近备份:尚无备份,请执行 python -m duban backup" if last is None else
               f"最近备份:{last['time']} {last['file']}({last['bytes'] / 1024 / 1024:.1f} MB)")
    if status["jobs"]:
        for run in status["jobs"]:
            name = JOB_LABELS.get(run["job"], run["job"])
            state = RUN_STATUS_LABELS.get(run["status"], run["status"])
            out.append(f"定时任务 {name}:{run['started_at']} {state}{(',' + run['detail']) if run['detail'] else ''}")
    else:
        out.append("定时任务:尚未运行过")
    queued = status["queued_messages"]
    out.append(f"待发消息:{sum(queued.values())} 条" + (f"(其中发送失败待重试 {queued['failed']} 条)"
                                                      if queued.get("failed") else ""))
    years = status["calendar_years"]
    cover = f"{years[0]}–{years[-1]} 年" if years else "无"
    out.append(f"节假日数据(chinesecalendar):{cover}" + ("" if status["calendar_covers_today"] else
               ",不含今年:请在“节假日”页录入国务院办公厅的当年安排,在此之前按周一至周五为工作日计算"))
    if status["office_holiday_years"]:
        out.append(f"办公室录入的节假日:{'、'.join(str(y) for y in status['office_holiday_years'])} 年")
    serve = status.get("serve")
    if serve is None:
        out.append("多进程服务(serve):未运行")
    else:
        proxy = serve["proxy"]
        out.append(f"多进程服务:代理 {proxy['host']}:{proxy['port']} " + ("正常" if proxy["ok"] else f"无响应({proxy['detail']})"))
        for w in serve["workers"]:
            out.append(f"  工作进程 端口 {w['port']}:" + ("正常" if w["ok"] else f"无响应({w['detail']})")
                       + (f",已重启 {w['restarts']} 次" if w.get("restarts") else ""))
    return out
