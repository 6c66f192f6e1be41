"""The 红/黄/绿 light, branch by branch, and the 总览 counting tasks by exactly that light."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from duban.access import Actor
from duban.rules.status import CLOSED, DONE_PENDING, GREEN, IN_PROGRESS, NOT_STARTED, RED, YELLOW, Instance, light_for
from duban.services import overview, tasks
from tests.reports_world import TODAY, build

WARN = 15
START = TODAY - dt.timedelta(days=100)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def light(*instances: Instance, **kw) -> str:
    kw.setdefault("warn_days", WARN)
    return light_for(instances, TODAY, **kw)


# ---- closed, overdue, no deadline

def test_a_closed_task_is_green_even_with_an_instance_long_past_due():
    assert light(Instance(day(-300)), status=CLOSED, progress=0, start=START) == GREEN


def test_an_open_instance_past_due_is_red():
    assert light(Instance(day(-1)), Instance(day(200)), status=IN_PROGRESS, progress=90) == RED


def test_an_instance_due_today_is_not_yet_overdue():
    assert light(Instance(day(0))) == YELLOW


def test_an_instance_past_due_but_claimed_or_closed_is_not_red():
    assert light(Instance(day(-10), "claimed"), Instance(day(200)), progress=100) == GREEN
    assert light(Instance(day(-10), "closed")) == GREEN


def test_a_task_with_no_deadline_instance_is_green():
    assert light(status=NOT_STARTED, progress=0, start=START) == GREEN


# ---- due soon: the warning window

def test_due_within_the_warning_window_is_yellow():
    assert light(Instance(day(7)), progress=100) == YELLOW


def test_the_first_day_of_the_window_is_yellow_and_the_day_before_it_green():
    # the light turns yellow when the due date is exactly warn_days away; one day further it is green
    assert light(Instance(day(WARN)), progress=100) == YELLOW
    assert light(Instance(day(WARN + 1)), progress=100) == GREEN


def test_the_last_day_of_the_window_is_the_due_date_itself():
    assert light(Instance(day(0)), progress=100) == YELLOW
    assert light(Instance(day(-1)), progress=100) == RED


def test_the_window_is_the_setting_passed_in():
    assert light(Instance(day(40)), progress=100, warn_days=40) == YELLOW
    assert light(Instance(day(40)), progress=100, warn_days=39) == GREEN


def test_the_earliest_open_instance_decides():
    assert light(Instance(day(300)), Instance(day(5)), progress=100) == YELLOW


# ---- behind pace

def test_progress_behind_the_time_elapsed_is_yellow():
    # 100 days since the start, 100 to go: half the time has passed
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=20, start=START) == YELLOW
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=60, start=START) == GREEN


def test_the_tolerance_boundary():
    # 50 % of the time elapsed, tolerance 10 points: 40 % is just on pace, 39 % is behind
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=40, start=START) == GREEN
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=39, start=START) == YELLOW
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=39, start=START, tolerance=11) == GREEN


def test_pace_is_not_judged_before_the_start_or_without_one():
    assert light(Instance(day(100)), progress=0, start=day(0)) == GREEN
    assert light(Instance(day(100)), progress=0, start=day(10)) == GREEN
    assert light(Instance(day(100)), progress=0) == GREEN


def test_pace_runs_from_the_last_finished_instance_when_that_is_later():
    # the plan started 100 days ago, but the last period closed 10 days ago: 10 of 110 days elapsed (9 %)
    finished = Instance(day(-10), "closed")
    assert light(finished, Instance(day(100)), status=IN_PROGRESS, progress=0, start=START) == GREEN
    assert light(Instance(day(-10), "claimed"), Instance(day(100)), progress=0, start=START) == GREEN
    # without it, half the time has passed and nothing is done
    assert light(Instance(day(100)), status=IN_PROGRESS, progress=0, start=START) == YELLOW
    # a finished instance after the next open one does not move the start
    assert light(Instance(day(100)), Instance(day(150), "closed"), progress=0, start=START) == YELLOW


# ---- pending review

def test_completion_awaiting_review_is_not_behind_pace():
    assert light(Instance(day(100)), status=DONE_PENDING, progress=0, start=START) == GREEN


def test_completion_awaiting_review_still_warns_of_a_near_or_missed_due_date():
    assert light(Instance(day(3)), status=DONE_PENDING, progress=100, start=START) == YELLOW
    assert light(Instance(day(-3)), status=DONE_PENDING, progress=100, start=START) == RED


# ---- the 总览 counts the same lights

CASES = {  # title -> (status, progress, due offsets from today, states)
    "窗口首日": (IN_PROGRESS, 100, [WARN], ["open"]),
    "窗口外一日": (IN_PROGRESS, 100, [WARN + 1], ["open"]),
    "窗口外两日": (IN_PROGRESS, 100, [WARN + 2], ["open"]),
    "今日到期": (IN_PROGRESS, 100, [0], ["open"]),
    "昨日到期": (IN_PROGRESS, 100, [-1], ["open"]),
    "进度恰在容差": (IN_PROGRESS, None, [400], ["open"]),
    "进度差一点": (IN_PROGRESS, None, [400], ["open"]),
    "待审核落后": (DONE_PENDING, 0, [400], ["open"]),
    "已销号逾期": (CLOSED, 0, [-30], ["open"]),
    "上期已完成": (IN_PROGRESS, 0, [-20, 300], ["closed", "open"]),
    "上期已申报": (IN_PROGRESS, 0, [-20, 300], ["claimed", "open"]),
    "全部完成": (IN_PROGRESS, 100, [-20], ["closed"]),
}


@pytest.fixture
def boundary_world(db):
    """The known world plus tasks on every boundary of the rule (the plan started 2025-01-01)."""
    world = build(db)
    start = dt.date(2025, 1, 1)
    for n, (title, (status, progress, offsets, states)) in enumerate(CASES.items(), start=10):
        if progress is None:  # the share of time elapsed to a due date 400 days ahead, less the tolerance
            elapsed = (TODAY - start).days / (day(400) - start).days * 100
            progress = math.ceil(elapsed) - 10 - (title == "进度差一点")
        task = db.conn.execute("INSERT INTO tasks (plan_id, seq, title, status, progress) VALUES (?,?,?,?,?)",
                               [world.plan, n, title, status, progress]).lastrowid
        db.conn.execute("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?,?,'lead',0)",
                        [task, world.a])
        for offset, state in zip(offsets, states, strict=True):
            db.conn.execute("INSERT INTO instances (task_id, due, state) VALUES (?,?,?)",
                            [task, day(offset).isoformat(), state])
    return world


def _office(db) -> Actor:
    return Actor(db.conn.execute("SELECT id FROM users WHERE username='bangong'").fetchone()[0], "bangong", "office")


def _lights_by_rule(db, today: dt.date) -> dict[int, str]:
    """Each live task's light straight from light_for on its stored instances."""
    out = {}
    for task_id, status, progress, start, created in db.conn.execute(
            "SELECT t.id, t.status, t.progress, p.period_start, t.created_at FROM tasks t "
            "LEFT JOIN plans p ON p.id = t.plan_id WHERE t.removed = 0"):
        instances = [Instance(dt.date.fromisoformat(due), state) for due, state in db.conn.execute(
            "SELECT due, state FROM instances WHERE task_id = ?", [task_id])]
        begin = dt.date.fromisoformat((start or created)[:10])
        out[task_id] = light_for(instances, today, status=status, progress=progress or 0, start=begin,
                                 warn_days=tasks.warn_days(db))
    return out


