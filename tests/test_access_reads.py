"""What a liaison may read of plans, departments and reporting cycles: its own jurisdiction's, and only the
office checks imports or runs the reminder jobs."""
from __future__ import annotations

import pytest

from duban.access import SYSTEM
from duban.errors import AccessDenied
from duban.jobs import jobs
from duban.services import cycles, departments, plan_diff, plan_import, plans
from tests.reports_world import TODAY, actor, build
from tests.test_import import sample


@pytest.fixture
def world(db):
    w = build(db)
    departments.set_liaison(db, SYSTEM, w.c, "王联络", "0472-5550101", "wang@bt.example.gov.cn")
    departments.set_liaison(db, SYSTEM, w.a, "李联络", "0371-5550101", "li@zz.example.gov.cn")
    return w


def test_a_liaison_lists_and_opens_only_its_own_jurisdictions_plans(db, world):
    zz = actor(db, "zz-minzheng")
    assert [p["id"] for p in plans.list_plans(db, zz)] == [world.plan]
    assert plans.get_plan(db, zz, world.plan)["title"].startswith("郑州市")
    with pytest.raises(AccessDenied):
        plans.get_plan(db, zz, world.plan_bt)
    for reader in ("bangong", "lingdao"):
        assert {p["id"] for p in plans.list_plans(db, actor(db, reader))} == {world.plan, world.plan_bt}
        assert plans.get_plan(db, actor(db, reader), world.plan_bt)["title"].startswith("包头市")


def test_only_the_office_checks_an_import_or_compares_a_revision(db, world):
    for username in ("zz-minzheng", "lingdao"):
        with pytest.raises(AccessDenied):
            plan_import.check_import(db, actor(db, username), sample(), "sample.txt", b"v1")
        with pytest.raises(AccessDenied):
            plan_diff.diff_plan(db, actor(db, username), world.plan, sample())
    office = actor(db, "bangong")
    assert plan_import.check_import(db, office, sample(), "sample.txt", b"v1").kind == "new"
    assert plan_diff.diff_plan(db, office, world.plan, sample()).plan_id == world.plan


def test_a_liaison_sees_the_contact_details_of_its_own_jurisdictions_departments_only(db, world):
    zz = actor(db, "zz-minzheng")
    listed = departments.list_departments(db, zz)
    assert {d.id for d in listed} == {world.a, world.b}
    assert "wang@bt.example.gov.cn" not in str(listed) and "0472-5550101" not in str(listed)
    assert departments.get_department(db, zz, world.a).liaison_email == "li@zz.example.gov.cn"
    assert departments.list_departments(db, zz, jurisdiction_id=2) == []
    with pytest.raises(AccessDenied):
        departments.get_department(db, zz, world.c)
    with pytest.raises(AccessDenied):
        departments.users_of(db, zz, world.c)
    assert [u["username"] for u in departments.users_of(db, zz, world.b)] == ["zz-weijian"]
    for reader in ("bangong", "lingdao"):
        assert {d.id for d in departments.list_departments(db, actor(db, reader))} == {world.a, world.b, world.c}
        assert departments.get_department(db, actor(db, reader), world.c).liaison_phone == "0472-5550101"
        assert [u["username"] for u in departments.users_of(db, actor(db, reader), world.c)] == ["bt-minzheng"]


def test_who_has_not_reported_is_for_the_office_and_leaders_a_liaison_learns_only_its_own(db, world):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=28)
    cycles.add_cycle(db, SYSTEM, world.plan_bt, "monthly", day=28)
    everyone = {m.department_id for m in cycles.missing_reports(db, SYSTEM, TODAY)}
    assert everyone == {world.a, world.b, world.c}
    assert {m.department_id for m in cycles.missing_reports(db, actor(db, "lingdao"), TODAY)} == everyone
    zz = actor(db, "zz-minzheng")
    assert {m.department_id for m in cycles.missing_reports(db, zz, TODAY)} == {world.a}
    assert {d["department_id"] for u in cycles.unreported(db, zz, TODAY) for d in u.departments} == {world.a}
    cycle = cycles.list_cycles(db, actor(db, "bangong"), world.plan)[0]
    period = cycles.periods(cycle, TODAY)[0]
    assert {d["department_id"] for d in cycles.period_status(db, actor(db, "lingdao"), cycle, period)} == {
        world.a, world.b}
    with pytest.raises(AccessDenied):
        cycles.period_status(db, zz, cycle, period)


@pytest.mark.parametrize("username", ["zz-minzheng", "lingdao"])
def test_only_the_office_runs_the_reminder_jobs(db, world, username):
    for job in (jobs.REMIND, jobs.OUTBOX, jobs.OVERDUE):
        with pytest.raises(AccessDenied):
            jobs.run_job(db, actor(db, username), job, TODAY, once_per_day=False)
    assert db.conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 0
    assert jobs.run_job(db, actor(db, "bangong"), jobs.REMIND, TODAY, once_per_day=False).status == "ran"
