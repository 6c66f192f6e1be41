"""地区: the system administrator sees the tree, adds, moves and renames places, and sets an account's place."""
from __future__ import annotations

import pytest

from duban.access import SYSTEM
from duban.services import places, users
from tests.reports_world import PASSWORD, actor, build
from tests.support import app_as

PAGE = "pages/places.py"


@pytest.fixture
def world(db):
    world = build(db)
    henan = places.add_place(db, SYSTEM, "河南省")
    zz = db.conn.execute("SELECT id FROM jurisdictions WHERE name='郑州市'").fetchone()[0]
    places.move_place(db, SYSTEM, zz, henan)
    return {"world": world, "河南省": henan, "郑州市": zz}


def _place(db, name):
    row = db.conn.execute("SELECT id, parent_id, name FROM jurisdictions WHERE name=?", [name]).fetchone()
    return dict(row) if row else None


def _table(at, column):
    """The page's table that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_tree_shows_places_by_level(db, world):
    at = app_as(db, "bangong", PAGE)
    assert not at.exception
    table = _table(at, "级别")
    assert list(table["地区"]) == ["包头市", "河南省", "　郑州市"]
    assert list(table["级别"]) == ["未定", "省", "未定"]


def test_adding_a_place_under_a_parent(db, world):
    at = app_as(db, "bangong", PAGE)
    at.text_input(key="add_name").input("金水区")
    at.selectbox(key="add_parent").set_value(world["郑州市"])
    at.button(key="add_submit").click().run()
    assert any("请先勾选“确认新增”" in w.value for w in at.warning) and _place(db, "金水区") is None
    at.checkbox(key="add_confirm").check()
    at.button(key="add_submit").click().run()
    assert not at.exception
    assert any("已新增地区:金水区" in s.value for s in at.success)
    assert _place(db, "金水区")["parent_id"] == world["郑州市"]
    assert "　　金水区" in list(_table(at, "级别")["地区"])


def test_a_duplicate_name_is_refused_in_chinese(db, world):
    at = app_as(db, "bangong", PAGE)
    at.text_input(key="add_name").input("郑州市")
    at.selectbox(key="add_parent").set_value(world["河南省"])
    at.checkbox(key="add_confirm").check()
    at.button(key="add_submit").click().run()
    assert not at.exception
    assert any("“河南省”下已有名为“郑州市”的地区" in e.value for e in at.error)


def test_moving_needs_confirmation_and_refuses_a_cycle(db, world):
    at = app_as(db, "bangong", PAGE)
    at.selectbox(key="edit_place").set_value(world["河南省"]).run()
    at.selectbox(key="move_parent").set_value(world["郑州市"])
    at.button(key="move_submit").click().run()
    assert any("请先勾选“确认移动”" in w.value for w in at.warning)
    assert _place(db, "河南省")["parent_id"] is None
    at.checkbox(key="move_confirm").check()
    at.button(key="move_submit").click().run()
    assert not at.exception
    assert any("这会形成循环" in e.value for e in at.error)
    assert _place(db, "河南省")["parent_id"] is None


def test_moving_to_the_top_and_renaming(db, world):
    at = app_as(db, "bangong", PAGE)
    at.selectbox(key="edit_place").set_value(world["郑州市"]).run()
    at.selectbox(key="move_parent").set_value(None)
    at.checkbox(key="move_confirm").check()
    at.button(key="move_submit").click().run()
    assert not at.exception and _place(db, "郑州市")["parent_id"] is None
    at.selectbox(key="edit_place").set_value(world["郑州市"]).run()
    at.text_input(key="rename_name").input("郑州")
    at.checkbox(key="rename_confirm").check()
    at.button(key="rename_submit").click().run()
    assert not at.exception
    assert any("已把郑州市改名为郑州" in s.value for s in at.success)
    assert _place(db, "郑州")["id"] == world["郑州市"]


def test_setting_an_account_place(db, world):
    at = app_as(db, "bangong", PAGE)
    lingdao = actor(db, "lingdao")
    at.selectbox(key="account_user").set_value(lingdao.user_id)
    at.selectbox(key="account_place").set_value(world["郑州市"])
    at.button(key="account_submit").click().run()
    assert not at.exception
    assert any("已设置账号 lingdao 的所属地区:郑州市" in s.value for s in at.success)
    table = _table(at, "用户名")
    assert table.loc[table["用户名"] == "lingdao", "所属地区"].item() == "郑州市"
    assert table.loc[table["用户名"] == "bangong", "所属地区"].item() == "全部(未设置)"
    assert places.actor_place(db, lingdao) == world["郑州市"]


def test_a_sysadmin_account_gets_the_page_and_an_office_with_a_place_does_not(db, world):
    users.create_user(db, SYSTEM, "admin", PASSWORD, "sysadmin")
    at = app_as(db, "admin")
    assert not at.exception
    assert at.title[0].value == "地区管理"  # the sysadmin's start page
    users.create_user(db, SYSTEM, "zz-office", PASSWORD, "office")
    places.set_account_place(db, SYSTEM, actor(db, "zz-office").user_id, world["郑州市"])
    at = app_as(db, "zz-office", PAGE)
    assert not at.exception
    assert any("只有系统管理员" in e.value for e in at.error)
    assert not at.dataframe

