"""Each place's office keeps its own reporting periods (报送期): a district's pack locks the district's period only,
and a report falls in the period of its task's place."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import db.migrations as migrations
from db import connect
from duban.services import reporting_periods, reports, stored_packs, update_requests
from duban.services.meetings import create_meeting
from tests.place_world import actor, build_places
from tests.reports_world import TODAY

EARLIER = TODAY - dt.timedelta(days=30)


@pytest.fixture
def world(db):
    """The place world where 郑州 and 包头 have each built a pack once already (so each has its own periods)."""
    w = build_places(db)
    stored_packs.lock_figures(db, actor(db, "zz-office"), EARLIER)
    stored_packs.lock_figures(db, actor(db, "bt-office"), EARLIER)
    return w


def _period_of(db, report_id: int) -> dict:
    return dict(db.conn.execute("SELECT p.* FROM reports r JOIN report_periods p ON p.id = r.period_id "
                                "WHERE r.id = ?", [report_id]).fetchone())


def _others(db, place: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT * FROM report_periods WHERE coalesce(jurisdiction_id, 0) <> ? ORDER BY id", [place])]


def _file(db, username: str, task_id: int, text: str) -> int:
    return reports.file_report(db, actor(db, username), task_id, text, 30, "推进中", TODAY)


def test_a_district_pack_leaves_the_city_and_its_sibling_open(db, world):
    zz_report = _file(db, "zz-minzheng", world.base.shared, "锁定前的郑州进展")
    bt_report = _file(db, "bt-minzheng", world.base.only_c, "锁定前的包头进展")
    zz_period, bt_period = _period_of(db, zz_report), _period_of(db, bt_report)
    assert zz_period["jurisdiction_id"] == world.zz and bt_period["jurisdiction_id"] == world.bt
    before = _others(db, world.js)

    locked = stored_packs.lock_figures(db, actor(db, "js-office"), TODAY)

    assert _others(db, world.js) == before  # 郑州's and 包头's periods, and the whole database's, as they were
    assert _period_of(db, zz_report)["locked_at"] is None and _period_of(db, bt_report)["locked_at"] is None
    own = reporting_periods.list_periods(db, actor(db, "js-office"))
    assert [p["label"] for p in own if p["locked_at"]] == [locked.period]
    # a 郑州 report filed after 金水区 locked still falls in 郑州's open period
    after = _file(db, "zz-minzheng", world.base.shared, "金水区锁定后的郑州进展")
    assert _period_of(db, after)["id"] == zz_period["id"]
    assert reporting_periods.current_period(db, TODAY, world.zz) == zz_period["label"]


def test_a_district_report_after_its_lock_falls_in_the_districts_next_period(db, world):
    first = _file(db, "js-minzheng", world.js_task, "锁定前的金水区进展")
    locked = stored_packs.lock_figures(db, actor(db, "js-office"), TODAY)
    later = _file(db, "js-minzheng", world.js_task, "锁定后的金水区进展")
    period = _period_of(db, later)
    assert period["jurisdiction_id"] == world.js and period["locked_at"] is None
    assert period["label"] != locked.period
    # the pack counts the report filed before the lock and not the one after
    progress = [r["progress"] for r in locked.data["ledger"]]
    assert any("锁定前的金水区进展" in p for p in progress) and not any("锁定后" in p for p in progress)
    assert first != later


def test_the_city_pack_of_the_same_day_locks_the_citys_period(db, world):
    zz_report = _file(db, "zz-minzheng", world.base.shared, "郑州进展")
    stored_packs.lock_figures(db, actor(db, "js-office"), TODAY)
    before = _others(db, world.zz)

    pack = stored_packs.lock_figures(db, actor(db, "zz-office"), TODAY)

    period = _period_of(db, zz_report)
    assert period["locked_at"] is not None and period["end"] == TODAY.isoformat() and period["label"] == pack.period
    assert _others(db, world.zz) == before  # 金水区's and 包头's periods as they were
    assert any("郑州进展" in r["progress"] for r in pack.data["ledger"])
    later = _file(db, "zz-minzheng", world.base.shared, "郑州锁定后的进展")
    assert _period_of(db, later)["label"] != pack.period


def test_a_place_follows_the_place_above_until_its_office_first_locks(db):
    """Before 金水区's office builds a pack, a 金水区 report falls in 郑州's open period; 郑州's pack then counts it."""
    w = build_places(db)
    stored_packs.lock_figures(db, actor(db, "zz-office"), EARLIER)
    report = _file(db, "js-minzheng", w.js_task, "金水区首次进展")
    assert _period_of(db, report)["jurisdiction_id"] == w.zz
    pack = stored_packs.lock_figures(db, actor(db, "zz-office"), TODAY)
    assert _period_of(db, report)["label"] == pack.period
    assert any("金水区首次进展" in r["progress"] for r in pack.data["lower_ledger"] or [])


