"""审核 as the office uses it: accept closes, return needs a reason; only the office sees the page."""
from __future__ import annotations

import pytest

from duban.services import reports
from tests.reports_world import PDF, TODAY, actor, build
from tests.support import app_as

PAGE = "pages/review.py"


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return build(db)


@pytest.fixture
def claim(db, world):
    return reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "<b>全部建成</b>", 100, "已完成", TODAY,
                               evidence=[("验收单.pdf", PDF)])


def test_the_queue_shows_each_pending_report_with_its_evidence(db, world, claim):
    at = app_as(db, "bangong", PAGE)
    assert not at.exception
    assert "**1 建设社区嵌入式养老服务设施**" in [m.value for m in at.markdown]
    assert "<b>全部建成</b>" in [t.value for t in at.text]
    assert any(b.label.startswith("验收单.pdf") for b in at.get("download_button"))
    assert all(not m.proto.allow_html for m in at.markdown)


def test_accepting_a_completion_claim_closes_the_task(db, world, claim):
    at = app_as(db, "bangong", PAGE)
    at.text_input(key=f"note_{claim}").input("材料齐全")
    at.button(key=f"accept_{claim}").click().run()
    assert not at.exception
    # the report leaves the queue, so its result is a toast, not a message at the top of the page
    assert any("已采纳第 1 号报告" in t.value and "已销号" in t.value for t in at.toast)
    assert db.conn.execute("SELECT status FROM tasks WHERE id=?", [world.shared]).fetchone()[0] == "已销号"
    assert any("没有待审核的报告" in s.value for s in at.success)


def test_returning_without_a_reason_is_refused_and_with_one_it_is_sent(db, world, claim):
    at = app_as(db, "bangong", PAGE)
    at.button(key=f"return_{claim}").click().run()
    assert not at.exception
    # said inside the report's own confirm box, under its button, not at the top of the page
    box = at.get_by_key(f"return_box_{claim}")
    assert any("必须填写退回原因" in e.value for e in box.error)
    assert db.conn.execute("SELECT review_state FROM reports WHERE id=?", [claim]).fetchone()[0] == "待审核"
    at.text_input(key=f"reason_{claim}").input("验收单缺少签章")
    at.button(key=f"return_{claim}").click().run()
    assert not at.exception
    assert db.conn.execute("SELECT review_state, review_note FROM reports WHERE id=?", [claim]).fetchone()[:] == (
        "已退回", "验收单缺少签章")
    # the liaison sees it on 我的任务
    liaison = app_as(db, "zz-minzheng", "pages/my_tasks.py")
    assert "退回原因:验收单缺少签章" in [t.value for t in liaison.text]


def test_the_place_filter_narrows_the_queue(db, world, claim):
    reports.file_report(db, actor(db, "bt-minzheng"), world.only_c, "包头进展", 30, "推进中", TODAY)
    at = app_as(db, "bangong", PAGE)
    assert {b.key for b in at.button if b.key and b.key.startswith("accept_")} == {f"accept_{claim}", f"accept_{claim + 1}"}
    at.selectbox(key="review_place").set_value("包头市").run()
    assert not at.exception
    assert {b.key for b in at.button if b.key and b.key.startswith("accept_")} == {f"accept_{claim + 1}"}


@pytest.mark.parametrize("username", ["zz-minzheng", "lingdao"])
def test_the_page_is_not_in_other_roles_navigation(db, world, claim, username):
    at = app_as(db, username)
    assert not at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


def test_the_demo_queue_renders_for_the_office(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    pending = demo_db.conn.execute("SELECT count(*) FROM reports WHERE review_state='待审核'").fetchone()[0]
    at = app_as(demo_db, "bangong", PAGE)
    assert not at.exception
    assert pending > 0
    assert len([b for b in at.button if (b.key or "").startswith("accept_")]) == pending
    first = min(int(b.key.split("_")[1]) for b in at.button if (b.key or "").startswith("accept_"))
    at.text_input(key=f"reason_{first}").input("请补充佐证材料")
    at.button(key=f"return_{first}").click().run()
    assert not at.exception
    assert any("已退回" in t.value for t in at.toast)


def test_the_confirm_box_belongs_to_its_report(db, world, claim):
    """Returning one report closes its box; the next report's box is its own and stays closed."""
    other = reports.file_report(db, actor(db, "zz-weijian"), world.only_b, "医养结合进展", 40, "推进中", TODAY)
    at = app_as(db, "bangong", PAGE)
    assert at.session_state[f"return_box_{claim}"] is False and at.session_state[f"return_box_{other}"] is False
    at.text_input(key=f"reason_{claim}").input("验收单缺少签章")
    at.button(key=f"return_{claim}").click().run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["已退回第 1 号报告,退回原因已通知该单位。"]
    assert not at.error
    assert at.session_state[f"return_box_{other}"] is False
    assert {b.key for b in at.button if (b.key or "").startswith("return_")} == {f"return_{other}"}
