"""Filing progress reports: the lead's report moves the task, a co department's does not; reports are append-only."""
from __future__ import annotations

import sqlite3

import pytest

from duban.errors import InputError
from duban.services import reporting_periods, reports
from tests.reports_world import PDF, TODAY, actor, build


@pytest.fixture
def world(db):
    return build(db)


def _task(db, task_id):
    return dict(db.conn.execute("SELECT status, progress FROM tasks WHERE id=?", [task_id]).fetchone())


def _instances(db, task_id):
    return [r[0] for r in db.conn.execute("SELECT state FROM instances WHERE task_id=? ORDER BY due", [task_id])]


def test_the_lead_departments_report_moves_status_and_progress(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "已完成选址 3 处", 40, "推进中", TODAY)
    assert _task(db, world.shared) == {"status": "推进中", "progress": 40}
    row = db.conn.execute("SELECT * FROM reports WHERE id=?", [rid]).fetchone()
    assert row["department_id"] == world.a and row["review_state"] == "待审核"
    assert row["reported_on"] == TODAY.isoformat() and row["instance_id"] == world.inst[world.shared][0]
    history = db.conn.execute("SELECT new_status, note FROM status_history WHERE task_id=?", [world.shared]).fetchall()
    assert [h[0] for h in history] == ["推进中"] and "牵头单位报告" in history[0][1]
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='填报进展' AND entity_id=?",
                           [rid]).fetchone()[0] == 1


def test_a_co_departments_report_is_stored_but_does_not_move_the_task(db, world):
    reports.file_report(db, actor(db, "zz-weijian"), world.shared, "配合完成医疗巡诊", 100, "已完成", TODAY)
    assert _task(db, world.shared) == {"status": "未开始", "progress": 0}
    assert _instances(db, world.shared) == ["open"]
    latest = reports.latest_reports(db, actor(db, "zz-weijian"), world.shared)
    assert [(r.department_name, r.role_name, r.claimed_status) for r in latest] == [("市卫健委", "配合", "已完成")]


def test_a_completion_claim_awaits_review_and_never_closes_the_task_by_itself(db, world):
    a = actor(db, "zz-minzheng")
    reports.file_report(db, a, world.shared, "全部建成投用", 100, "已完成", TODAY)
    assert _task(db, world.shared)["status"] == "已完成(待审核)"
    assert _instances(db, world.shared) == ["claimed"]
    row = next(r for r in reports.my_tasks(db, a, TODAY) if r["id"] == world.shared)
    # three facts, kept apart: the claim, the office's verification, the light
    assert row["claim_text"] == "已完成 100%(待审核)"
    assert row["verified"] == "未核销"
    assert row["light"] in ("红", "黄", "绿") and row["status"] != "已销号"


def test_coordination_needs_what_and_from_whom(db, world):
    a = actor(db, "zz-minzheng")
    with pytest.raises(InputError, match="协调"):
        reports.file_report(db, a, world.shared, "用地未落实", 30, "需协调", TODAY, coordination_need="用地指标")
    rid = reports.file_report(db, a, world.shared, "用地未落实", 30, "需协调", TODAY,
                              coordination_need="项目用地指标尚未落实", coordination_from="市自然资源和规划局")
    row = db.conn.execute("SELECT coordination_need, coordination_from FROM reports WHERE id=?", [rid]).fetchone()
    assert tuple(row) == ("项目用地指标尚未落实", "市自然资源和规划局")
    assert _task(db, world.shared)["status"] == "需协调"


