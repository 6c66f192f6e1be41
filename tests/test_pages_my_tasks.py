"""我的任务 as a liaison uses it: only its own tasks, whatever the link says; the report form; text stays text."""
from __future__ import annotations

import pytest

from duban.services import reports, review
from tests.reports_world import PDF, TODAY, actor, build
from tests.support import app_as

PAGE = "pages/my_tasks.py"


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return build(db)


def _everything(at) -> str:
    """All text the page shows (markdown, text, captions, messages, tables, widget labels and options)."""
    parts = []
    for kind in ("markdown", "text", "caption", "title", "subheader", "error", "warning", "info", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(o) for sb in at.selectbox for o in sb.options]
    return "\n".join(parts)


def test_a_liaison_sees_its_tasks_with_role_deadline_light_and_facts(db, world):
    at = app_as(db, "zz-minzheng", PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    # the overdue task comes first
    assert list(table["任务"]) == ["开展养老机构安全检查", "建设社区嵌入式养老服务设施"]
    assert list(table["角色"]) == ["牵头", "牵头"]
    # the overdue date is shown as such; 下一期限 is the next open deadline from today on
    assert list(table["逾期期限"]) == ["2025年12月31日", ""]
    assert list(table["下一期限"]) == ["2026年12月31日", "2026年12月31日"]
    assert list(table["时限"]) == ["● 红灯", "● 黄灯"]
    assert list(table["牵头单位申报"]) == ["尚未报告", "尚未报告"]
    assert list(table["办公室核验"]) == ["未核销", "未核销"]
    assert "推进医养结合机构建设" not in _everything(at)


def test_the_co_department_sees_the_shared_task_as_co(db, world):
    at = app_as(db, "zz-weijian", PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert dict(zip(table["任务"], table["角色"], strict=True)) == {"建设社区嵌入式养老服务设施": "配合",
                                                                 "推进医养结合机构建设": "牵头"}


def test_another_departments_task_cannot_be_opened_by_link(db, world):
    from streamlit.testing.v1 import AppTest

    from tests.support import APP, login_token

    at = AppTest.from_file(APP, default_timeout=60)
    login_token(at, db, "zz-minzheng")
    at.query_params["task"] = str(world.only_b)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["该任务不属于您所在的部门,无权查看。"]
    assert "推进医养结合机构建设" not in _everything(at)
    assert at.selectbox(key="task_select").value in (world.shared, world.recurring)


def test_a_link_to_ones_own_task_opens_it(db, world):
    from streamlit.testing.v1 import AppTest

    from tests.support import APP, login_token

    at = AppTest.from_file(APP, default_timeout=60)
    login_token(at, db, "zz-minzheng")
    at.query_params["task"] = str(world.recurring)
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="task_select").value == world.recurring


def test_filing_a_report_through_the_form(db, world):
    at = app_as(db, "zz-minzheng", PAGE)
    at.selectbox(key="task_select").set_value(world.shared).run()
    at.text_area(key="report_text").input("本月新建嵌入式养老服务设施 3 处")
    at.number_input(key="report_percent").set_value(60)
    at.radio(key="report_status").set_value("已完成")
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success][0].startswith("已提交第 1 号报告")
    assert at.text_area(key="report_text").value == ""  # the form is emptied for the next report
    row = db.conn.execute("SELECT task_id, department_id, percent, claimed_status, review_state FROM reports").fetchone()
    assert tuple(row) == (world.shared, world.a, 60, "已完成", "待审核")
    table = at.dataframe[0].value
    assert table.loc[table["任务"] == "建设社区嵌入式养老服务设施", "牵头单位申报"].item() == "已完成 60%(待审核)"


def test_a_bad_report_keeps_the_form_and_says_why(db, world):
    at = app_as(db, "zz-minzheng", PAGE)
    at.text_area(key="report_text").input("用地问题")
    at.radio(key="report_status").set_value("需协调")
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert any("需要协调的事项" in e.value for e in at.error)
    assert at.text_area(key="report_text").value == "用地问题"
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_html_in_a_report_is_shown_as_text(db, world):
    payload = "<script>alert('x')</script><img src=x onerror=alert(1)><b>粗体</b>"
    at = app_as(db, "zz-minzheng", PAGE)
    at.selectbox(key="task_select").set_value(world.shared).run()
    at.text_area(key="report_text").input(payload)
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert payload in [t.value for t in at.text]
    for md in at.markdown:
        assert "<script" not in md.value and "<img" not in md.value
        assert not md.proto.allow_html


