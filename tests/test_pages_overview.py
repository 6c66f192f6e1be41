"""总览 as the office and leaders use it: counts by light, status, plan, department and month; filters; links."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from duban.access import Actor
from duban.errors import InputError
from duban.services import overview, tasks
from tests.conftest import DEMO_TODAY
from tests.reports_world import TODAY, build
from tests.support import app_as

PAGE = "pages/overview.py"


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())
    return demo_db


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return build(db)


def metrics(at) -> dict[str, int]:
    """Metric label (without the coloured dot) -> value."""
    return {m.label.split("] ")[-1]: int(m.value) for m in at.metric}


def link_query(at, label_start: str) -> dict[str, str]:
    links = [p for p in at.get("page_link") if p.proto.label.startswith(label_start)]
    assert links, f"no link {label_start}"
    return {k: v[0] for k, v in parse_qs(links[0].proto.query_string).items()}


def office(db) -> Actor:
    row = db.conn.execute("SELECT id FROM users WHERE username='bangong'").fetchone()
    return Actor(row[0], "bangong", "office")


def test_the_office_sees_every_task_counted_by_light_and_status(demo):
    at = app_as(demo, "bangong", PAGE)
    assert not at.exception
    live = demo.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]
    shown = metrics(at)
    assert shown["任务总数"] == live
    assert shown["红灯"] + shown["黄灯"] + shown["绿灯"] == live
    assert sum(shown[s] for s in ("未开始", "推进中", "已完成(待审核)", "已销号", "需协调")) == live
    for status, n in demo.conn.execute("SELECT status, count(*) FROM tasks WHERE removed=0 GROUP BY status"):
        assert shown[status] == n
    assert shown["红灯"] > 0, "the demo has overdue tasks"
    labels = " ".join(p.proto.label for p in at.get("page_link"))
    for place in ("钦州市", "随州市", "巫溪县", "郑州市", "包头市"):
        assert place in labels


def test_the_lights_agree_with_the_task_list(demo):
    actor = office(demo)
    listed = tasks.list_tasks(demo, actor, DEMO_TODAY)
    for light in ("红", "黄", "绿"):
        assert set(overview.task_ids(demo, actor, DEMO_TODAY, light=light)) == {
            r.id for r in listed if r.light == light}
    assert set(overview.task_ids(demo, actor, DEMO_TODAY, due="overdue")) == {r.id for r in listed if r.overdue}


def test_a_jurisdiction_filter_changes_the_counts(demo):
    at = app_as(demo, "bangong", PAGE)
    before = metrics(at)
    baotou = demo.conn.execute("SELECT id FROM jurisdictions WHERE name='包头市'").fetchone()[0]
    at.selectbox(key="ov_jurisdiction").set_value(baotou).run()
    assert not at.exception
    after = metrics(at)
    # plan tasks of 包头, and tasks from meetings or instructions whose lead unit is a 包头 department
    expected = sum(1 for r in tasks.list_tasks(demo, office(demo), DEMO_TODAY) if r.jurisdiction == "包头市")
    assert after["任务总数"] == expected < before["任务总数"]
    assert at.query_params["jurisdiction"] == str(baotou)
    # the links now carry the filter, so the task list shows the same tasks
    assert link_query(at, "查看红灯任务") == {"jurisdiction": str(baotou), "light": "红"}


def test_every_number_opens_the_same_tasks_on_the_task_list(world, db):
    at = app_as(db, "bangong", PAGE)
    shown = metrics(at)
    assert (shown["任务总数"], shown["红灯"], shown["黄灯"], shown["绿灯"]) == (4, 2, 2, 0)
    assert (shown["已逾期任务"], shown["90 天内到期"]) == (2, 3)
    for label, name in (("查看红灯任务", "红灯"), ("查看黄灯任务", "黄灯"), ("查看逾期任务", "已逾期任务")):
        params = link_query(at, label)
        listing = app_as(db, "bangong", None)
        listing.query_params.update(params)
        listing.switch_page("pages/tasks.py").run()
        assert not listing.exception
        assert f"共 {shown[name]} 项任务" in listing.caption[0].value


def test_picking_an_overdue_row_opens_that_task(world, db):
    at = app_as(db, "bangong", PAGE)
    at.session_state["ov_due_overdue"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    first = db.conn.execute("SELECT t.title FROM instances i JOIN tasks t ON t.id=i.task_id "
                            "WHERE i.state='open' AND i.due < ? ORDER BY i.due LIMIT 1", [TODAY.isoformat()]).fetchone()[0]
    assert first in [t.value for t in at.title][0]


def test_a_leader_sees_the_overview_and_a_liaison_only_its_own_tasks(demo):
    at = app_as(demo, "lingdao", PAGE)
    assert not at.exception
    assert metrics(at)["任务总数"] > 0
    row = demo.conn.execute("SELECT id FROM users WHERE username='zz-minzheng'").fetchone()[0]
    deps = frozenset(r[0] for r in demo.conn.execute("SELECT department_id FROM user_departments WHERE user_id=?", [row]))
    liaison = Actor(row, "zz-minzheng", "liaison", deps)
    mine = overview.overview(demo, liaison, DEMO_TODAY)
    own = demo.conn.execute(
        f"SELECT count(DISTINCT t.id) FROM tasks t JOIN task_units u ON u.task_id=t.id WHERE t.removed=0 "
        f"AND u.department_id IN ({','.join('?' * len(deps))})", list(deps)).fetchone()[0]
    assert mine["total"] == own < overview.overview(demo, office(demo), DEMO_TODAY)["total"]
    assert {d["department_id"] for d in mine["by_department"]} >= set(deps)


def test_the_dashboard_figures_add_up(world, db):
    data = overview.overview(db, office(db), TODAY)
    assert data["by_light"] == {"红": 2, "黄": 2, "绿": 0}
    assert sum(p["total"] for p in data["by_plan"]) == 4
    lead = {d["label"]: d["lead"] for d in data["by_department"]}
    assert lead == {"郑州市 · 市民政局": 2, "郑州市 · 市卫健委": 1, "包头市 · 市民政局": 1}
    months = {m["month"]: m for m in data["by_month"]}
    assert months["2025-12"]["overdue"] == 1 and months["2026-06"]["overdue"] == 1
    assert months["2026-12"]["pending"] == 3
    assert [i["due"] for i in data["due"]["overdue"]["items"]] == ["2025-12-31", "2026-06-30"]
    assert data["due"]["90"]["count"] == 3 and data["due"]["30"]["count"] == 0
    # filtered: the same figures for one department, with its role
    zz_b = db.conn.execute("SELECT d.id FROM departments d JOIN jurisdictions j ON j.id=d.jurisdiction_id "
                           "WHERE d.name='市卫健委' AND j.name='郑州市'").fetchone()[0]
    part = overview.overview(db, office(db), TODAY, department=zz_b, role="co")
    assert part["total"] == 1 and part["by_light"]["黄"] == 1


def test_a_closed_task_is_green_and_never_overdue(world, db):
    db.conn.execute("UPDATE tasks SET status='已销号' WHERE id=?", [world.only_b])
    data = overview.overview(db, office(db), TODAY)
    assert data["by_light"] == {"红": 1, "黄": 2, "绿": 1}
    assert [i["task_id"] for i in data["due"]["overdue"]["items"]] == [world.recurring]
    assert overview.task_ids(db, office(db), TODAY, due="overdue") == [world.recurring]


def test_bad_filters_are_refused_in_chinese(world, db):
    with pytest.raises(InputError, match="灯色"):
        overview.overview(db, office(db), TODAY, light="紫")
    with pytest.raises(InputError, match="月份"):
        overview.task_ids(db, office(db), TODAY, month="2026-13")


def test_a_bad_address_does_not_break_the_page(world, db):
    at = app_as(db, "bangong", None)
    at.query_params.update({"light": "紫", "plan": "abc"})
    at.switch_page(PAGE).run()
    assert not at.exception
    assert metrics(at)["任务总数"] == 4


def test_the_month_filter_finds_the_tasks_due_that_month(world, db):
    ids = overview.task_ids(db, office(db), TODAY, month="2026-06")
    assert ids == [world.only_b]
    assert overview.task_ids(db, office(db), dt.date(2026, 6, 1), due="30") == [world.only_b]


def test_a_task_a_revision_removed_no_longer_counts(world, db):
    db.conn.execute("UPDATE tasks SET removed=1 WHERE id=?", [world.only_b])
    data = overview.overview(db, office(db), TODAY)
    assert data["total"] == 3 and data["by_light"]["红"] == 1
    assert "2026-06" not in {m["month"] for m in data["by_month"]}
    assert data["due"]["overdue"]["count"] == 1
    lead = {d["label"]: d["lead"] for d in data["by_department"]}
    assert "郑州市 · 市卫健委" not in lead or lead["郑州市 · 市卫健委"] == 0