@pytest.mark.parametrize("text, percent, claimed, message", [
    ("", 10, "推进中", "进展情况"),
    ("   ", 10, "推进中", "进展情况"),
    ("进展", 101, "推进中", "百分比"),
    ("进展", -1, "推进中", "百分比"),
    ("进展", "abc", "推进中", "百分比"),
    ("进展", 10, "已销号", "申报状态"),
    ("长" * 5001, 10, "推进中", "过长"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(db, world, text, percent, claimed, message):
    with pytest.raises(InputError, match=message):
        reports.file_report(db, actor(db, "zz-minzheng"), world.shared, text, percent, claimed, TODAY)
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert _task(db, world.shared)["status"] == "未开始"


def test_an_instance_of_another_task_is_refused(db, world):
    with pytest.raises(InputError, match="期限"):
        reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "x", 10, "推进中", TODAY,
                            instance_id=world.inst[world.only_b][0])


def test_html_in_a_report_is_kept_verbatim_as_text(db, world):
    text = "<script>alert('x')</script><b>加粗</b>"
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, text, 10, "推进中", TODAY)
    assert reports.get_report(db, actor(db, "bangong"), rid)["progress_text"] == text


def test_reports_cannot_be_deleted_or_rewritten(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "原始内容", 10, "推进中", TODAY,
                              evidence=[("a.pdf", PDF)])
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        db.conn.execute("DELETE FROM reports WHERE id=?", [rid])
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        db.conn.execute("UPDATE reports SET progress_text='改过' WHERE id=?", [rid])
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        db.conn.execute("DELETE FROM evidence")
    assert db.conn.execute("SELECT progress_text FROM reports WHERE id=?", [rid]).fetchone()[0] == "原始内容"


def test_a_correction_is_a_new_version_and_the_old_one_leaves_the_queue(db, world):
    a = actor(db, "zz-minzheng")
    first = reports.file_report(db, a, world.shared, "全部完成", 100, "已完成", TODAY)
    assert _instances(db, world.shared) == ["claimed"]
    second = reports.file_report(db, a, world.shared, "更正:完成八成,尚余两处", 80, "推进中", TODAY,
                                 supersedes_id=first)
    rows = {r["id"]: r for r in reports.task_reports(db, a, world.shared)}
    assert set(rows) == {first, second}
    assert rows[first]["progress_text"] == "全部完成" and rows[first]["review_state"] == "已更正"
    assert rows[second]["supersedes_id"] == first and rows[second]["review_state"] == "待审核"
    assert _instances(db, world.shared) == ["open"]  # the withdrawn completion claim no longer holds the instance
    assert _task(db, world.shared) == {"status": "推进中", "progress": 80}


def test_only_ones_own_report_can_be_corrected(db, world):
    theirs = reports.file_report(db, actor(db, "zz-weijian"), world.shared, "配合进展", 50, "推进中", TODAY)
    with pytest.raises(InputError, match="更正"):
        reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "改别人的", 50, "推进中", TODAY,
                            supersedes_id=theirs)


def test_a_closed_task_takes_no_more_reports(db, world):
    db.conn.execute("UPDATE tasks SET status='已销号' WHERE id=?", [world.shared])
    with pytest.raises(InputError, match="已销号"):
        reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "x", 10, "推进中", TODAY)


def test_a_report_goes_to_the_next_open_instance_unless_told(db, world):
    a = actor(db, "zz-minzheng")
    overdue, this_year = world.inst[world.recurring]
    rid = reports.file_report(db, a, world.recurring, "补报去年", 100, "已完成", TODAY)
    assert db.conn.execute("SELECT instance_id FROM reports WHERE id=?", [rid]).fetchone()[0] == overdue
    rid = reports.file_report(db, a, world.recurring, "今年进展", 50, "推进中", TODAY, instance_id=this_year)
    assert db.conn.execute("SELECT instance_id FROM reports WHERE id=?", [rid]).fetchone()[0] == this_year
    assert [i["id"] for i in reports.open_instances(db, a, world.recurring)] == [overdue, this_year]


def test_a_report_belongs_to_the_open_reporting_period_and_after_a_lock_to_the_next(db, world):
    from duban.access import SYSTEM

    a = actor(db, "zz-minzheng")
    first = reports.file_report(db, a, world.shared, "锁定前", 20, "推进中", TODAY)
    locked = reporting_periods.lock_period(db, SYSTEM, TODAY)
    second = reports.file_report(db, a, world.shared, "锁定后", 30, "推进中", TODAY)
    periods = dict(db.conn.execute("SELECT id, period FROM reports WHERE id IN (?, ?)", [first, second]).fetchall())
    assert periods[first] == locked["label"]
    assert periods[second] != locked["label"] and periods[second]


def test_returned_reports_stay_visible_until_answered(db, world):
    from duban.services import review

    a = actor(db, "zz-minzheng")
    rid = reports.file_report(db, a, world.shared, "进展", 30, "推进中", TODAY)
    review.return_report(db, actor(db, "bangong"), rid, "请写明具体数量", TODAY)
    assert [r["review_note"] for r in reports.returned_reports(db, a, only_unanswered=True)] == ["请写明具体数量"]
    row = next(r for r in reports.my_tasks(db, a, TODAY) if r["id"] == world.shared)
    assert row["returned_reason"] == "请写明具体数量"
    reports.file_report(db, a, world.shared, "已建成 3 处", 30, "推进中", TODAY)
    assert reports.returned_reports(db, a, only_unanswered=True) == []
    assert len(reports.returned_reports(db, a)) == 1