def test_a_returned_report_and_its_reason_are_shown(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "进展", 30, "已完成", TODAY)
    review.return_report(db, actor(db, "bangong"), rid, "缺少验收照片 <b>请补充</b>", TODAY)
    at = app_as(db, "zz-minzheng", PAGE)
    assert not at.exception
    assert any("被退回的报告" in s.value for s in at.subheader)
    assert "退回原因:缺少验收照片 <b>请补充</b>" in [t.value for t in at.text]
    table = at.dataframe[0].value
    assert table.loc[table["任务"] == "建设社区嵌入式养老服务设施", "退回原因"].item() == "缺少验收照片 <b>请补充</b>"


def test_a_correction_is_offered_and_files_a_new_version(db, world):
    first = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "写错了", 30, "推进中", TODAY)
    at = app_as(db, "zz-minzheng", PAGE)
    at.selectbox(key="task_select").set_value(world.shared).run()
    at.text_area(key="report_text").input("更正后的进展")
    at.checkbox(key="report_correct").check()
    at.button(key="report_submit").click().run()
    assert not at.exception
    rows = db.conn.execute("SELECT id, supersedes_id, review_state FROM reports ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(first, None, "已更正"), (first + 1, first, "待审核")]


def test_an_office_account_is_told_the_page_is_for_liaisons(db, world):
    at = app_as(db, "bangong")
    assert not at.exception
    with pytest.raises(ValueError):  # not in the office's navigation at all
        at.switch_page(PAGE)


def test_the_demo_liaison_page_renders_with_its_returned_report(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    at = app_as(demo_db, "zz-minzheng", PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > 5 and set(table["角色"]) <= {"牵头", "配合"}
    # the most pressing task (returned, else red) comes first and is the one opened below the list
    first = table.iloc[0]
    assert first["退回原因"] or first["时限"] == "● 红灯"
    assert at.selectbox(key="task_select").options[0].endswith(first["任务"])
    assert at.button(key="report_submit")
    assert "duban2026" not in _everything(at)


def _page_order(at) -> list[str]:
    """The main area's elements top to bottom, as "kind:key-or-text" strings."""
    out: list[str] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        out.append(f"{node.type}:{getattr(node, 'key', None) or getattr(node, 'value', '')}")

    walk(at.main)
    return out


def test_the_result_shows_beside_the_button_and_the_form_is_emptied(db, world):
    at = app_as(db, "zz-minzheng", PAGE)
    at.selectbox(key="task_select").set_value(world.shared).run()
    at.text_area(key="report_text").input("本月新建嵌入式养老服务设施 3 处")
    at.text_area(key="report_need").input("用地指标")
    at.file_uploader[0].set_value(("验收单.pdf", PDF, "application/pdf"))
    at.button(key="report_submit").click().run()
    assert not at.exception
    order = _page_order(at)
    said = next(i for i, e in enumerate(order) if e.startswith("success:已提交第 1 号报告(附 1 个文件)"))
    assert order[said - 1] == "button:report_submit"  # right beside the button, not at the top of the page
    assert at.text_area(key="report_text").value == "" and at.text_area(key="report_need").value == ""
    assert at.file_uploader[0].value in (None, [])  # a new, empty upload box for the next report
    # shown once: the next click elsewhere does not repeat it
    at.selectbox(key="task_select").set_value(world.recurring).run()
    assert not [s for s in at.success if "已提交" in s.value]


def test_a_refused_file_leaves_the_form_and_the_next_submit_goes_through(db, world):
    at = app_as(db, "zz-minzheng", PAGE)
    at.selectbox(key="task_select").set_value(world.shared).run()
    at.text_area(key="report_text").input("本月新建嵌入式养老服务设施 3 处")
    at.file_uploader[0].set_value(("验收单.pdf", b"not a pdf at all", "application/pdf"))
    at.button(key="report_submit").click().run()
    assert not at.exception
    order = _page_order(at)
    refused = next(i for i, e in enumerate(order) if e.startswith("error:未提交:文件“验收单.pdf”"))
    assert order[refused - 1] == "button:report_submit"
    assert "已移除所选文件" in order[refused]
    assert at.text_area(key="report_text").value == "本月新建嵌入式养老服务设施 3 处"  # the typing is kept
    assert at.file_uploader[0].value in (None, [])
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success][0].startswith("已提交第 1 号报告,")
    assert db.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