def test_a_meetings_window_reads_its_own_places_periods(db, world):
    js = actor(db, "js-office")
    stored_packs.lock_figures(db, js, EARLIER)  # 金水区 keeps periods of its own from now on
    _file(db, "js-minzheng", world.js_task, "会前的金水区进展")
    stored_packs.lock_figures(db, actor(db, "zz-office"), TODAY)  # 郑州's lock does not close 金水区's reporting
    meeting = create_meeting(db, js, "联席会议", TODAY + dt.timedelta(days=10), [world.js_plan], title="金水区联席会议")
    status = update_requests.reporting_status(db, js, meeting, TODAY)
    unit = next(u for u in status["units"] if u["department_id"] == world.js_dept)
    assert unit["reported"] and unit["reports"] == 1


def test_an_upgraded_database_keeps_its_periods_for_the_whole_database(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("DUBAN_BACKUP_DIR", str(tmp_path / "backups"))
    every = migrations.migration_files()
    assert every[-1].stem.startswith("018")
    with monkeypatch.context() as previous_version:  # the program as it was, before places kept periods
        previous_version.setattr(migrations, "migration_files", lambda: every[:-1])
        old = connect(db_path)
        from tests.reports_world import build

        w = build(old)
        old.conn.execute("INSERT INTO report_periods (label, start, end, locked_at) "
                         "VALUES ('2026年第1期', '2026-01-01', '2026-06-30', '2026-06-30 10:00:00')")
        old.conn.execute("INSERT INTO report_periods (label, start) VALUES ('2026年第2期', '2026-07-01')")
        for label, day in (("2026年第1期", "2026-05-10"), ("2026年第2期", "2026-08-10")):
            old.conn.execute("INSERT INTO reports (task_id, department_id, progress_text, claimed_status, period, "
                             "reported_on) VALUES (?,?,?,?,?,?)", [w.shared, w.a, "进展", "推进中", label, day])
        old.conn.commit()
        old.conn.close()

    upgraded = connect(db_path)
    try:
        rows = [tuple(r) for r in upgraded.conn.execute(
            "SELECT label, start, end, jurisdiction_id FROM report_periods ORDER BY id")]
        assert rows == [("2026年第1期", "2026-01-01", "2026-06-30", None), ("2026年第2期", "2026-07-01", None, None)]
        labels = dict(upgraded.conn.execute(
            "SELECT r.reported_on, p.label FROM reports r JOIN report_periods p ON p.id = r.period_id"))
        assert labels == {"2026-05-10": "2026年第1期", "2026-08-10": "2026年第2期"}
        # a 郑州 task's report still goes into the whole database's open period, and its office locks that one
        assert reporting_periods.current_period(upgraded, TODAY, _place(upgraded, w.shared)) == "2026年第2期"
        locked = reporting_periods.lock_period(upgraded, actor(upgraded, "bangong"), TODAY)
        assert locked["label"] == "2026年第2期" and locked["jurisdiction_id"] is None
        with pytest.raises(sqlite3.IntegrityError):  # still one open period per place
            upgraded.conn.execute("INSERT INTO report_periods (label, start) VALUES ('x', '2026-12-01')")
            upgraded.conn.execute("INSERT INTO report_periods (label, start) VALUES ('y', '2026-12-01')")
    finally:
        upgraded.conn.close()


def _place(db, task_id: int) -> int:
    return db.conn.execute("SELECT jurisdiction_id FROM tasks WHERE id=?", [task_id]).fetchone()[0]
