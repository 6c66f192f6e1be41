"""Liaison accounts in bulk from a sheet: checked, shown back, created all at once, each able to log in."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from duban.access import SYSTEM
from duban.errors import InputError
from duban.services import liaison_accounts as la
from duban.services import users
from tests.support import app_as


def zhengzhou(db) -> int:
    return db.conn.execute("SELECT id FROM jurisdictions WHERE name='郑州市'").fetchone()[0]


def sheet(rows: list[list[str]], title: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["郑州市联络员名单"])
    ws.append(["单位", "姓名", "手机", "邮箱"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def accounts(db) -> int:
    return db.conn.execute("SELECT count(*) FROM users").fetchone()[0]


def test_a_sheet_creates_every_units_liaison_who_can_then_log_in(demo_db):
    rows = la.read_sheet(sheet([["市财政局", "张三", "13800000001", "zhang@example.cn"],
                                ["市自然资源和规划局", "李四", "139-0000-0002", ""]]), "名单.xlsx")
    assert [r.line for r in rows] == [3, 4]
    checked = la.check(demo_db, SYSTEM, rows, zhengzhou(demo_db))
    assert [r.problem for r in checked] == ["", ""]
    created = la.create_accounts(demo_db, SYSTEM, rows, zhengzhou(demo_db))
    assert [c["账号"] for c in created] == ["13800000001", "13900000002"]
    actor = users.authenticate(demo_db, "13800000001", created[0]["初始密码"])
    assert actor is not None and actor.role == "liaison"
    assert users.must_change_password(demo_db, actor.user_id)      # the liaison sets their own at first login
    name, phone = demo_db.conn.execute("SELECT liaison_name, liaison_phone FROM departments WHERE id=?",
                                       [rows[0].department_id]).fetchone()
    assert (name, phone) == ("张三", "13800000001")
    ws = load_workbook(io.BytesIO(la.credentials_xlsx(created))).active
    assert ws.cell(2, 3).value == "13800000001" and ws.cell(2, 4).value == created[0]["初始密码"]


def test_one_bad_row_creates_nothing_and_says_which_row(demo_db):
    before = accounts(demo_db)
    rows = la.read_sheet(sheet([["市财政局", "张三", "13800000001", ""], ["不存在的局", "王五", "13800000003", ""],
                                ["市财政局", "赵六", "12345", ""], ["市财政局", "钱七", "13800000001", ""]]), "x.xlsx")
    checked = la.check(demo_db, SYSTEM, rows, zhengzhou(demo_db))
    assert checked[0].problem == ""
    assert "目录中没有单位" in checked[1].problem
    assert "手机号码不正确" in checked[2].problem
    assert "已存在" in checked[3].problem
    with pytest.raises(InputError, match="第 4 行"):
        la.create_accounts(demo_db, SYSTEM, rows, zhengzhou(demo_db))
    assert accounts(demo_db) == before


def test_a_sheet_without_the_header_is_refused_in_chinese():
    with pytest.raises(InputError, match="表头"):
        la.read_sheet("名字,电话\n张三,1380000\n".encode(), "x.csv")


def test_the_office_pastes_rows_from_excel_checks_them_and_creates_the_accounts(demo_db):
    before = accounts(demo_db)
    at = app_as(demo_db, "bangong", "pages/liaison_import.py")
    assert not at.exception
    at.selectbox(key="liaison_place").set_value(zhengzhou(demo_db)).run()
    at.text_area(key="liaison_paste").set_value("单位\t姓名\t手机\t邮箱\n市财政局\t张三\t13800000011\t\n").run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "检查结果" in d.value.columns)
    assert list(preview["检查结果"]) == ["可以创建"]
    assert accounts(demo_db) == before                      # nothing until confirmed
    at.button(key="liaison_create").click().run()
    assert not at.exception
    assert accounts(demo_db) == before + 1
    assert any("已创建 1 个联络员账号" in str(s.value) for s in at.success)
