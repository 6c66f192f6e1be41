"""The background schedule: overdue scan after midnight, reminders each morning, outbox retries every few minutes.

One scheduler per server process (the app starts it once, not per browser session); `python -m duban worker`
runs the same jobs without the app. Jobs have fixed ids and coalesce; each run takes the job's lease
in the database, so an app and a worker (or two app servers) never run one job twice at once. At start,
a job that should already have run today runs now, and the reminder run covers the days missed since
the last recorded run.
"""
from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from db import connect
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban import clock
from duban.access import SYSTEM
from duban.jobs import jobs
from duban.jobs.outbox import holder_id

log = logging.getLogger("duban.jobs")

JOB_OVERDUE, JOB_REMIND, JOB_OUTBOX, JOB_CATCHUP = "duban-overdue", "duban-remind", "duban-outbox", "duban-catchup"
JOB_BACKUP = "duban-backup"
DEFAULT_REMIND_TIME = "08:30"
OVERDUE_TIME = (0, 30)
BACKUP_TIME = (1, 30)
OUTBOX_MINUTES = 5
MISFIRE_GRACE = 3600

_started: dict[str, BackgroundScheduler] = {}
_remind_times: dict[int, tuple[int, int]] = {}  # id(scheduler) -> the time its reminder job is set for
_lock = threading.Lock()


def remind_time(db) -> tuple[int, int]:
    """The hour and minute the reminders go out (setting remind_time, HH:MM)."""
    text = settings_q.setting(db, "remind_time") or DEFAULT_REMIND_TIME
    try:
        hour, minute = (int(x) for x in text.split(":", 1))
        if 0 <= hour < 24 and 0 <= minute < 60:
            return hour, minute
    except ValueError:
        pass
    return tuple(int(x) for x in DEFAULT_REMIND_TIME.split(":"))  # type: ignore[return-value]


def _run(db_path: str, job: str, holder: str) -> None:
    db = connect(db_path)
    try:
        jobs.run_job(db, SYSTEM, job, clock.business_today(), holder=holder, once_per_day=job != jobs.OUTBOX)
    finally:
        db.conn.close()


def _outbox_tick(db_path: str, holder: str, scheduler: BackgroundScheduler) -> None:
    """Retry the outbox, and follow a change of the reminder time made on the settings page."""
    db = connect(db_path)
    try:
        jobs.run_job(db, SYSTEM, jobs.OUTBOX, clock.business_today(), holder=holder, once_per_day=False)
        hour, minute = remind_time(db)
    finally:
        db.conn.close()
    if scheduler.get_job(JOB_REMIND) is not None and _remind_times.get(id(scheduler)) != (hour, minute):
        scheduler.reschedule_job(JOB_REMIND, trigger=CronTrigger(hour=hour, minute=minute, timezone=clock.timezone()))
        _remind_times[id(scheduler)] = (hour, minute)


def _catch_up(db_path: str, holder: str) -> None:
    """At start: the overdue scan if it has not run today; the reminders and the backup if their time passed unrun."""
    db = connect(db_path)
    try:
        today = clock.business_today()
        if (q.last_ok_run_day(db, jobs.OVERDUE) or "") < today.isoformat():
            jobs.run_job(db, SYSTEM, jobs.OVERDUE, today, holder=holder)
        hour, minute = remind_time(db)
        now = dt.datetime.now(clock.timezone())
        if (now.hour, now.minute) >= (hour, minute) or os.environ.get("DUBAN_TODAY"):
            jobs.run_job(db, SYSTEM, jobs.REMIND, today, holder=holder)
        if (q.last_ok_run_day(db, jobs.BACKUP) or "") < today.isoformat() and (now.hour, now.minute) >= BACKUP_TIME:
            jobs.run_job(db, SYSTEM, jobs.BACKUP, today, holder=holder)
    finally:
        db.conn.close()


def build(db_path: str, holder: str | None = None, *, catch_up: bool = True) -> BackgroundScheduler:
    """A scheduler with the duban jobs under fixed ids (not started)."""
    holder = holder or holder_id()
    tz = clock.timezone()
    sched = BackgroundScheduler(timezone=tz, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE})
    db = connect(db_path)
    try:
        hour, minute = remind_time(db)
    finally:
        db.conn.close()
    sched.add_job(_run, CronTrigger(hour=OVERDUE_TIME[0], minute=OVERDUE_TIME[1], timezone=tz),
                  id=JOB_OVERDUE, name="逾期检查", args=[db_path, jobs.OVERDUE, holder], replace_existing=True)
    sched.add_job(_run, CronTrigger(hour=hour, minute=minute, timezone=tz), id=JOB_REMIND,
                  name="提醒发送", args=[db_path, jobs.REMIND, holder], replace_existing=True)
    _remind_times[id(sched)] = (hour, minute)
    sched.add_job(_run, CronTrigger(hour=BACKUP_TIME[0], minute=BACKUP_TIME[1], timezone=tz), id=JOB_BACKUP,
                  name="每日备份", args=[db_path, jobs.BACKUP, holder], replace_existing=True)
    sched.add_job(_outbox_tick, IntervalTrigger(minutes=OUTBOX_MINUTES, timezone=tz), id=JOB_OUTBOX,
                  name="失败重发", args=[db_path, holder, sched], replace_existing=True)
    if catch_up:
        sched.add_job(_catch_up, id=JOB_CATCHUP, name="补发检查", args=[db_path, holder], replace_existing=True,
                      next_run_time=dt.datetime.now(tz) + dt.timedelta(seconds=1))
    return sched


def start(db_path: str) -> BackgroundScheduler:
    """Start the schedule for this database once per process; later calls return the running one."""
    key = os.path.abspath(db_path)
    with _lock:
        if key in _started:
            return _started[key]
        sched = build(key)
        sched.start()
        _started[key] = sched
        atexit.register(_shutdown, key)
        log.info("提醒调度已启动:%s", key)
        return sched


def _shutdown(key: str) -> None:
    with _lock:
        sched = _started.pop(key, None)
    if sched is not None and sched.running:
        sched.shutdown(wait=False)


def enabled_in_app() -> bool:
    """The app runs the schedule unless DUBAN_SCHEDULER=0; under the test runner only when asked to (=1)."""
    flag = (os.environ.get("DUBAN_SCHEDULER") or "").strip().lower()
    if flag in ("0", "off", "false", "no"):
        return False
    if "PYTEST_CURRENT_TEST" in os.environ and flag not in ("1", "on", "true", "yes"):
        return False
    return True


def start_in_app(db_path: str) -> BackgroundScheduler | None:
    """What app.py calls (through st.cache_resource): the process's one scheduler, or None when disabled."""
    if not enabled_in_app():
        return None
    return start(db_path)


def run_forever(db_path: str, stop: threading.Event | None = None) -> None:
    """The worker: run the schedule until interrupted (Ctrl-C, SIGTERM) or `stop` is set."""
    import signal

    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    start(db_path)
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        _shutdown(os.path.abspath(db_path))
