"""The warning light on the demo database: the dashboard shows red, yellow and green tasks."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from duban.access import SYSTEM
from duban.services import tasks

TODAY = dt.date(2026, 11, 22)


def test_demo_has_red_yellow_and_green_tasks(demo_db):
    rows = tasks.list_tasks(demo_db, SYSTEM, TODAY)
    lights = Counter(r.light for r in rows)
    assert lights["红"] >= 5 and lights["黄"] >= 2 and lights["绿"] >= 5


def test_red_means_a_deadline_passed_without_completion(demo_db):
    for row in tasks.list_tasks(demo_db, SYSTEM, TODAY, light="红"):
        assert row.next_due < TODAY.isoformat() and row.status != "已销号"


def test_yellow_tasks_are_due_soon_or_behind(demo_db):
    rows = tasks.list_tasks(demo_db, SYSTEM, TODAY, light="黄")
    due_soon = [r for r in rows if r.next_due <= (TODAY + dt.timedelta(days=15)).isoformat()]
    assert due_soon, "a task falling due within 15 days is yellow"
    assert all(r.next_due >= TODAY.isoformat() for r in rows)


def test_the_warning_window_is_a_setting(demo_db):
    def due_within(days):
        end = (TODAY + dt.timedelta(days=days)).isoformat()
        return [r for r in tasks.list_tasks(demo_db, SYSTEM, TODAY) if r.next_due
                and TODAY.isoformat() <= r.next_due <= end]

    assert due_within(15) and all(r.light == "黄" for r in due_within(15))
    later = [r for r in due_within(60) if r.next_due > (TODAY + dt.timedelta(days=15)).isoformat()]
    assert later, "the demo has deadlines 16-60 days ahead"
    demo_db.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('warn_days', '60')")
    assert all(r.light == "黄" for r in due_within(60))


def test_a_later_day_turns_more_tasks_red(demo_db):
    now = Counter(r.light for r in tasks.list_tasks(demo_db, SYSTEM, TODAY))
    later = Counter(r.light for r in tasks.list_tasks(demo_db, SYSTEM, dt.date(2027, 1, 15)))
    assert later["红"] > now["红"]
