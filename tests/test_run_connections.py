"""Each browser session's script run has its own connection: one session's open write is not another's read."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest

from db import transaction
from db.connection import closing_connections
from duban.services import cache
from ui import session

WAIT = 10


def _jurisdictions(db) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT name FROM jurisdictions ORDER BY name")]


def _in_another_session(work):
    """Run work(db) the way another browser session's script run does: its own thread, its own run."""
    out = {}

    def run():
        with closing_connections():
            try:
                out["value"] = work(session.get_db())
            except BaseException as e:  # reported to the test below
                out["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_a_write_open_in_one_session_is_neither_seen_nor_joined_by_another(db):
    opened, checked = threading.Event(), threading.Event()

    def office_session(app_db):
        with pytest.raises(RuntimeError), transaction(app_db):
            app_db.conn.execute("INSERT INTO jurisdictions (name) VALUES ('未提交的地区')")
            opened.set()
            assert checked.wait(WAIT)
            raise RuntimeError("the office's write fails half-way")  # everything it wrote is rolled back
        return id(app_db.conn)

    first, first_out = _in_another_session(office_session)
    assert opened.wait(WAIT)
    second, second_out = _in_another_session(
        lambda app_db: (_jurisdictions(app_db), app_db.conn.in_transaction, id(app_db.conn)))
    second.join(WAIT)
    checked.set()
    first.join(WAIT)
    assert "error" not in first_out and "error" not in second_out
    seen, inside_a_transaction, second_conn = second_out["value"]
    assert "未提交的地区" not in seen  # another session's uncommitted row is not read as if stored
    assert not inside_a_transaction
    assert second_conn != first_out["value"]
    assert "未提交的地区" not in _jurisdictions(db)


def test_a_write_in_one_session_waits_for_anothers_and_is_kept_when_that_one_fails(db):
    opened, release = threading.Event(), threading.Event()

    def failing(app_db):
        with pytest.raises(RuntimeError), transaction(app_db):
            app_db.conn.execute("INSERT INTO jurisdictions (name) VALUES ('失败的写入')")
            opened.set()
            assert release.wait(WAIT)
            raise RuntimeError("fails")

    def storing(app_db):
        with transaction(app_db):
            app_db.conn.execute("INSERT INTO jurisdictions (name) VALUES ('另一会话的写入')")

    first, _ = _in_another_session(failing)
    assert opened.wait(WAIT)
    second, second_out = _in_another_session(storing)
    second.join(0.3)
    assert second.is_alive()  # it waits for the write already under way instead of joining it
    release.set()
    first.join(WAIT)
    second.join(WAIT)
    assert "error" not in second_out
    assert _jurisdictions(db).count("另一会话的写入") == 1
    assert "失败的写入" not in _jurisdictions(db)


def test_a_runs_connection_is_closed_at_its_end_and_what_it_left_open_rolled_back(db):
    app_db = session.get_db()
    with closing_connections():
        conn = app_db.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO jurisdictions (name) VALUES ('遗留的写入')")
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    with closing_connections():
        assert app_db.conn is not conn
        assert "遗留的写入" not in _jurisdictions(app_db)


def test_cached_results_outlive_a_run_until_someone_writes(db):
    app_db = session.get_db()
    with closing_connections():
        before = cache.data_version(app_db)
    with closing_connections():
        assert cache.data_version(app_db) == before  # nothing written: the next run reuses what was computed
    thread, _ = _in_another_session(lambda d: d.conn.execute("INSERT INTO jurisdictions (name) VALUES ('新地区')"))
    thread.join(WAIT)
    with closing_connections():
        assert cache.data_version(app_db) != before



def test_the_task_list_of_a_later_run_shows_a_task_another_session_closed(demo_db):
    """Each run has a new connection, so a cached task list must follow commits, not the connection."""
    from duban.services import tasks, users

    today = dt.date(2026, 11, 22)
    app_db = session.get_db()
    office_id = demo_db.conn.execute("SELECT id FROM users WHERE username='bangong'").fetchone()[0]
    office = users.actor_for(demo_db, office_id)
    with closing_connections():
        open_one = next(t for t in tasks.list_tasks(app_db, office, today) if t.status != "closed")

    def close_it(other_db):
        with transaction(other_db):
            other_db.conn.execute("UPDATE tasks SET status='closed' WHERE id=?", [open_one.id])

    thread, out = _in_another_session(close_it)
    thread.join(WAIT)
    assert "error" not in out
    with closing_connections():
        again = {t.id: t for t in tasks.list_tasks(app_db, office, today)}
    assert again[open_one.id].status == "closed"
