"""A unit's deadlines as an .ics calendar: every deadline an all-day event, stable ids, only for its own liaison."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from icalendar import Calendar

from duban.access import SYSTEM, Actor
from duban.errors import AccessDenied
from duban.reports import ics
from duban.services import calendars
from tests.remind_world import add_task, make_world
from tests.support import ROOT


@pytest.fixture
def world(db):
    w = make_world(db)
    add_task(db, w, "week", "建设社区嵌入式养老服务设施", [(w.a, "lead"), (w.b, "co")], "2026-11-30")
    add_task(db, w, "done", "开展托育机构质量评估", [(w.a, "co")], "2026-06-30", state="closed")
    add_task(db, w, "other", "建立基本养老服务清单", [(w.c, "lead")], "2026-12-31", plan=w.plan2)
    return w


def events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_a_units_calendar_lists_its_deadlines_as_all_day_events(db, world):
    data = ics.department_calendar(db, SYSTEM, world.a)
    evs = events(data)
    assert len(evs) == 2
    by_date = {e.decoded("dtstart"): e for e in evs}
    week = by_date[dt.date(2026, 11, 30)]
    assert "【牵头】" in str(week["summary"]) and "建设社区嵌入式养老服务设施" in str(week["summary"])
    assert week.decoded("dtend") == dt.date(2026, 12, 1)
    assert "郑州市“一老一小”整体解决方案" in str(week["description"])
    assert week.walk("VALARM")
    assert str(by_date[dt.date(2026, 6, 30)]["summary"]).startswith("[已完成] 【配合】")
    assert "建立基本养老服务清单" not in data.decode()
    # the same ids every time, so importing again updates instead of doubling
    again = events(ics.department_calendar(db, SYSTEM, world.a))
    assert sorted(str(e["uid"]) for e in again) == sorted(str(e["uid"]) for e in evs)


def test_a_liaison_gets_only_their_own_units_calendar(db, world):
    a = Actor(user_id=world.user_a, username="zz-a", role="liaison", department_ids=frozenset({world.a}))
    assert events(ics.department_calendar(db, a, world.a))
    with pytest.raises(AccessDenied):
        ics.department_calendar(db, a, world.c)
    assert [d["id"] for d in calendars.calendar_departments(db, a)] == [world.a]


def test_cli_writes_the_calendar(db, db_path, world, tmp_path):
    out = tmp_path / "a.ics"
    res = subprocess.run([sys.executable, "-m", "duban", "ics", "--dept", str(world.a), "--out", str(out)],
                         cwd=ROOT, env={**os.environ, "DUBAN_DB": str(db_path)}, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "已导出 2 个到期日" in res.stdout
    assert len(events(out.read_bytes())) == 2
