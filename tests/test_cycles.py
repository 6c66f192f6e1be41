"""Reporting cycles: periods (每月28日前, 每季度第1个月20日前, before each joint meeting) and who has not reported."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.access import SYSTEM
from duban.demo import cycles as demo_cycles
from duban.errors import InputError
from duban.services import cycles, reports
from tests.reports_world import TODAY, actor, build

D = dt.date


@pytest.fixture
def world(db):
    return build(db)


def _cycle(kind, month=None, day=None, dates=()):
    return cycles.Cycle(1, 1, kind, month, day, True, None, tuple(dates))


@pytest.mark.parametrize("today, dues", [
    (D(2026, 11, 22), [D(2026, 11, 28), D(2026, 10, 28), D(2026, 9, 28)]),
    (D(2026, 11, 28), [D(2026, 11, 28), D(2026, 10, 28), D(2026, 9, 28)]),
    (D(2026, 11, 29), [D(2026, 12, 28), D(2026, 11, 28), D(2026, 10, 28)]),
    (D(2027, 1, 5), [D(2027, 1, 28), D(2026, 12, 28), D(2026, 11, 28)]),
])
def test_monthly_periods(today, dues):
    got = cycles.periods(_cycle("monthly", day=28), today)
    assert [p.due for p in got] == dues
    assert got[0].after == dues[1] and got[0].label == f"{dues[0].year}年{dues[0].month}月"


def test_a_day_past_the_months_end_falls_on_its_last_day():
    got = cycles.periods(_cycle("monthly", day=31), D(2026, 2, 10), back=1)
    assert [p.due for p in got] == [D(2026, 2, 28), D(2026, 1, 31)]


def test_quarterly_periods_in_the_first_month_of_each_quarter():
    got = cycles.periods(_cycle("quarterly", month=1, day=20), D(2026, 11, 22))
    assert [(p.due, p.label) for p in got] == [(D(2027, 1, 20), "2027年第1季度"), (D(2026, 10, 20), "2026年第4季度"),
                                               (D(2026, 7, 20), "2026年第3季度")]
    assert got[0].after == D(2026, 10, 20)


def test_meeting_periods_follow_the_meeting_dates():
    cycle = _cycle("meeting", dates=[(D(2026, 9, 10), "三季度会前"), (D(2026, 12, 10), None)])
    got = cycles.periods(cycle, D(2026, 11, 22))
    assert [(p.due, p.after) for p in got] == [(D(2026, 12, 10), D(2026, 9, 10)),
                                               (D(2026, 9, 10), D(2026, 9, 10) - dt.timedelta(days=90))]
    assert got[0].label == "12月10日联席会议前" and got[1].label == "三季度会前"


def test_missing_reports_names_who_has_not_reported_this_period(db, world):
    office = actor(db, "bangong")
    cycle_id = cycles.add_cycle(db, office, world.plan, "monthly", day=28)
    missing = cycles.missing_reports(db, SYSTEM, TODAY)
    assert sorted((m.department_id, m.plan_id, m.period_due) for m in missing) == [
        (world.a, world.plan, D(2026, 11, 28)), (world.b, world.plan, D(2026, 11, 28))]
    department_id, plan_id, cycle, period_due = missing[0]
    assert str(cycle) == "每月28日前" and cycle.id == cycle_id
    # a report on any task of the plan counts, even when nothing is due
    reports.file_report(db, actor(db, "zz-weijian"), world.only_b, "本月进展", 20, "推进中", TODAY)
    assert [(m.department_id, m.period_due) for m in cycles.missing_reports(db, SYSTEM, TODAY)] == [(world.a, D(2026, 11, 28))]
    overview = cycles.cycle_overview(db, office, cycle_id, TODAY)
    current = {d["name"]: d["reported"] for d in overview[0]["departments"]}
    assert current == {"市民政局": False, "市卫健委": True}
    assert not any(d["reported"] for d in overview[1]["departments"])  # last month nobody reported
    # a report from last period does not count for this one
    assert sorted(m.department_id for m in cycles.missing_reports(db, SYSTEM, D(2026, 11, 29))) == [world.a, world.b]


def test_stopped_cycles_and_closed_tasks_ask_for_nothing(db, world):
    office = actor(db, "bangong")
    cycle_id = cycles.add_cycle(db, office, world.plan, "monthly", day=28)
    db.conn.execute("UPDATE tasks SET status='已销号' WHERE id IN (?, ?)", [world.only_b, world.shared])
    assert {m.department_id for m in cycles.missing_reports(db, SYSTEM, TODAY)} == {world.a}  # 市卫健委 has nothing open
    cycles.set_active(db, office, cycle_id, False)
    assert cycles.missing_reports(db, SYSTEM, TODAY) == []


def test_a_meeting_cycle_takes_entered_dates_and_scheduled_joint_meetings(db, world):
    office = actor(db, "bangong")
    cycle_id = cycles.add_cycle(db, office, world.plan, "meeting", dates=[(D(2026, 12, 1), "年终会前")])
    assert {m.period_due for m in cycles.missing_reports(db, SYSTEM, TODAY)} == {D(2026, 12, 1)}
    meeting = db.conn.execute("INSERT INTO meetings (kind, title, date) VALUES ('联席会议', '第四季度联席会议', "
                              "'2026-11-25')").lastrowid
    db.conn.execute("INSERT INTO meeting_plans (meeting_id, plan_id) VALUES (?, ?)", [meeting, world.plan])
    assert {m.period_due for m in cycles.missing_reports(db, SYSTEM, TODAY)} == {D(2026, 11, 24)}
    labels = [p["period"].label for p in cycles.cycle_overview(db, office, cycle_id, TODAY, back=5)]
    assert labels == ["第四季度联席会议前"]  # the day before the meeting; nothing earlier is on record
    assert [p["period"].label for p in cycles.cycle_overview(db, office, cycle_id, D(2026, 11, 30))] == [
        "年终会前", "第四季度联席会议前"]
    cycles.add_meeting_date(db, office, cycle_id, D(2027, 3, 1), "一季度会前")
    assert len(cycles.list_cycles(db, office, world.plan)[0].dates) == 3


@pytest.mark.parametrize("kind, month, day, message", [
    ("weekly", None, 1, "周期类型"), ("monthly", None, 0, "报送日"), ("monthly", None, 32, "报送日"),
    ("quarterly", 4, 20, "季度内"), ("quarterly", None, 20, "季度内"),
])
def test_bad_cycles_are_refused(db, world, kind, month, day, message):
    with pytest.raises(InputError, match=message):
        cycles.add_cycle(db, actor(db, "bangong"), world.plan, kind, month=month, day=day)
    assert cycles.list_cycles(db, actor(db, "bangong")) == []


def test_each_step_is_audited(db, world):
    office = actor(db, "bangong")
    cycle_id = cycles.add_cycle(db, office, world.plan, "quarterly", month=1, day=20)
    cycles.set_active(db, office, cycle_id, False)
    actions = [r[0] for r in db.conn.execute("SELECT action FROM audit_log WHERE entity='report_cycle' ORDER BY id")]
    assert actions == ["设置填报周期", "停用填报周期"]


def test_the_demo_gets_a_cycle_per_plan_once(db, world):
    demo_cycles.seed(db, TODAY)
    demo_cycles.seed(db, TODAY)
    made = cycles.list_cycles(db, SYSTEM)
    assert {c.plan_id for c in made} == {world.plan, world.plan_bt}
    assert sum(1 for c in made if c.kind == "monthly") == 2 and len(made) == 4


def test_a_liaison_sees_its_own_outstanding_cycles(db, world):
    cycles.add_cycle(db, actor(db, "bangong"), world.plan, "monthly", day=28)
    due = cycles.due_for(db, actor(db, "zz-minzheng"), TODAY)
    assert [(d["rule"], d["due"]) for d in due] == [("每月28日前", D(2026, 11, 28))]
    assert cycles.due_for(db, actor(db, "bt-minzheng"), TODAY) == []


def test_the_cycles_page_adds_a_cycle_and_shows_who_has_reported(db, world, monkeypatch):
    from tests.support import app_as

    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    reports.file_report(db, actor(db, "zz-weijian"), world.only_b, "本月进展", 20, "推进中", TODAY)
    at = app_as(db, "bangong", "pages/cycles.py")
    assert not at.exception
    at.selectbox(key="cycle_plan").set_value(world.plan).run()
    at.radio(key="cycle_kind").set_value("monthly")
    at.number_input(key="cycle_day").set_value(28)
    at.button(key="cycle_submit").click().run()
    assert not at.exception
    assert any("已添加填报周期" in s.value for s in at.success)
    assert "**每月28日前**" in [m.value for m in at.markdown]
    assert any("2026年11月" in m.value and "已报送 **1** / 2" in m.value for m in at.markdown)
    current = at.dataframe[0].value
    assert dict(zip(current["单位"], current["报送情况"], strict=True)) == {"市民政局": "未报送",
                                                                     "市卫健委": "已报送"}


def test_a_meeting_cycle_from_the_page_takes_dated_lines(db, world, monkeypatch):
    from tests.support import app_as

    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    at = app_as(db, "bangong", "pages/cycles.py")
    at.selectbox(key="cycle_plan").set_value(world.plan).run()
    at.radio(key="cycle_kind").set_value("meeting")
    at.text_area(key="cycle_dates").input("2026-12-10 第四季度联席会议前\n2026-13-01 错误日期")
    at.button(key="cycle_submit").click().run()
    assert not at.exception
    assert any("日期格式不正确" in e.value for e in at.error)
    assert cycles.list_cycles(db, SYSTEM) == []
    at.text_area(key="cycle_dates").input("2026-12-10 第四季度联席会议前")
    at.button(key="cycle_submit").click().run()
    assert not at.exception
    assert any("第四季度联席会议前" in m.value for m in at.markdown)


def test_a_leader_reads_the_cycles_page_without_the_forms(db, world, monkeypatch):
    from tests.support import app_as

    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    cycles.add_cycle(db, actor(db, "bangong"), world.plan, "monthly", day=28)
    at = app_as(db, "lingdao", "pages/cycles.py")
    assert not at.exception
    at.selectbox(key="cycle_plan").set_value(world.plan).run()
    assert "**每月28日前**" in [m.value for m in at.markdown]
    assert not [b for b in at.button if b.key in ("cycle_submit",) or (b.key or "").startswith("cycle_toggle_")]
