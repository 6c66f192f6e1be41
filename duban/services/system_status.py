"""The installation at a glance for the office's IT: database size, last backup, job runs, queued mail, calendars."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from db.queries import system as q
from duban.services import backups

JOB_NAMES = {"overdue": "逾期检查", "remind": "提醒发送", "backup": "每日备份", "outbox": "失败重发"}


def calendar_years() -> list[int]:
    """Years for which the installed chinesecalendar knows the holidays and 调休."""
    try:
        from chinese_calendar import constants
    except ImportError:
        return []
    return sorted({day.year for day in constants.holidays})


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def gather(db: sqlite_utils.Database, db_file: Path, today: dt.date) -> dict:
    """Everything `duban status` shows, as plain data."""
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
    }


def lines(status: dict) -> list[str]:
    """The status as short Chinese lines."""
    out = [f"数据库:{status['database']['path']}({status['database']['bytes'] / 1024 / 1024:.1f} MB)"]
    last = status["last_backup"]
    out.append("最近备份:尚无备份,请执行 python -m duban backup" if last is None else
               f"最近备份:{last['time']} {last['file']}({last['bytes'] / 1024 / 1024:.1f} MB)")
    if status["jobs"]:
        for run in status["jobs"]:
            name = JOB_NAMES.get(run["job"], run["job"])
            state = {"ok": "成功", "error": "出错", "skipped": "跳过", "running": "运行中"}.get(run["status"], run["status"])
            out.append(f"定时任务 {name}:{run['started_at']} {state}{(',' + run['detail']) if run['detail'] else ''}")
    else:
        out.append("定时任务:尚未运行过")
    queued = status["queued_messages"]
    out.append(f"待发消息:{sum(queued.values())} 条" + (f"(其中发送失败待重试 {queued['failed']} 条)"
                                                      if queued.get("failed") else ""))
    years = status["calendar_years"]
    cover = f"{years[0]}–{years[-1]} 年" if years else "无"
    out.append(f"节假日数据(chinesecalendar):{cover}" + ("" if status["calendar_covers_today"] else
               ",不含今年,请升级 chinesecalendar;在此之前按周一至周五为工作日计算"))
    if status["office_holiday_years"]:
        out.append(f"办公室录入的节假日:{'、'.join(str(y) for y in status['office_holiday_years'])} 年")
    return out
