"""Dispatch (下达): 郑州's task for 各县(市)区政府 goes to 金水区 and 二七区 as tasks of their own offices, each
accepted and broken down there, and the roll-up on 郑州's task follows each district's own reviews."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.errors import AccessDenied, InputError
from duban.services import dispatch, reports, review, tasks
from tests.place_world import actor, build_places
from tests.reports_world import TODAY


@pytest.fixture
def world(db):
    return build_places(db)


def _children(db, world, today=TODAY):
    ids = dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, today=today)
    by_place = {r.place: r.task_id for r in dispatch.rollup(db, actor(db, "zz-office"), world.group_task, today)}
    return ids, by_place


def test_targets_are_the_districts_below_the_city_for_its_county_group(db, world):
    found = dispatch.targets(db, actor(db, "zz-office"), world.group_task)
    assert sorted(t.name for t in found) == ["二七区", "金水区"]
    assert all(t.level == "county" and not t.dispatched for t in found)
    # a task without a group of lower places goes nowhere
    assert dispatch.targets(db, actor(db, "zz-office"), world.base.shared) == []


def test_dispatch_creates_one_task_per_district_with_the_parents_deadlines(db, world):
    ids, by_place = _children(db, world)
    assert sorted(by_place) == ["二七区", "金水区"] and sorted(ids) == sorted(by_place.values())
    for place, place_id in (("金水区", world.js), ("二七区", world.eq)):
        child = tasks.get_task(db, actor(db, "zz-office"), by_place[place], TODAY)
        assert child.title == "推进县区养老服务中心全覆盖" and child.source == "上级交办"
        assert "郑州市" in child.source_note and child.parent_task_id == world.group_task
        assert child.jurisdiction_id == place_id and child.dispatch_state == "待接收"
        assert child.lead == (f"{place}人民政府",)
        assert [i.due for i in child.instances] == ["2026-12-31"]
        assert [d.phrase for d in child.deadlines] == ["年底前"]
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='下达任务' AND entity_id=?",
                           [world.group_task]).fetchone()[0] == 1
    # the district's office finds it waiting in its inbox
    waiting = dispatch.received(db, actor(db, "js-office"), TODAY)
    assert [t.id for t in waiting] == [by_place["金水区"]]


def test_a_second_dispatch_adds_no_second_task(db, world):
    _children(db, world)
    assert dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, today=TODAY) == []
    count = db.conn.execute("SELECT count(*) FROM tasks WHERE parent_task_id=?", [world.group_task]).fetchone()[0]
    assert count == 2
    assert all(t.dispatched for t in dispatch.targets(db, actor(db, "zz-office"), world.group_task))


def test_dispatch_to_one_chosen_district_only(db, world):
    ids = dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, place_ids=[world.js], today=TODAY)
    assert len(ids) == 1
    with pytest.raises(InputError):
        dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, place_ids=[world.bt], today=TODAY)
    # the rest follows later
    assert len(dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, today=TODAY)) == 1


@pytest.mark.parametrize("username", ["bt-office", "js-office", "zz-leader", "zz-minzheng"])
def test_only_the_city_office_dispatches_its_task(db, world, username):
    with pytest.raises(AccessDenied):
        dispatch.dispatch(db, actor(db, username), world.group_task, today=TODAY)
    assert db.conn.execute("SELECT count(*) FROM tasks WHERE parent_task_id IS NOT NULL").fetchone()[0] == 0


def test_the_district_office_accepts_and_breaks_down_its_task(db, world):
    _, by_place = _children(db, world)
    js = actor(db, "js-office")
    child = by_place["金水区"]
    dispatch.accept(db, js, child, units=[(world.js_dept, "lead")])
    got = tasks.get_task(db, js, child, TODAY)
    assert got.dispatch_state == "已接收" and got.lead == ("区民政局",)
    assert dispatch.received(db, js, TODAY) == []
    part = dispatch.break_down(db, js, child, "新建金水区街道养老服务中心", [(world.js_dept, "lead")],
                               today=TODAY)
    shown = tasks.get_task(db, js, part, TODAY)
    assert shown.parent_task_id == child and shown.jurisdiction_id == world.js
    assert [i.due for i in shown.instances] == ["2026-12-31"]
    assert [t.id for t in dispatch.parts(db, js, child, TODAY)] == [part]
    # a break-down stays the district's own: it is no place of the city's roll-up
    assert sorted(r.place for r in dispatch.rollup(db, actor(db, "zz-office"), world.group_task, TODAY)) == \
        ["二七区", "金水区"]
    # units of another place are refused
    with pytest.raises(InputError):
        dispatch.break_down(db, js, child, "分解", [(world.eq_dept, "lead")], today=TODAY)


def test_another_district_cannot_accept_or_break_down_jinshuis_task(db, world):
    _, by_place = _children(db, world)
    eq = actor(db, "eq-office")
    with pytest.raises(AccessDenied):
        dispatch.accept(db, eq, by_place["金水区"])
    with pytest.raises(AccessDenied):
        dispatch.break_down(db, eq, by_place["金水区"], "分解", [(world.eq_dept, "lead")], today=TODAY)
    state = db.conn.execute("SELECT dispatch_state FROM tasks WHERE id=?", [by_place["金水区"]]).fetchone()[0]
    assert state == "待接收"


def test_the_city_office_only_reads_the_districts_task(db, world):
    _, by_place = _children(db, world)
    zz = actor(db, "zz-office")
    child = by_place["金水区"]
    assert tasks.can_see(db, zz, child)
    with pytest.raises(AccessDenied):
        dispatch.accept(db, zz, child)
    with pytest.raises(AccessDenied):
        dispatch.break_down(db, zz, child, "分解", [(world.js_dept, "lead")], today=TODAY)
    with pytest.raises(AccessDenied):
        reports.file_report(db, zz, child, "代为报告", 100, "已完成", TODAY)
    report = reports.file_report(db, actor(db, "js-office"), child, "已建成", 100, "已完成", TODAY)
    with pytest.raises(AccessDenied):
        review.accept(db, zz, report, TODAY)
    assert db.conn.execute("SELECT status FROM tasks WHERE id=?", [child]).fetchone()[0] == "已完成(待审核)"
    seen = dispatch.view(db, zz, child, TODAY)
    assert seen.read_only and not seen.can_accept and not seen.can_break_down and not seen.can_dispatch
    assert db.conn.execute("SELECT dispatch_state FROM tasks WHERE id=?", [child]).fetchone()[0] == "待接收"


def test_the_rollup_follows_the_districts_own_review(db, world):
    _, by_place = _children(db, world)
    js = actor(db, "js-office")
    child = by_place["金水区"]
    dispatch.accept(db, js, child)
    report = reports.file_report(db, js, child, "全区养老服务中心已建成", 100, "已完成", TODAY)
    zz = actor(db, "zz-office")
    pending = {r.place: r for r in dispatch.rollup(db, zz, world.group_task, TODAY)}
    assert pending["金水区"].status == "已完成(待审核)" and not pending["金水区"].done
    assert review.accept(db, js, report, TODAY) == "已销号"
    rows = {r.place: r for r in dispatch.rollup(db, zz, world.group_task, TODAY)}
    assert rows["金水区"].done and rows["金水区"].status == "已销号" and rows["金水区"].progress == 100
    assert rows["金水区"].light == "绿" and rows["金水区"].dispatch_state == "已接收"
    assert not rows["二七区"].done and rows["二七区"].dispatch_state == "待接收"
    assert dispatch.summary(rows.values()).done == 1 and dispatch.summary(rows.values()).total == 2
    # past the deadline 二七区 is late, 金水区 (closed) is not
    later = dt.date(2027, 1, 5)
    late = {r.place: r for r in dispatch.rollup(db, zz, world.group_task, later)}
    assert late["二七区"].late and late["二七区"].light == "红" and not late["金水区"].late
    assert dispatch.summary(late.values()).late_places == ("二七区",)


def test_the_rollup_is_read_by_whoever_sees_the_city_task_and_by_no_sibling(db, world):
    _children(db, world)
    assert len(dispatch.rollup(db, actor(db, "zz-leader"), world.group_task, TODAY)) == 2
    # 市民政局's liaison answers for the city task (co) and reads its roll-up, not the districts' own tasks
    liaison = actor(db, "zz-minzheng")
    assert [r.place for r in dispatch.rollup(db, liaison, world.group_task, TODAY)] == ["二七区", "金水区"]
    assert not tasks.can_see(db, liaison, dispatch.rollup(db, liaison, world.group_task, TODAY)[0].task_id)
    with pytest.raises(AccessDenied):
        dispatch.accept(db, actor(db, "js-leader"), dispatch.rollup(db, liaison, world.group_task, TODAY)[1].task_id)
    with pytest.raises(AccessDenied):
        dispatch.rollup(db, actor(db, "bt-office"), world.group_task, TODAY)
    with pytest.raises(AccessDenied):
        dispatch.rollup(db, actor(db, "js-office"), world.group_task, TODAY)


def test_the_districts_task_names_the_city_task_it_came_from(db, world):
    _, by_place = _children(db, world)
    up = dispatch.upper(db, actor(db, "js-office"), by_place["金水区"])
    assert up.task_id == world.group_task and up.place == "郑州市" and not up.visible
    assert dispatch.upper(db, actor(db, "zz-office"), by_place["金水区"]).visible


def test_the_city_office_assigns_a_task_to_a_district_by_hand(db, world):
    zz = actor(db, "zz-office")
    tid = dispatch.assign_down(db, zz, world.eq, "排查二七区养老机构消防隐患",
                               [{"kind": "once", "due": "2026-12-15"}], today=TODAY)
    eq = actor(db, "eq-office")
    got = tasks.get_task(db, eq, tid, TODAY)
    assert got.dispatch_state == "待接收" and got.parent_task_id is None and got.source == "上级交办"
    assert got.lead == ("二七区人民政府",) and [i.due for i in got.instances] == ["2026-12-15"]
    assert [t.id for t in dispatch.received(db, eq, TODAY)] == [tid]
    for username, place in (("js-office", world.eq), ("zz-office", world.zz), ("zz-office", world.bt),
                            ("zz-leader", world.eq)):
        with pytest.raises(AccessDenied):
            dispatch.assign_down(db, actor(db, username), place, "交办", [{"kind": "once", "due": "2026-12-15"}],
                                 today=TODAY)
    with pytest.raises(InputError):
        dispatch.assign_down(db, zz, world.eq, "没有时限", [], today=TODAY)


def test_the_command_dispatches_and_says_where(db, db_path, world, capsys):
    from duban.cli import main

    assert main(["dispatch", str(world.group_task), "--place", "金水区", "--user", "zz-office",
                 "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "金水区" in out and "已下达" in out and "二七区" not in out
    assert main(["dispatch", str(world.group_task), "--user", "zz-office"]) == 0
    out = capsys.readouterr().out
    assert "此前已下达" in out and "新下达 1 个地区" in out
    assert main(["dispatch", str(world.group_task), "--user", "bt-office"]) == 2
    assert "无权" in capsys.readouterr().err
    assert db.conn.execute("SELECT count(*) FROM tasks WHERE parent_task_id=?", [world.group_task]).fetchone()[0] == 2


# ---- the 任务 page

def _page(db, username, monkeypatch, **params):
    from tests.support import app_as

    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    at = app_as(db, username, None)
    at.query_params.update({k: str(v) for k, v in params.items()})
    return at.switch_page("pages/tasks.py").run()


def _texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def test_the_city_office_dispatches_from_the_task_page_after_confirming(db, world, monkeypatch):
    at = _page(db, "zz-office", monkeypatch, task=world.group_task)
    assert "下达到下级地区" in _texts(at)
    assert db.conn.execute("SELECT count(*) FROM tasks WHERE parent_task_id IS NOT NULL").fetchone()[0] == 0
    at.button(key="dispatch_confirm").click().run()
    assert db.conn.execute("SELECT count(*) FROM tasks WHERE parent_task_id=?", [world.group_task]).fetchone()[0] == 2
    shown = {d.value.columns[0]: d.value for d in at.dataframe}
    assert sorted(shown["地区"]["地区"]) == ["二七区", "金水区"]
    assert "下级地区进展" in _texts(at)


def test_the_district_office_accepts_on_the_page_and_the_city_office_only_reads(db, world, monkeypatch):
    _, by_place = _children(db, world)
    child = by_place["金水区"]
    listing = _page(db, "js-office", monkeypatch)
    assert "待接收任务(1)" in _texts(listing)
    at = _page(db, "js-office", monkeypatch, task=child)
    assert "上级任务" in _texts(at)
    at.button(key="accept_button").click().run()
    assert db.conn.execute("SELECT dispatch_state FROM tasks WHERE id=?", [child]).fetchone()[0] == "已接收"
    upper = _page(db, "zz-office", monkeypatch, task=child)
    assert "只能查看" in _texts(upper)
    keys = {b.key for b in upper.button}
    assert not keys & {"accept_button", "dispatch_confirm"} and "report_submit" not in keys
    assert not [f for f in upper.get("form")]


def test_the_district_office_breaks_its_task_down_on_the_page(db, world, monkeypatch):
    _, by_place = _children(db, world)
    child = by_place["金水区"]
    at = _page(db, "js-office", monkeypatch, task=child)
    at.text_input(key="bd_title").input("金水区街道养老服务中心建设")
    at.multiselect(key="bd_lead").select(world.js_dept)
    at.date_input(key="bd_due").set_value(dt.date(2026, 12, 20))
    next(b for b in at.button if b.label == "分解任务").click()
    at.run()
    part = db.conn.execute("SELECT id, title, jurisdiction_id FROM tasks WHERE parent_task_id=?", [child]).fetchone()
    assert part is not None and part[1] == "金水区街道养老服务中心建设" and part[2] == world.js
    assert db.conn.execute("SELECT due FROM instances WHERE task_id=?", [part[0]]).fetchone()[0] == "2026-12-20"
    assert db.conn.execute("SELECT dispatch_state FROM tasks WHERE id=?", [child]).fetchone()[0] == "已接收"
    assert "分解的任务" in _texts(at)


def test_targets_of_unknown_level_are_offered_and_a_township_group_goes_through_the_districts(db, world):
    from duban.access import SYSTEM
    from duban.services import places

    zone = places.add_place(db, SYSTEM, "郑东新区管委会", world.zz)
    assert sorted(t.name for t in dispatch.targets(db, actor(db, "zz-office"), world.group_task)) == \
        ["二七区", "郑东新区管委会", "金水区"]
    places.add_place(db, SYSTEM, "丰产路街道", world.js)
    township = db.conn.execute("INSERT INTO departments (name, jurisdiction_id) VALUES ('各乡镇(街道)', ?)",
                               [world.js]).lastrowid
    db.conn.execute("UPDATE task_units SET department_id=? WHERE task_id=? AND role='lead'", [township, world.js_task])
    assert [t.name for t in dispatch.targets(db, actor(db, "js-office"), world.js_task)] == ["丰产路街道"]
    # a city task for the townships goes to its districts, whose offices pass it on
    db.conn.execute("UPDATE departments SET jurisdiction_id=? WHERE id=?", [world.zz, township])
    db.conn.execute("UPDATE task_units SET department_id=? WHERE task_id=? AND role='lead'",
                    [township, world.group_task])
    assert zone and sorted(t.name for t in dispatch.targets(db, actor(db, "zz-office"), world.group_task)) == \
        ["二七区", "郑东新区管委会", "金水区"]


def test_the_city_office_assigns_on_the_task_list(db, world, monkeypatch):
    at = _page(db, "zz-office", monkeypatch)
    at.selectbox(key="ad_place").set_value(world.js)
    at.text_input(key="ad_title").input("开展金水区养老机构服务质量检查")
    at.date_input(key="ad_due").set_value(dt.date(2026, 12, 10))
    next(b for b in at.button if b.label == "交办").click()
    at.run()
    row = db.conn.execute("SELECT id, jurisdiction_id, dispatch_state, source FROM tasks WHERE title=?",
                          ["开展金水区养老机构服务质量检查"]).fetchone()
    assert row is not None and tuple(row)[1:] == (world.js, "待接收", "上级交办")
    listing = _page(db, "js-office", monkeypatch)
    assert "待接收任务(1)" in _texts(listing)
    # a district office has no place below it to assign to; the whole-database office's list is as before
    assert "向下级地区交办任务" not in [e.label for e in _page(db, "eq-office", monkeypatch).expander]
    assert "向下级地区交办任务" not in [e.label for e in _page(db, "bangong", monkeypatch).expander]


def test_a_received_yearly_task_starts_from_the_day_it_is_dispatched_not_late_for_years_before(db, world):
    # the city's task falls due every year; the 2025 instance is long past when it reaches the districts
    db.conn.execute("INSERT INTO instances (deadline_id, task_id, due, period_label) SELECT id, task_id, "
                    "'2025-12-31', '2025年' FROM deadlines WHERE task_id=?", [world.group_task])
    _, by_place = _children(db, world)
    child = tasks.get_task(db, actor(db, "js-office"), by_place["金水区"], TODAY)
    assert [i.due for i in child.instances] == ["2026-12-31"] and not child.overdue
    assert dispatch.summary(dispatch.rollup(db, actor(db, "zz-office"), world.group_task, TODAY)).late_places == ()


def test_a_task_dispatched_after_its_last_deadline_keeps_that_deadline_overdue(db, world):
    late = TODAY.replace(year=2027)
    _, by_place = _children(db, world, today=late)
    child = tasks.get_task(db, actor(db, "js-office"), by_place["金水区"], late)
    assert [i.due for i in child.instances] == ["2026-12-31"] and child.overdue
