"""Fifty departments reporting at once on one SQLite file: every report stored, none lost, nobody told 'locked'."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

import pytest

from db import connect, transaction
from db import connection as db_connection
from duban.errors import DubanError
from duban.services import reports, users
from tests.reports_world import PDF, TODAY, build

REPORTERS = 50
EACH = 20
PROCESSES = 50
# the process pool's server imports these once; each reporter process is forked from it with them loaded
PRELOAD = ["db", "duban.services.reports", "duban.services.users", "tests.reports_world", __name__]


def _prepare(db, reporters: int = REPORTERS) -> list[tuple[int, int, int]]:
    """50 departments, each the lead of its own task and co of a shared one, each with a liaison: [(user, task)]."""
    world = build(db, with_users=False)
    jurisdiction = db.conn.execute("SELECT jurisdiction_id FROM departments WHERE id=?", [world.a]).fetchone()[0]
    pairs = []
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$not-a-real-hash-used-for-speed"
    for i in range(reporters):
        department = db.conn.execute("INSERT INTO departments (name, jurisdiction_id) VALUES (?, ?)",
                               [f"测试局{i:02d}", jurisdiction]).lastrowid
        task = db.conn.execute("INSERT INTO tasks (plan_id, seq, title) VALUES (?, ?, ?)",
                               [world.plan, 100 + i, f"并发任务{i:02d}"]).lastrowid
        db.conn.execute("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?, ?, 'lead', 0)",
                        [task, department])
        db.conn.execute("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?, ?, 'co', ?)",
                        [world.shared, department, i + 2])
        db.conn.execute("INSERT INTO instances (task_id, due, period_label) VALUES (?, '2026-12-31', '2026年')", [task])
        user = db.conn.execute("INSERT INTO users (username, password_hash, role) VALUES (?, ?, 'liaison')",
                               [f"reporter{i:02d}", password_hash]).lastrowid
        db.conn.execute("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)", [user, department])
        pairs.append((user, task, world.shared))
    return pairs


def _report_many(db_path: str, user_id: int, own_task: int, shared_task: int) -> list[str]:
    """One reporter: its own connection, 20 reports (every fifth with a file, some on the shared task)."""
    db = connect(db_path)
    errors = []
    try:
        actor = users.actor_for(db, user_id)
        for n in range(EACH):
            task = shared_task if n % 4 == 3 else own_task
            files = [(f"材料{n}.pdf", PDF)] if n % 5 == 0 else None
            try:
                reports.file_report(db, actor, task, f"{actor.username} 第{n}次报告", min(100, n * 5), "推进中",
                                    TODAY, evidence=files)
            except Exception as e:  # what a user would have been shown
                errors.append(f"{type(e).__name__}: {e}")
    finally:
        db.conn.close()
    return errors


def _check(db, pairs, errors):
    reporters = len(pairs)
    assert errors == []
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == reporters * EACH
    per_user = dict(db.conn.execute("SELECT user_id, count(*) FROM reports GROUP BY user_id").fetchall())
    assert per_user == {user: EACH for user, _, _ in pairs}
    texts = {r[0] for r in db.conn.execute("SELECT progress_text FROM reports")}
    assert len(texts) == reporters * EACH  # none overwritten, none duplicated
    # every lead report moved its task; co reports on the shared task did not
    history = db.conn.execute("SELECT count(*) FROM status_history").fetchone()[0]
    assert history == reporters * (EACH - EACH // 4)
    assert db.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == reporters * (EACH // 5)
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_fifty_threads_each_with_its_own_connection(db, db_path):
    pairs = _prepare(db)
    errors: list[str] = []
    lock = threading.Lock()

    def run(user, own, shared):
        found = _report_many(str(db_path), user, own, shared)
        with lock:
            errors.extend(found)

    threads = [threading.Thread(target=run, args=p) for p in pairs]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    print(f"\n{REPORTERS} threads x {EACH} reports: {time.perf_counter() - started:.1f} s")
    assert not any(t.is_alive() for t in threads)
    _check(db, pairs, errors)


def _process_worker(args):
    return _report_many(*args)


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="needs forkserver")
def test_separate_processes_on_one_file(db, db_path):
    """Separate processes (the app, the reminder worker, the command line) do not share the in-process write
    lock: SQLite's busy timeout must carry them."""
    pairs = _prepare(db, PROCESSES)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    started = time.perf_counter()
    with context.Pool(PROCESSES) as pool:
        results = pool.map(_process_worker, [(str(db_path), *p) for p in pairs])
    print(f"\n{PROCESSES} processes x {EACH} reports: {time.perf_counter() - started:.1f} s")
    _check(db, pairs, [e for found in results for e in found])


def _hold_write_lock(db_path, seconds: float, held: threading.Event) -> None:
    """Another process's writer, as SQLite sees it: a second connection holding the write lock for a while."""
    other = sqlite3.connect(str(db_path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO meta (key, value) VALUES ('holder', 'other')")
    held.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def test_a_writer_waits_for_the_lock_and_then_goes_through(db, db_path):
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, 0.5, held))
    holder.start()
    held.wait(5)
    with transaction(db):
        db.conn.execute("INSERT INTO meta (key, value) VALUES ('waiter', 'me')")
    holder.join()
    assert dict(db.conn.execute("SELECT key, value FROM meta WHERE key IN ('holder', 'waiter')").fetchall()) == {
        "holder": "other", "waiter": "me"}


def test_a_writer_that_cannot_get_the_lock_in_time_is_told_in_chinese_and_writes_nothing(db, db_path, monkeypatch):
    monkeypatch.setattr(db_connection, "WRITE_WAIT_SECONDS", 0.3)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, 1.5, held))
    holder.start()
    held.wait(5)
    try:
        with pytest.raises(DubanError, match="数据库繁忙,请稍后重试"):
            with transaction(db):
                db.conn.execute("INSERT INTO meta (key, value) VALUES ('waiter', 'me')")
        assert not db.conn.in_transaction
    finally:
        holder.join()
    assert db.conn.execute("SELECT count(*) FROM meta WHERE key='waiter'").fetchone()[0] == 0
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == db_connection.BUSY_TIMEOUT_MS
    with transaction(db):  # once the other writer is done, writing works again
        db.conn.execute("INSERT INTO meta (key, value) VALUES ('waiter', 'me')")
    assert db.conn.execute("SELECT count(*) FROM meta WHERE key='waiter'").fetchone()[0] == 1
