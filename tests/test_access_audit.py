"""Every domain function refuses what is not the acting user's, whatever page or parameter asks:
status changes, the meeting pack's figures, the items a notice would chase, ids passed in by a caller."""
from __future__ import annotations

import pytest

from duban.errors import AccessDenied, InputError
from duban.reports import meeting_pack as meeting_pack_file
from duban.services import check, inbox, meeting_proposals, meetings, notices, reports, review, stored_packs, tasks
from duban.services import meeting_pack as meeting_pack_figures
from duban.services.status import change_status
from tests.reports_world import TODAY, actor, build


@pytest.fixture
def world(db):
    return build(db)


def _count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _status(db, task_id: int) -> str:
    return db.conn.execute("SELECT status FROM tasks WHERE id=?", [task_id]).fetchone()[0]


# ---------------------------------------------------------------- task status

def test_a_liaison_cannot_change_the_status_of_another_departments_task(db, world):
    a = actor(db, "zz-minzheng")
    history = _count(db, "status_history")
    with pytest.raises(AccessDenied):
        change_status(db, a, world.only_b, "推进中", note="越权改状态")
    assert _status(db, world.only_b) == "未开始"
    assert _count(db, "status_history") == history


def test_a_liaison_cannot_close_even_its_own_task_without_the_office(db, world):
    a = actor(db, "zz-minzheng")  # lead of `shared`
    with pytest.raises(AccessDenied):
        change_status(db, a, world.shared, "已销号", note="自行销号")
    assert _status(db, world.shared) == "未开始"


def test_a_co_department_cannot_move_the_shared_tasks_status(db, world):
    b = actor(db, "zz-weijian")  # co of `shared`
    with pytest.raises(AccessDenied):
        change_status(db, b, world.shared, "需协调")
    assert _status(db, world.shared) == "未开始"


def test_the_lead_departments_report_still_moves_the_status(db, world):
    a = actor(db, "zz-minzheng")
    reports.file_report(db, a, world.shared, "已完成选址", 40, "推进中", TODAY)
    assert _status(db, world.shared) == "推进中"
    # and the office still closes tasks through review
    rid = reports.file_report(db, a, world.shared, "已全部建成", 100, "已完成", TODAY)
    assert review.accept(db, actor(db, "bangong"), rid, TODAY) == "已销号"


def test_a_status_change_names_an_instance_of_its_own_task_only(db, world):
    office = actor(db, "bangong")
    other_instance = world.inst[world.only_c][0]
    with pytest.raises(InputError):
        change_status(db, office, world.shared, "推进中", instance_id=other_instance)
    assert _status(db, world.shared) == "未开始"


# ---------------------------------------------------------------- the meeting pack's figures

def test_only_the_office_collects_the_meeting_packs_figures(db, world):
    for name in ("zz-minzheng", "lingdao"):
        with pytest.raises(AccessDenied):
            meeting_pack_figures.collect(db, actor(db, name), TODAY)
    assert meeting_pack_figures.collect(db, actor(db, "bangong"), TODAY)["summary"]["tasks"] == 4


def test_a_liaison_cannot_see_the_meetings_a_plans_text_calls_for(db, world):
    with pytest.raises(AccessDenied):
        meeting_proposals.propose_meetings(db, world.plan, TODAY, actor=actor(db, "zz-minzheng"))
    with pytest.raises(AccessDenied):
        meeting_proposals.proposals(db, actor(db, "zz-minzheng"), TODAY)
    assert meeting_proposals.propose_meetings(db, world.plan, TODAY, actor=actor(db, "lingdao")) == []


def test_a_liaison_cannot_read_a_locked_periods_stored_figures(db, world):
    office = actor(db, "bangong")
    pack = meeting_pack_file.build(db, office, TODAY)
    with pytest.raises(AccessDenied):
        stored_packs.period_snapshot(db, actor(db, "zz-minzheng"), pack.period)
    assert "all" in stored_packs.period_snapshot(db, actor(db, "lingdao"), pack.period)


# ---------------------------------------------------------------- items to chase, overdue lists

def test_a_liaison_sees_only_its_own_departments_items_to_chase(db, world):
    a = actor(db, "zz-minzheng")
    with pytest.raises(AccessDenied):
        notices.classify(db, world.b, TODAY, actor=a)
    assert {i["task_id"] for i in notices.classify(db, world.a, TODAY, actor=a)} <= {world.shared, world.recurring}
    assert set(notices.levels_by_department(db, TODAY, actor=a)) <= {world.a}
    assert world.b in notices.levels_by_department(db, TODAY, actor=actor(db, "bangong"))


def test_a_liaison_lists_only_its_own_overdue_instances(db, world):
    check.overdue_scan(db, TODAY)
    a = actor(db, "zz-minzheng")
    mine = {r["task_id"] for r in check.overdue_instances(db, TODAY, actor=a)}
    assert mine == {world.recurring}
    everyone = {r["task_id"] for r in check.overdue_instances(db, TODAY, actor=actor(db, "lingdao"))}
    assert {world.only_b, world.recurring} <= everyone


# ---------------------------------------------------------------- ids from the caller

def test_a_task_cannot_be_tied_to_a_meeting_that_does_not_exist(db, world):
    before = _count(db, "tasks")
    with pytest.raises(InputError):
        tasks.add_task(db, actor(db, "bangong"), "落实会议议定事项", [(world.a, "lead")],
                       [{"kind": "once", "due": "2026-12-31"}], "议定事项", meeting_id=99999, today=TODAY)
    assert _count(db, "tasks") == before


def test_a_meeting_cannot_name_a_deadline_that_does_not_exist(db, world):
    before = _count(db, "meetings")
    with pytest.raises(InputError):
        meetings.create_meeting(db, actor(db, "bangong"), "联席会议", "2026-12-10", [world.plan], deadline_id=99999)
    assert _count(db, "meetings") == before


def test_a_report_cannot_name_another_tasks_deadline(db, world):
    a = actor(db, "zz-minzheng")
    before = _count(db, "reports")
    with pytest.raises(InputError):
        reports.file_report(db, a, world.shared, "报到别的任务的期限上", 50, "已完成", TODAY,
                            instance_id=world.inst[world.only_b][0])
    assert _count(db, "reports") == before
    state = db.conn.execute("SELECT state FROM instances WHERE id=?", [world.inst[world.only_b][0]]).fetchone()[0]
    assert state == "open"


def test_a_user_marks_only_its_own_messages_read(db, world):
    b_user = db.conn.execute("SELECT id FROM users WHERE username='zz-weijian'").fetchone()[0]
    [mid] = inbox.notify(db, title="退回通知", body="请补充", user_id=b_user)
    assert inbox.mark_read(db, actor(db, "zz-minzheng"), [mid]) == 0
    assert inbox.unread_count(db, actor(db, "zz-weijian")) == 1
    assert [m["id"] for m in inbox.inbox(db, actor(db, "zz-minzheng"))] == []
