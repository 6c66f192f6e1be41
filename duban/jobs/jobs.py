"""The scheduled jobs: the daily overdue scan, the reminder run, the outbox retry, each under a lease."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlite_utils

from db import transaction
from db.queries import reminders as q
from duban.access import SYSTEM, Actor, require_settings_viewer, require_system_manager
from duban.errors import DubanError
from duban.jobs import digest, lease, outbox
from duban.jobs.channels import scrub
from duban.services import backups, check, update_requests
from duban.services import reminder_rules as rules_mod
from duban.services.workdays import has_calendar_data, is_workday, load_office_calendar

log = logging.getLogger("duban.jobs")

OVERDUE, REMIND, OUTBOX, BACKUP = "overdue", "remind", "outbox", "backup"
INTERRUPTED_RUN = "中断:运行进程意外退出,未正常结束。"


@dataclass
class RemindResult:
    today: dt.date
    workday: bool
    messages: list[digest.Outgoing] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    meeting_requests: int = 0

    def summary(self) -> str:
        """One line for the job log."""
        if not self.workday:
            return f"{self.today} 不是工作日,不发送提醒。"
        return (f"{self.today}:新生成 {len(self.messages)} 条消息,发出 {self.sent} 条,失败 {self.failed} 条"
                + (f",会前报送提醒 {self.meeting_requests} 条" if self.meeting_requests else ""))


def overdue_scan(db: sqlite_utils.Database, today: dt.date) -> list[int]:
    """Flag the deadline instances that went overdue by `today` (the tracker's own scan)."""
    return list(check.overdue_scan(db, today) or [])


def remind(db: sqlite_utils.Database, today: dt.date, *, dry_run: bool = False, now: dt.datetime | None = None,
           holder: str | None = None) -> RemindResult:
    """Today's reminders: decide the digests (once per recipient), then send everything due in the outbox."""
    load_office_calendar(db)
    if not has_calendar_data(today):
        log.warning("节假日数据不含 %s 年,按周一至周五为工作日计算。", today.year)
    result = RemindResult(today=today, workday=is_workday(today))
    if not result.workday:
        return result
    result.messages = digest.decide_messages(db, today, dry_run=dry_run)
    if dry_run:
        return result
    result.meeting_requests = _meeting_requests(db, today)
    sent = outbox.flush(db, today, now=now, holder=holder)
    result.sent, result.failed, result.errors = sent.sent, sent.failed, sent.errors
    return result


def _meeting_requests(db: sqlite_utils.Database, today: dt.date) -> int:
    """Ask member units for their updates before a meeting.

    The meetings feature decides which meetings' notice day has come and queues each request once
    (messages.queue_message); the messages then go out with today's outbox.
    """
    if not rules_mod.meeting_request_days(db):
        return 0
    try:
        return len(update_requests.send_update_requests(db, today) or [])
    except Exception:  # the reminders must still go out if the meetings part fails
        log.exception("会前报送提醒未能生成")
        return 0


def flush_outbox(db: sqlite_utils.Database, today: dt.date, now: dt.datetime | None = None) -> outbox.FlushResult:
    """Retry what failed before, once its backoff has passed (working days only)."""
    return outbox.flush(db, today, now=now)


@dataclass
class JobOutcome:
    status: str            # ran, already, busy, error
    detail: str = ""
    result: object = None


def run_job(db: sqlite_utils.Database, actor: Actor, job: str, today: dt.date, *, holder: str | None = None,
            once_per_day: bool = True, now: dt.datetime | None = None) -> JobOutcome:
    """Run one job under its lease and record the run (the outbox retry, every few minutes, is not recorded).

    Only the scheduler itself (SYSTEM) or a button on the settings page runs jobs. The overdue check, the
    reminders and the backup cover every place, so of the page's users only the system administrator and
    the whole database's office run them; sending what already waits in the outbox (due anyway) any office may.
    A daily job that already ran successfully for `today` does not run again when once_per_day, so a restart,
    a catch-up and the regular schedule together still run it once a day.
    """
    (require_settings_viewer if job == OUTBOX else require_system_manager)(actor)
    holder = holder or outbox.holder_id()
    record = job != OUTBOX
    with lease.held(db, job, holder) as got:
        if not got:
            log.info("任务 %s 正由其他进程运行,本次跳过。", job)
            return JobOutcome("busy", "另一个进程正在运行此任务。")
        if once_per_day and record and q.ran_ok_on(db, job, today.isoformat()):
            return JobOutcome("already", f"{today} 已运行过。")
        run_id = None
        if record:
            with transaction(db):
                # holding the lease, no other run of this job is alive: a run still 'running' was cut off
                if q.close_interrupted_runs(db, job, holder, INTERRUPTED_RUN):
                    log.warning("任务 %s 的上一次运行未正常结束,已记为中断。", job)
                run_id = q.start_run(db, job, today.isoformat(), holder)
        result: object = None
        try:
            if job == OVERDUE:
                result = overdue_scan(db, today)
                detail, status = f"新标记逾期 {len(result)} 项", "ok"
            elif job == REMIND:
                result = remind(db, today, now=now, holder=holder)
                detail, status = result.summary(), ("ok" if result.workday else "skipped")
            elif job == OUTBOX:
                result = flush_outbox(db, today, now=now)
                detail, status = f"发出 {result.sent} 条,失败 {result.failed} 条", "ok"
            elif job == BACKUP:
                result = daily_backup(db)
                detail, status = result, "ok"
            else:
                raise ValueError(f"unknown job {job}")
        except Exception as e:
            reason = scrub(f"{type(e).__name__}: {e}")
            if run_id is not None:
                with transaction(db):
                    q.finish_run(db, run_id, "error", reason)
            if isinstance(e, DubanError):
                log.error("任务 %s 未能运行:%s", job, scrub(str(e)))
                return JobOutcome("error", scrub(str(e)))
            log.exception("任务 %s 运行出错", job)
            return JobOutcome("error", reason)
        if run_id is not None:
            with transaction(db):
                q.finish_run(db, run_id, status, detail)
        log.info("任务 %s:%s", job, detail)
        return JobOutcome("ran", detail, result)


def daily_backup(db: sqlite_utils.Database) -> str:
    """Write today's backup archive and drop the oldest beyond the retention count; one line for the job log."""
    info, removed = backups.scheduled_backup(db)
    return f"已备份到 {info.path}({info.size / 1024:.0f} KB)" + (f",删除旧备份 {len(removed)} 个" if removed else "")


def catch_up(db: sqlite_utils.Database, today: dt.date, holder: str | None = None) -> dict[str, JobOutcome]:
    """At start: run the daily jobs that have not run today (the reminder run covers the days missed since)."""
    out = {}
    for job in (OVERDUE, REMIND):
        last = q.last_ok_run_day(db, job)
        if last is None or last < today.isoformat():
            out[job] = run_job(db, SYSTEM, job, today, holder=holder)
    return out


def recent_runs(db: sqlite_utils.Database, limit: int = 20) -> list[dict]:
    """The last job runs, for the settings page."""
    return q.recent_runs(db, limit)
