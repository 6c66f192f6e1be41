"""A department sees and changes only its own tasks' reports; leaders read everything and change nothing."""
from __future__ import annotations

import pytest

from duban.errors import AccessDenied, NotFound
from duban.services import cycles, evidence, reports, review, tasks, users
from tests.reports_world import PASSWORD, PDF, TODAY, actor, build


@pytest.fixture
def world(db):
    return build(db)


@pytest.fixture
def b_report(db, world):
    """A report of 市卫健委 on its own task, with a PDF attached."""
    rid = reports.file_report(db, actor(db, "zz-weijian"), world.only_b, "医养结合机构已完成选址", 30, "推进中", TODAY,
                              evidence=[("选址报告.pdf", PDF)])
    return rid


def test_a_liaison_lists_only_its_own_departments_tasks(db, world):
    a = actor(db, "zz-minzheng")
    mine = {r["id"] for r in reports.my_tasks(db, a, TODAY)}
    assert mine == {world.shared, world.recurring}
    listed = {t.id for t in tasks.list_tasks(db, a, TODAY)}
    assert world.only_b not in listed and world.only_c not in listed


def test_a_liaison_cannot_open_another_departments_task_or_its_reports(db, world, b_report):
    a = actor(db, "zz-minzheng")
    with pytest.raises(AccessDenied):
        reports.task_reports(db, a, world.only_b)
    with pytest.raises(AccessDenied):
        reports.latest_reports(db, a, world.only_b)
    with pytest.raises(AccessDenied):
        reports.get_report(db, a, b_report)
    with pytest.raises(AccessDenied):
        reports.open_instances(db, a, world.only_b)
    with pytest.raises(AccessDenied):
        tasks.get_task(db, a, world.only_b, TODAY)


def test_a_liaison_cannot_report_on_another_departments_task(db, world):
    a = actor(db, "zz-minzheng")
    before = db.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    with pytest.raises(AccessDenied):
        reports.file_report(db, a, world.only_b, "越权填报", 50, "推进中", TODAY)
    # naming the other department on a shared task does not help either
    with pytest.raises(AccessDenied):
        reports.file_report(db, a, world.shared, "冒充配合单位", 50, "推进中", TODAY, department_id=world.b)
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == before
    assert db.conn.execute("SELECT status FROM tasks WHERE id=?", [world.only_b]).fetchone()[0] == "未开始"


def test_a_liaison_cannot_download_another_departments_evidence(db, world, b_report):
    a = actor(db, "zz-minzheng")
    b = actor(db, "zz-weijian")
    evidence_id = reports.get_report(db, b, b_report)["evidence"][0]["id"]
    with pytest.raises(AccessDenied):
        evidence.read(db, a, evidence_id)
    assert evidence.read(db, b, evidence_id)[2] == PDF
    assert evidence.read(db, actor(db, "lingdao"), evidence_id)[2] == PDF


def test_a_co_department_sees_the_shared_task_and_its_partners_reports(db, world):
    a, b = actor(db, "zz-minzheng"), actor(db, "zz-weijian")
    reports.file_report(db, a, world.shared, "牵头单位进展", 20, "推进中", TODAY, evidence=[("a.pdf", PDF)])
    seen = reports.latest_reports(db, b, world.shared)
    assert [r.department_name for r in seen] == ["市民政局"]
    assert evidence.read(db, b, seen[0].evidence[0]["id"])[2] == PDF


def test_another_cities_department_of_the_same_name_sees_nothing_here(db, world):
    c = actor(db, "bt-minzheng")  # 包头市 市民政局, not 郑州市's
    assert {r["id"] for r in reports.my_tasks(db, c, TODAY)} == {world.only_c}
    with pytest.raises(AccessDenied):
        reports.file_report(db, c, world.shared, "不是本市的任务", 10, "推进中", TODAY)


def test_unknown_task_is_not_found(db, world):
    with pytest.raises(NotFound):
        reports.file_report(db, actor(db, "zz-minzheng"), 99999, "x", 1, "推进中", TODAY)


def test_a_leader_reads_everything_and_writes_nothing(db, world, b_report):
    leader = actor(db, "lingdao")
    assert reports.task_reports(db, leader, world.only_b)
    assert review.queue(db, leader)
    with pytest.raises(AccessDenied):
        reports.file_report(db, leader, world.shared, "领导填报", 10, "推进中", TODAY, department_id=world.a)
    with pytest.raises(AccessDenied):
        review.accept(db, leader, b_report, TODAY)
    with pytest.raises(AccessDenied):
        review.return_report(db, leader, b_report, "领导退回", TODAY)
    with pytest.raises(AccessDenied):
        cycles.add_cycle(db, leader, world.plan, "monthly", day=28)
    with pytest.raises(AccessDenied):
        users.create_user(db, leader, "new-user", PASSWORD, "office")
    with pytest.raises(AccessDenied):
        users.set_active(db, leader, "zz-minzheng", False)
    assert db.conn.execute("SELECT review_state FROM reports WHERE id=?", [b_report]).fetchone()[0] == "待审核"


def test_a_liaison_cannot_review_or_see_the_queue_or_manage_accounts(db, world, b_report):
    b = actor(db, "zz-weijian")
    with pytest.raises(AccessDenied):
        review.accept(db, b, b_report, TODAY)
    with pytest.raises(AccessDenied):
        review.queue(db, b)
    with pytest.raises(AccessDenied):
        users.list_users(db, b)
    with pytest.raises(AccessDenied):
        cycles.list_cycles(db, b)
    with pytest.raises(AccessDenied):
        users.change_password(db, b, "zz-minzheng", "another-password")


def test_a_disabled_liaison_is_no_actor_at_all(db, world):
    office = actor(db, "bangong")
    users.set_active(db, office, "zz-minzheng", False)
    assert users.authenticate(db, "zz-minzheng", PASSWORD) is None
    row = db.conn.execute("SELECT id FROM users WHERE username='zz-minzheng'").fetchone()
    assert users.actor_for(db, row[0]) is None
