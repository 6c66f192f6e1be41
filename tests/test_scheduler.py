"""The schedule: fixed job ids that coalesce, one scheduler per process, a lease so a job never runs twice at once."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from db import connect
from db.queries import reminders as rq
from db.queries import settings as settings_q
from duban.access import SYSTEM
from duban.jobs import jobs, lease, scheduler
from tests.remind_world import SmtpSink, add_task, make_world, set_smtp, smtp_fixture  # noqa: F401 - the smtp fixture
from tests.support import ROOT

MON = dt.date(2026, 11, 23)


@pytest.fixture
def world(db):
    w = make_world(db)
    add_task(db, w, "week", "建设社区嵌入式养老服务设施", [(w.a, "lead")], "2026-11-30")
    return w


def test_threads_racing_on_the_lease_run_the_job_once(db, db_path, world, smtp, monkeypatch):
    real = jobs.remind

    def slow_remind(*args, **kwargs):
        time.sleep(0.2)  # hold the lease long enough for the others to find it taken
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "remind", slow_remind)
    barrier = threading.Barrier(4)
    outcomes = []

    def worker(n):
        conn = connect(db_path)
        try:
            barrier.wait()
            outcomes.append(jobs.run_job(conn, SYSTEM, jobs.REMIND, MON, holder=f"thread-{n}").status)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(outcomes).count("ran") == 1
    assert set(outcomes) <= {"ran", "busy", "already"}
    assert len(rq.runs_of(db, jobs.REMIND)) == 1
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]
    assert rq.lease(db, jobs.REMIND) is None  # released when done


RACE = """
import datetime as dt, sys, time, pathlib
from db import connect
from duban.access import SYSTEM
from duban.jobs import jobs
start = pathlib.Path(sys.argv[2])
while not start.exists():
    time.sleep(0.01)
db = connect(sys.argv[1])
print(jobs.run_job(db, SYSTEM, jobs.REMIND, dt.date(2026, 11, 23), holder=sys.argv[3]).status)
"""


def test_two_processes_racing_run_the_job_once_and_send_once(db, db_path, world, smtp, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "DUBAN_DB": str(db_path)}
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(db_path), str(go), f"proc-{n}"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
    time.sleep(0.3)  # let both start and wait at the line
    go.touch()
    results = [p.communicate(timeout=60) for p in procs]
    statuses = sorted(out.strip() for out, _ in results)
    assert statuses.count("ran") == 1, results
    assert len(rq.runs_of(db, jobs.REMIND)) == 1
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]


def test_an_expired_lease_can_be_taken_over_and_a_held_one_cannot(db):
    assert lease.acquire(db, "remind", "first", ttl=60)
    assert not lease.acquire(db, "remind", "second", ttl=60)
    assert lease.acquire(db, "remind", "first", ttl=60)  # renewing your own
    lease.release(db, "remind", "second")  # not theirs to release
    assert rq.lease(db, "remind")["holder"] == "first"
    assert lease.acquire(db, "overdue", "dead", ttl=-1)  # a holder that died: its lease ran out
    assert lease.acquire(db, "overdue", "second", ttl=60)


def test_the_scheduler_has_fixed_job_ids_that_coalesce_with_a_grace_time(db, db_path):
    sched = scheduler.build(str(db_path), holder="test", catch_up=False)
    sched.start(paused=True)  # the job defaults apply once started; paused, nothing runs
    try:
        by_id = {j.id: j for j in sched.get_jobs()}
        assert set(by_id) == {scheduler.JOB_OVERDUE, scheduler.JOB_REMIND, scheduler.JOB_OUTBOX, scheduler.JOB_BACKUP}
        for job in by_id.values():
            assert job.coalesce is True and job.max_instances == 1
            assert job.misfire_grace_time == scheduler.MISFIRE_GRACE
        remind = str(by_id[scheduler.JOB_REMIND].trigger)
        assert "hour='8'" in remind and "minute='30'" in remind
        # adding the jobs again replaces them instead of doubling them
        sched.add_job(scheduler._run, "interval", minutes=5, id=scheduler.JOB_OUTBOX, replace_existing=True,
                      args=[str(db_path), jobs.OUTBOX, "test"])
        assert len(sched.get_jobs()) == 4
        assert "hour='1'" in str(by_id[scheduler.JOB_BACKUP].trigger)
    finally:
        sched.shutdown(wait=False)
    assert scheduler.JOB_CATCHUP in {j.id for j in scheduler.build(str(db_path), holder="test").get_jobs()}
    # the office's reminder time is read at start
    settings_q.set_setting(db, "remind_time", "09:05")
    again = {j.id: j for j in scheduler.build(str(db_path), holder="test").get_jobs()}
    assert "hour='9'" in str(again[scheduler.JOB_REMIND].trigger)


def test_one_scheduler_per_process_and_none_under_the_test_runner_unless_asked(db_path, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", "2026-11-22")  # a Sunday: nothing would be sent if a job ran
    monkeypatch.delenv("DUBAN_SCHEDULER", raising=False)
    assert scheduler.start_in_app(str(db_path)) is None
    monkeypatch.setenv("DUBAN_SCHEDULER", "1")
    first = scheduler.start_in_app(str(db_path))
    try:
        assert first is not None and first.running
        assert scheduler.start_in_app(str(db_path)) is first
        assert scheduler.start(str(db_path)) is first
    finally:
        scheduler._shutdown(os.path.abspath(str(db_path)))
    monkeypatch.setenv("DUBAN_SCHEDULER", "0")
    assert scheduler.start_in_app(str(db_path)) is None


def test_catch_up_at_start_runs_the_missed_jobs_once(db, db_path, world, smtp, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", "2026-11-24")
    jobs.run_job(db, SYSTEM, jobs.REMIND, dt.date(2026, 11, 20))
    scheduler._catch_up(str(db_path), "start-1")
    scheduler._catch_up(str(db_path), "start-2")  # a second start the same day
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]
    days = [(r["job"], r["day"], r["status"]) for r in rq.recent_runs(db, 10)]
    assert ("remind", "2026-11-24", "ok") in days and ("overdue", "2026-11-24", "ok") in days
    assert len([d for d in days if d[:2] == ("remind", "2026-11-24")]) == 1


def test_the_worker_runs_the_jobs_without_the_app_until_interrupted(db, db_path, world, smtp):
    env = {**os.environ, "DUBAN_DB": str(db_path), "DUBAN_TODAY": "2026-11-23"}
    proc = subprocess.Popen([sys.executable, "-m", "duban", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while not smtp.mails and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"], out
    assert proc.returncode == 0 and "定时任务已启动" in out and "定时任务已停止" in out