def test_the_boundary_tasks_have_the_lights_the_rule_gives(boundary_world, db):
    by_title = {r.title: r.light for r in tasks.list_tasks(db, _office(db), TODAY)}
    assert by_title["窗口首日"] == YELLOW and by_title["窗口外一日"] == GREEN
    assert by_title["今日到期"] == YELLOW and by_title["昨日到期"] == RED
    assert by_title["进度恰在容差"] == GREEN and by_title["进度差一点"] == YELLOW
    assert by_title["待审核落后"] == GREEN and by_title["已销号逾期"] == GREEN
    assert by_title["上期已完成"] == GREEN and by_title["上期已申报"] == GREEN and by_title["全部完成"] == GREEN


@pytest.mark.parametrize("today", [TODAY, TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)])
@pytest.mark.parametrize("warn", [None, "14", "16"])
def test_the_overview_counts_exactly_the_per_task_lights(boundary_world, db, today, warn):
    if warn:
        db.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('warn_days', ?)", [warn])
    office = _office(db)
    expected = _lights_by_rule(db, today)
    data = overview.overview(db, office, today)
    assert data["by_light"] == {x: Counter(expected.values())[x] for x in (RED, YELLOW, GREEN)}
    for x in (RED, YELLOW, GREEN):
        assert set(overview.task_ids(db, office, today, light=x)) == {t for t, v in expected.items() if v == x}
    # filtered the same way: one department, one plan
    part = overview.overview(db, office, today, plan=boundary_world.plan)
    in_plan = {r[0] for r in db.conn.execute("SELECT id FROM tasks WHERE plan_id = ?", [boundary_world.plan])}
    assert part["by_light"] == {x: sum(1 for t in in_plan if expected[t] == x) for x in (RED, YELLOW, GREEN)}
    reds = {d["department_id"]: d["red_lead"] for d in data["by_department"]}
    assert reds[boundary_world.a] == sum(1 for t, v in expected.items() if v == RED and t in {
        r[0] for r in db.conn.execute("SELECT task_id FROM task_units WHERE department_id=? AND role='lead'",
                                      [boundary_world.a])})
