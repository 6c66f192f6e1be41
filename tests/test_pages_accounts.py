"""账号: the office adds an account, resets a password and disables an account through the page."""
from __future__ import annotations

import pytest

from duban.services import users
from tests.reports_world import build
from tests.support import app_as

PAGE = "pages/accounts.py"


@pytest.fixture
def world(db):
    return build(db)


def test_the_list_shows_roles_and_departments_but_no_hashes(db, world):
    at = app_as(db, "bangong", PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["用户名"]) == ["bangong", "lingdao", "bt-minzheng", "zz-minzheng", "zz-weijian"]
    assert table.loc[table["用户名"] == "zz-weijian", "所属地区或部门"].item() == "郑州市/市卫健委"
    assert table.loc[table["用户名"] == "lingdao", "所属地区或部门"].item() == "全部地区(只读)"
    assert "argon2" not in table.to_csv()


def test_adding_a_liaison(db, world):
    at = app_as(db, "bangong", PAGE)
    at.text_input(key="new_username").input("zz-weijian2")
    at.selectbox(key="new_role").set_value("liaison")
    at.multiselect(key="new_departments").select(world.b)
    at.text_input(key="new_password").input("first-pass-9")
    at.text_input(key="new_password2").input("first-pass-9")
    at.button(key="new_submit").click().run()
    assert not at.exception
    assert any("已创建账号 zz-weijian2" in s.value for s in at.success)
    actor = users.authenticate(db, "zz-weijian2", "first-pass-9")
    assert actor.role == "liaison" and actor.department_ids == {world.b}


def test_a_liaison_without_a_department_is_refused(db, world):
    at = app_as(db, "bangong", PAGE)
    at.text_input(key="new_username").input("nobody")
    at.selectbox(key="new_role").set_value("liaison")
    at.text_input(key="new_password").input("first-pass-9")
    at.text_input(key="new_password2").input("first-pass-9")
    at.button(key="new_submit").click().run()
    assert not at.exception
    assert any("至少要关联一个部门" in e.value for e in at.error)
    assert users.authenticate(db, "nobody", "first-pass-9") is None


def test_resetting_a_password_and_disabling_an_account(db, world):
    at = app_as(db, "bangong", PAGE)
    at.selectbox(key="reset_username").set_value("zz-minzheng")
    at.text_input(key="reset_password").input("reset-pass-77")
    at.text_input(key="reset_password2").input("reset-pass-77")
    at.button(key="reset_submit").click().run()
    assert not at.exception
    assert users.authenticate(db, "zz-minzheng", "reset-pass-77") is not None
    at.selectbox(key="state_username").set_value("zz-minzheng").run()
    at.button(key="state_submit").click().run()
    assert not at.exception
    assert users.authenticate(db, "zz-minzheng", "reset-pass-77") is None
    table = at.dataframe[0].value
    assert table.loc[table["用户名"] == "zz-minzheng", "状态"].item() == "已停用"


def test_the_idle_timeout_is_set_here(db, world, monkeypatch):
    monkeypatch.delenv("DUBAN_SESSION_MINUTES", raising=False)
    at = app_as(db, "bangong", PAGE)
    at.number_input(key="session_minutes").set_value(15)
    at.button(key="session_submit").click().run()
    assert not at.exception
    assert users.session_minutes(db) == 15


@pytest.mark.parametrize("username", ["zz-minzheng", "lingdao"])
def test_only_the_office_has_the_page(db, world, username):
    at = app_as(db, username)
    with pytest.raises(ValueError):
        at.switch_page(PAGE)
