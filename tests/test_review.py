"""The office's review: accepting a completion claim closes its instance (and the task, 销号, when none is left);
returning a report sends the reason to the department; every step is in the history and the audit log."""
from __future__ import annotations

import pytest

from duban.errors import InputError
from duban.services import reports, review
from tests.reports_world import TODAY, actor, build


@pytest.fixture
def world(db):
    return build(db)


def _state(db, task_id):
    status = db.conn.execute("SELECT status FROM tasks WHERE id=?", [task_id]).fetchone()[0]
    states = [r[0] for r in db.conn.execute("SELECT state FROM instances WHERE task_id=? ORDER BY due", [task_id])]
    return status, states


def test_the_queue_lists_pending_reports_oldest_first(db, world):
    a, b = actor(db, "zz-minzheng"), actor(db, "zz-weijian")
    first = reports.file_report(db, a, world.shared, "一", 10, "推进中", TODAY)
    second = reports.file_report(db, b, world.only_b, "二", 10, "推进中", TODAY)
    queue = review.queue(db, actor(db, "bangong"))
    assert [r["id"] for r in queue] == [first, second]
    assert queue[0]["task_title"] == "建设社区嵌入式养老服务设施" and queue[0]["role_name"] == "牵头"


def test_accepting_the_last_completion_claim_closes_the_task(db, world):
    office = actor(db, "bangong")
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "全部建成", 100, "已完成", TODAY)
    assert review.accept(db, office, rid, TODAY, "材料齐全") == "已销号"
    assert _state(db, world.shared) == ("已销号", ["closed"])
    row = db.conn.execute("SELECT review_state, reviewed_by, review_note FROM reports WHERE id=?", [rid]).fetchone()
    assert row[0] == "已采纳" and row[1] == office.user_id and row[2] == "材料齐全"
    history = db.conn.execute("SELECT old_status, new_status, note FROM status_history WHERE task_id=? ORDER BY id",
                              [world.shared]).fetchall()
    assert [tuple(h)[:2] for h in history] == [("未开始", "已完成(待审核)"), ("已完成(待审核)", "已销号")]
    assert "审核通过" in history[-1][2]
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='审核通过' AND entity_id=?",
                           [rid]).fetchone()[0] == 1
    row = next(r for r in reports.my_tasks(db, actor(db, "zz-minzheng"), TODAY) if r["id"] == world.shared)
    assert row["verified"] == "已销号"


def test_accepting_one_period_of_a_recurring_task_keeps_the_task_going(db, world):
    a, office = actor(db, "zz-minzheng"), actor(db, "bangong")
    rid = reports.file_report(db, a, world.recurring, "2025 年检查已完成", 100, "已完成", TODAY)
    assert _state(db, world.recurring) == ("已完成(待审核)", ["claimed", "open"])
    assert review.accept(db, office, rid, TODAY) == "推进中"
    assert _state(db, world.recurring) == ("推进中", ["closed", "open"])
    row = next(r for r in reports.my_tasks(db, a, TODAY) if r["id"] == world.recurring)
    assert row["verified"] == "已核销 1/2 期"


def test_accepting_a_progress_report_changes_no_status_but_is_recorded(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "过半", 55, "推进中", TODAY)
    review.accept(db, actor(db, "bangong"), rid, TODAY)
    assert _state(db, world.shared) == ("推进中", ["open"])
    assert db.conn.execute("SELECT count(*) FROM status_history WHERE task_id=?", [world.shared]).fetchone()[0] == 2


def test_a_co_departments_completion_claim_closes_nothing(db, world):
    rid = reports.file_report(db, actor(db, "zz-weijian"), world.shared, "配合部分完成", 100, "已完成", TODAY)
    review.accept(db, actor(db, "bangong"), rid, TODAY)
    assert _state(db, world.shared) == ("未开始", ["open"])


def test_returning_needs_a_reason_and_then_reopens_the_instance_and_tells_the_department(db, world):
    a, office = actor(db, "zz-minzheng"), actor(db, "bangong")
    # a second liaison of the same department also hears of it
    from duban.services import users
    users.create_user(db, office, "zz-minzheng2", "another-pass-1", "liaison", [world.a])
    rid = reports.file_report(db, a, world.shared, "建成", 100, "已完成", TODAY)
    with pytest.raises(InputError, match="退回原因"):
        review.return_report(db, office, rid, "  ", TODAY)
    assert _state(db, world.shared) == ("已完成(待审核)", ["claimed"])
    review.return_report(db, office, rid, "缺少验收照片,请补充。", TODAY)
    assert _state(db, world.shared) == ("推进中", ["open"])
    row = db.conn.execute("SELECT review_state, review_note FROM reports WHERE id=?", [rid]).fetchone()
    assert tuple(row) == ("已退回", "缺少验收照片,请补充。")
    notes = db.conn.execute("SELECT u.username, n.department_id, n.title, n.body FROM notifications n "
                            "JOIN users u ON u.id = n.user_id ORDER BY u.username").fetchall()
    assert [n[0] for n in notes] == ["zz-minzheng", "zz-minzheng2"]
    assert all(n[1] == world.a and "建设社区嵌入式养老服务设施" in n[2] and "缺少验收照片" in n[3] for n in notes)
    history = db.conn.execute("SELECT new_status, note FROM status_history WHERE task_id=? ORDER BY id DESC LIMIT 1",
                              [world.shared]).fetchone()
    assert history[0] == "推进中" and "缺少验收照片" in history[1]
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='退回报告' AND entity_id=?",
                           [rid]).fetchone()[0] == 1


def test_a_report_is_reviewed_once(db, world):
    office = actor(db, "bangong")
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "x", 10, "推进中", TODAY)
    review.accept(db, office, rid, TODAY)
    with pytest.raises(InputError, match="不在待审核"):
        review.return_report(db, office, rid, "迟来的退回", TODAY)
    with pytest.raises(InputError, match="不在待审核"):
        review.accept(db, office, rid, TODAY)


def test_a_corrected_report_cannot_be_reviewed(db, world):
    a = actor(db, "zz-minzheng")
    old = reports.file_report(db, a, world.shared, "旧", 10, "推进中", TODAY)
    reports.file_report(db, a, world.shared, "新", 20, "推进中", TODAY, supersedes_id=old)
    with pytest.raises(InputError):
        review.accept(db, actor(db, "bangong"), old, TODAY)
    assert [r["progress_text"] for r in review.queue(db, actor(db, "bangong"))] == ["新"]
