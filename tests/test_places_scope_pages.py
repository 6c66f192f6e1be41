"""Every page, as the office of a place: nothing of a sibling place shows, and a lower place's work is read-only.

包头市's office opens each page of its menu and finds no 郑州市 (or 金水区, 二七区) plan, task, unit, meeting,
indicator or cycle in anything drawn: text, tables, and the options of every choice. 郑州市's office sees
金水区's task, but is offered nothing that changes it, and a change it asks for anyway is refused in Chinese.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from google.protobuf import text_format

from duban.access import SYSTEM
from duban.errors import AccessDenied
from duban.services import cycles, meetings, reports, review
from tests.place_world import actor, build_places
from tests.reports_world import TODAY
from tests.support import app_as

# what only 郑州市 and the places below it have: the places, their plans, tasks, units, meeting and indicator
ZHENGZHOU = ["郑州", "金水", "二七", "市卫健委", "区民政局", "各县(市)区政府", "建设社区嵌入式养老服务设施",
             "推进医养结合机构建设", "开展养老机构安全检查", "推进县区养老服务中心全覆盖", "新建街道综合养老服务中心",
             "养老服务体系建设实施方案", "中心城区养老床位数", "街道养老服务中心覆盖率", "养老工作推进会"]
OFFICE_PAGES = ["overview", "tasks", "review", "cycles", "indicators", "meetings", "assessment", "inbox",
                "import_plan", "reminders", "holidays", "accounts", "places", "liaison_import"]
LEADER_PAGES = ["overview", "tasks", "cycles", "indicators", "meetings", "assessment", "inbox"]

# pages whose leak lies in a service another part of the code owns (see each reason); they pass once it is scoped
@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    w = build_places(db)
    # 郑州's other work: a meeting, an indicator, a reporting cycle, and reports waiting for review
    meetings.create_meeting(db, SYSTEM, "联席会议", TODAY + dt.timedelta(days=10), [w.base.plan],
                            title="郑州市养老工作推进会")
    ind = db.conn.execute("INSERT INTO indicators (plan_id, name, target, target_year, nature) "
                          "VALUES (?, '中心城区养老床位数', '5000', 2026, '预期性')", [w.base.plan]).lastrowid
    db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id) VALUES (?, ?)", [ind, w.base.b])
    js_ind = db.conn.execute("INSERT INTO indicators (plan_id, name, target, target_year, nature) "
                             "VALUES (?, '街道养老服务中心覆盖率', '100%', 2026, '约束性')", [w.js_plan]).lastrowid
    db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id) VALUES (?, ?)", [js_ind, w.js_dept])
    cycles.add_cycle(db, SYSTEM, w.base.plan, "quarterly", month=3, day=25)
    cycles.add_cycle(db, SYSTEM, w.js_plan, "monthly", day=25)
    reports.file_report(db, actor(db, "zz-minzheng"), w.base.shared, "已建成三处", 60, "推进中", TODAY)
    reports.file_report(db, actor(db, "js-minzheng"), w.js_task, "已选址", 30, "推进中", TODAY)
    return w


def drawn_text(at) -> str:
    """Everything the page drew: each element's text and labels, every option offered, every table's cells."""
    out: list[str] = []

    def walk(node) -> None:
        value = getattr(node, "value", None) if getattr(node, "type", None) in ("dataframe", "table") else None
        if hasattr(value, "to_csv"):
            out.append(value.to_csv())
        elif getattr(node, "proto", None) is not None:
            out.append(text_format.MessageToString(node.proto, as_utf8=True))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def leaked(at) -> list[str]:
    text = drawn_text(at)
    return [mark for mark in ZHENGZHOU if mark in text]


def where(at) -> str:
    """Where the first leaked word sits in what the page drew (for a failing test's message)."""
    text = drawn_text(at)
    at_ = min(text.find(m) for m in leaked(at))
    return text[max(0, at_ - 300):at_ + 100]


def test_the_collector_sees_what_a_page_draws(db, world):
    """The check below can fail: the whole-database office's pages do show 郑州's work."""
    at = app_as(db, "bangong", "pages/tasks.py")
    assert not at.exception
    assert "建设社区嵌入式养老服务设施" in leaked(at) and "新建街道综合养老服务中心" in leaked(at)
    at = app_as(db, "bangong", "pages/meetings.py")
    assert "养老工作推进会" in leaked(at)


@pytest.mark.parametrize("page", OFFICE_PAGES)
def test_a_sibling_office_sees_nothing_of_zhengzhou(db, world, page):
    at = app_as(db, "bt-office", f"pages/{page}.py")
    assert not at.exception
    assert leaked(at) == [], where(at)


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_a_sibling_leader_sees_nothing_of_zhengzhou(db, world, page):
    at = app_as(db, "bt-leader", f"pages/{page}.py")
    assert not at.exception
    assert leaked(at) == [], where(at)


# ---- the office above: 郑州市 reads 金水区's work and changes none of it

def _open(db, username: str, page: str, **params: str):
    at = app_as(db, username, None)
    at.query_params.update(params)
    return at.switch_page(f"pages/{page}.py").run()


def _change_controls(at) -> list[str]:
    """The buttons, inputs and forms a page offers (the frame's 退出登录 aside)."""
    shown = [b.label for b in at.button if b.key != "logout"]
    for kind in ("text_input", "text_area", "number_input", "date_input", "file_uploader"):
        shown += [getattr(e, "label", kind) for e in getattr(at, kind, [])]
    return shown


def test_the_city_office_reads_the_district_task_with_nothing_to_change(db, world):
    at = _open(db, "zz-office", "tasks")
    assert not at.exception
    listed = next(d.value for d in at.dataframe if "任务" in d.value.columns)
    assert "新建街道综合养老服务中心" in list(listed["任务"])
    at = _open(db, "zz-office", "tasks", task=str(world.js_task))
    assert not at.exception
    assert "新建街道综合养老服务中心" in at.title[0].value
    assert "金水区" in drawn_text(at)
    assert _change_controls(at) == []


def test_the_district_task_is_not_even_seen_by_the_sibling_city(db, world):
    at = _open(db, "bt-office", "tasks", task=str(world.js_task))
    assert not at.exception
    assert "新建街道综合养老服务中心" not in drawn_text(at)
    assert any("其他地区" in e.value or "无权" in e.value for e in at.error)


def test_the_district_plan_cycles_are_read_only_above(db, world):
    at = app_as(db, "zz-office", "pages/cycles.py")
    at.selectbox(key="cycle_plan").set_value(world.js_plan).run()
    assert not at.exception
    assert "每月" in drawn_text(at)  # 金水区's own cycle is shown
    assert any("下级地区的规划" in c.value for c in at.caption)
    assert _change_controls(at) == [] and not at.get("form")
    at.selectbox(key="cycle_plan").set_value(world.base.plan).run()  # its own plan: the office changes it
    assert any(b.key == "cycle_submit" for b in at.button)


def test_a_district_report_is_listed_above_without_accept_or_return(db, world):
    pending = db.conn.execute("SELECT id FROM reports WHERE task_id=?", [world.js_task]).fetchone()[0]
    own = db.conn.execute("SELECT id FROM reports WHERE task_id=?", [world.base.shared]).fetchone()[0]
    at = app_as(db, "zz-office", "pages/review.py")
    assert not at.exception
    assert "新建街道综合养老服务中心" in drawn_text(at)  # read: the district's report is listed
    assert any("下级地区任务的报告,只能查看" in c.value for c in at.caption)
    keys = {b.key for b in at.button}
    assert f"accept_{pending}" not in keys and f"accept_{own}" in keys  # its own place's report it reviews


def test_accepting_a_district_report_above_is_refused(db, world):
    pending = db.conn.execute("SELECT id FROM reports WHERE task_id=?", [world.js_task]).fetchone()[0]
    with pytest.raises(AccessDenied, match="下级地区"):
        review.accept(db, actor(db, "zz-office"), pending, TODAY)
    assert db.conn.execute("SELECT review_state FROM reports WHERE id=?", [pending]).fetchone()[0] == "待审核"


def _indicator(db, name: str) -> int:
    return db.conn.execute("SELECT id FROM indicators WHERE name=?", [name]).fetchone()[0]


def test_a_district_indicator_is_read_only_above(db, world):
    at = app_as(db, "zz-office", "pages/indicators.py")
    at.selectbox(key="ind_pick").set_value(_indicator(db, "街道养老服务中心覆盖率")).run()
    assert not at.exception
    assert any("下级地区的指标,只能查看" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key not in ("logout",)] and not at.text_input
    at.selectbox(key="ind_pick").set_value(_indicator(db, "中心城区养老床位数")).run()  # its own: corrected here
    assert any(k.startswith("ind_fix_name_") for k in (t.key for t in at.text_input))


def test_a_new_meeting_covers_only_the_offices_own_plans(db, world):
    at = app_as(db, "zz-office", "pages/meetings.py")
    assert not at.exception
    assert at.multiselect(key="new_plans").options == ["郑州市 · 郑州市“一老一小”整体解决方案"]
    pack = at.selectbox(key="pack_scope").options  # the pack reads the district's plan too
    assert "金水区 · 金水区养老服务体系建设实施方案" in pack and not any("包头" in p for p in pack)


def test_liaisons_are_made_only_for_the_offices_own_place(db, world):
    at = app_as(db, "zz-office", "pages/liaison_import.py")
    assert not at.exception
    assert at.selectbox(key="liaison_place").options == ["郑州市"]
    at = app_as(db, "bangong", "pages/liaison_import.py")
    assert set(at.selectbox(key="liaison_place").options) == {"郑州市", "包头市", "金水区", "二七区"}


# ---- the menu each account gets

def _served(at) -> set[str]:
    """The page files the account's menu serves (the other addresses show a refusal instead)."""
    return {Path(str(info["script_path"])).stem for info in at._registered_pages.values() if info.get("script_path")}


def _open_address(at, url_path: str):
    """Open a page address as a typed link would (a page outside the menu has no file of its own to switch to)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    return at.run()


def test_the_system_administrator_gets_places_accounts_and_the_system_settings_and_no_plan_content(db, world):
    at = app_as(db, "xitong")
    assert not at.exception
    assert _served(at) == {"places", "accounts", "reminders", "holidays"}
    accounts = app_as(db, "xitong", "pages/accounts.py")  # every place's accounts, to give each its place
    assert not accounts.exception and all(name in drawn_text(accounts) for name in ("zz-office", "bt-office",
                                                                                   "js-minzheng"))
    assert "建设社区嵌入式养老服务设施" not in drawn_text(accounts)
    table = accounts.dataframe[0].value  # each office and leader named with its place
    assert table.loc[table["用户名"] == "js-office", "所属地区或部门"].item() == "金水区"
    assert table.loc[table["用户名"] == "zz-leader", "所属地区或部门"].item() == "郑州市(只读)"
    for address in ("overview", "tasks", "review", "meetings", "assessment", "indicators", "cycles"):
        _open_address(at, address)
        assert not at.exception
        assert any("无权查看" in x.value for x in at.warning), address
        assert not at.dataframe and "建设社区嵌入式养老服务设施" not in drawn_text(at)


def test_a_leader_of_a_place_gets_the_read_only_pages(db, world):
    at = app_as(db, "zz-leader")
    assert not at.exception
    assert _served(at) == set(LEADER_PAGES)
    for page in LEADER_PAGES:
        at = app_as(db, "zz-leader", f"pages/{page}.py")
        assert not at.exception
        # what a leader may press only reads: drafts to download, its own messages marked read
        assert {b.key for b in at.button} <= {"logout", "duty_build", "assess_duty", "inbox_mark_all"}, page


def test_a_new_account_is_given_only_the_offices_own_units(db, world):
    at = app_as(db, "bt-office", "pages/accounts.py")
    assert not at.exception
    assert at.multiselect(key="new_departments").options == ["包头市/市民政局"]
    at = app_as(db, "bangong", "pages/accounts.py")  # the whole database's office: every unit, as before
    assert "金水区/区民政局" in at.multiselect(key="new_departments").options
