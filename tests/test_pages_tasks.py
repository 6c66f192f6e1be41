"""任务: the filtered list behind 总览's numbers, one task in full, and a liaison kept to its own departments."""
from __future__ import annotations

import pytest

from duban.access import Actor
from duban.services import overview
from tests.conftest import DEMO_TODAY
from tests.reports_world import TODAY, build
from tests.support import app_as

PAGE = "pages/tasks.py"


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return build(db)


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())
    return demo_db


def open_page(db, username: str, **params: str):
    at = app_as(db, username, None)
    at.query_params.update(params)
    return at.switch_page(PAGE).run()


def frames(at) -> dict[str, object]:
    """The page's tables by their first column's name (read-only tables carry no key)."""
    return {d.value.columns[0]: d.value for d in at.dataframe}


def listed(at) -> list[str]:
    tables = [d for d in at.dataframe if (d.key or "").startswith("task_table")]
    return list(tables[0].value["任务"]) if tables else []


def test_the_office_lists_every_task_and_search_narrows_it(demo):
    at = open_page(demo, "bangong")
    assert not at.exception
    live = demo.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]
    assert len(listed(at)) == live
    assert f"共 {live} 项任务" in at.caption[0].value
    at.text_input(key="tl_q").input("托育").run()
    assert not at.exception
    found = listed(at)
    assert 0 < len(found) < live
    assert at.query_params["q"] == "托育"


def test_the_address_filters_the_list_like_the_overview_counts(demo):
    office = Actor(1, "bangong", "office")
    plan = demo.conn.execute("SELECT p.id FROM plans p JOIN jurisdictions j ON j.id=p.jurisdiction_id "
                             "WHERE j.name='随州市'").fetchone()[0]
    expected = overview.task_ids(demo, office, DEMO_TODAY, plan=plan, light="红")
    assert expected, "the demo has red tasks in 随州"
    at = open_page(demo, "bangong", plan=str(plan), light="红")
    assert not at.exception
    assert len(listed(at)) == len(expected)
    assert at.selectbox(key="tl_plan").value == plan
    assert at.selectbox(key="tl_light").value == "红"
    table = [d for d in at.dataframe if (d.key or "").startswith("task_table")][0].value
    assert set(table["灯色"]) == {"● 红灯"} and set(table["地区"]) == {"随州市"}


def test_a_link_from_the_overview_with_a_due_window_shows_its_condition(world, db):
    at = open_page(db, "bangong", due="overdue")
    assert not at.exception
    assert sorted(listed(at)) == sorted(["推进医养结合机构建设", "开展养老机构安全检查"])
    assert any("已逾期" in i.value for i in at.info)
    at.button(key="tl_clear_extra").click().run()
    assert not at.exception
    assert len(listed(at)) == 4


def test_picking_a_row_opens_the_task_in_full(world, db):
    at = open_page(db, "bangong")
    at.session_state["task_table_0"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "1 建设社区嵌入式养老服务设施"
    assert at.query_params["task"] == str(world.shared)

    # on the way back (返回任务列表, the sidebar or the browser's Back) the list shows, not the task again
    del at.query_params["task"]
    at.run()
    assert not at.exception
    assert at.title[0].value == "任务" and len(listed(at)) == 4


def test_a_task_shows_its_text_units_deadlines_and_history(world, db):
    at = open_page(db, "bangong", task=str(world.recurring))
    assert not at.exception
    assert at.title[0].value == "3 开展养老机构安全检查"
    assert any("具体要求见规划原文" in m.value for m in at.markdown)
    tables = frames(at)
    units = tables["单位"]
    assert list(units["单位"]) == ["市民政局"] and list(units["角色"]) == ["★ 牵头"]
    deadlines = tables["原文表述"]
    assert list(deadlines["原文表述"]) == ["年底前"]
    instances = tables["期次"]
    assert list(instances["截止日期"]) == ["2025年12月31日", "2026年12月31日"]
    assert list(instances["是否逾期"]) == ["已逾期", ""]
    assert "红灯" in " ".join(m.value for m in at.markdown)


def test_a_plan_task_shows_the_phrase_beside_the_computed_date(demo):
    row = demo.conn.execute("SELECT d.task_id, d.phrase, d.due FROM deadlines d JOIN tasks t ON t.id=d.task_id "
                            "WHERE d.kind='once' AND d.phrase IS NOT NULL ORDER BY d.id LIMIT 1").fetchone()
    at = open_page(demo, "lingdao", task=str(row[0]))
    assert not at.exception
    deadlines = frames(at)["原文表述"]
    y, m, d = (int(x) for x in row[2].split("-"))
    hit = deadlines[deadlines["原文表述"] == row[1]]
    assert list(hit["计算出的期限"]) == [f"{y}年{m}月{d}日"]


def test_a_liaison_lists_only_its_departments_tasks(world, db):
    at = open_page(db, "zz-weijian")
    assert not at.exception
    assert sorted(listed(at)) == sorted(["建设社区嵌入式养老服务设施", "推进医养结合机构建设"])


def test_a_liaison_cannot_open_another_departments_task(world, db):
    at = open_page(db, "zz-weijian", task=str(world.only_c))
    assert not at.exception
    assert any("无权" in e.value for e in at.error)
    assert not at.title
    assert not any("发展普惠托育服务" in m.value for m in at.markdown)
    # its own task opens
    at = open_page(db, "zz-weijian", task=str(world.only_b))
    assert not at.exception and at.title[0].value == "2 推进医养结合机构建设"


def test_a_bad_or_unknown_task_number_is_told_in_chinese(world, db):
    at = open_page(db, "bangong", task="abc")
    assert not at.exception
    assert any("任务编号不正确" in e.value for e in at.error)
    at = open_page(db, "bangong", task="9999")
    assert not at.exception
    assert any("不存在" in e.value for e in at.error)


def test_the_list_fits_a_1280_screen_and_more_columns_can_be_shown(demo):
    at = open_page(demo, "bangong")
    table = next(d for d in at.dataframe if (d.key or "").startswith("task_table"))
    assert list(table.proto.column_order) == ["任务", "地区", "牵头单位", "状态", "灯色", "下一期限", "逾期"]
    at.multiselect(key="tl_more_cols").set_value(["配合单位"]).run()
    assert not at.exception
    table = next(d for d in at.dataframe if (d.key or "").startswith("task_table"))
    assert list(table.proto.column_order)[-1] == "配合单位"
