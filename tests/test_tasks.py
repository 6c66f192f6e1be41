"""The task list and a task's page: what each user may see, and the facts shown for each task."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from duban.access import SYSTEM
from duban.errors import AccessDenied, InputError, NotFound
from duban.services import departments, tasks, users

TODAY = dt.date(2026, 11, 22)


def actor(db, username):
    row = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()
    return users.actor_for(db, row[0])


def test_office_and_leader_see_every_task(demo_db):
    total = demo_db.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]
    assert len(tasks.list_tasks(demo_db, actor(demo_db, "bangong"), TODAY)) == total
    assert len(tasks.list_tasks(demo_db, actor(demo_db, "lingdao"), TODAY)) == total


def test_liaison_sees_only_its_departments_tasks(demo_db):
    zz = actor(demo_db, "zz-minzheng")
    rows = tasks.list_tasks(demo_db, zz, TODAY)
    assert rows
    assert all({d.id for d in r.departments} & zz.department_ids for r in rows)
    assert {r.jurisdiction for r in rows} == {"郑州市"}
    everything = tasks.list_tasks(demo_db, SYSTEM, TODAY)
    foreign = next(r for r in everything if not ({d.id for d in r.departments} & zz.department_ids))
    with pytest.raises(AccessDenied):
        tasks.get_task(demo_db, zz, foreign.id, TODAY)
    assert not tasks.can_see(demo_db, zz, foreign.id)
    with pytest.raises(NotFound):
        tasks.get_task(demo_db, zz, 999999, TODAY)
    # a filter asking for another department's tasks still returns only its own
    other_department = foreign.departments[0].id
    assert all({d.id for d in r.departments} & zz.department_ids
               for r in tasks.list_tasks(demo_db, zz, TODAY, department_id=other_department))


def test_list_row_has_what_the_table_shows(demo_db):
    row = tasks.list_tasks(demo_db, SYSTEM, TODAY, jurisdiction="郑州市")[0]
    for key in ("id", "plan_id", "plan_title", "jurisdiction", "seq", "number", "title", "status", "progress", "lead",
                "units", "next_due", "light", "overdue", "source"):
        assert hasattr(row, key)
    assert row.lead and row.lead[0] == row.units[0]
    assert row.light in ("红", "黄", "绿")


def test_filters_narrow_the_list(demo_db):
    office = actor(demo_db, "bangong")
    everything = tasks.list_tasks(demo_db, office, TODAY)
    red = tasks.list_tasks(demo_db, office, TODAY, light="红")
    assert red and len(red) < len(everything) and all(r.light == "红" for r in red)
    assert all(r.overdue for r in red)
    closed = tasks.list_tasks(demo_db, office, TODAY, status="已销号")
    assert closed and all(r.status == "已销号" and r.light == "绿" for r in closed)
    baotou = tasks.list_tasks(demo_db, office, TODAY, jurisdiction="包头市")
    assert baotou and {r.jurisdiction for r in baotou} == {"包头市"}
    minzheng = next(d for d in departments.list_departments(demo_db, SYSTEM) if d.jurisdiction == "包头市"
                    and d.name == "市民政局")
    led = tasks.list_tasks(demo_db, office, TODAY, department_id=minzheng.id, role="lead")
    assert led and all("市民政局" in r.lead for r in led)
    assert len(led) == minzheng.lead_tasks
    found = tasks.list_tasks(demo_db, office, TODAY, q="托育")
    assert found and len(found) < len(everything)
    soon = tasks.list_tasks(demo_db, office, TODAY, due_after=TODAY, due_before=TODAY + dt.timedelta(days=45))
    assert soon and all(TODAY.isoformat() <= r.next_due <= "2027-01-06" for r in soon)


def test_task_page_has_body_units_deadlines_instances_history(demo_db):
    office = actor(demo_db, "bangong")
    row = next(r for r in tasks.list_tasks(demo_db, office, TODAY, jurisdiction="包头市") if r.number == "1")
    task = tasks.get_task(demo_db, office, row.id, TODAY)
    assert task.body and task.path
    assert task.departments[0].role == "lead" and task.departments[0].liaison_email.endswith(".example.gov.cn")
    assert task.deadlines and task.deadlines[0].phrase
    assert task.instances and all(i.due and i.state for i in task.instances)
    assert isinstance(task.history, tuple)


def test_add_task_from_a_leaders_instruction(db):
    from duban.services import plan_import
    from tests.test_import import sample

    plan_import.import_plan(db, SYSTEM, sample(), "s.txt", b"s", TODAY)
    department = next(d for d in departments.list_departments(db, SYSTEM) if d.name == "市民政局")
    task_id = tasks.add_task(db, SYSTEM, "落实冬季安全检查批示", [(department.id, "lead")],
                             [{"kind": "once", "due": "2026-12-01", "phrase": "12月1日前"}], "领导批示",
                             source_note="市长批示", today=TODAY)
    task = tasks.get_task(db, SYSTEM, task_id, TODAY)
    assert task.source == "领导批示" and task.source_note == "市长批示"
    assert [i.due for i in task.instances] == ["2026-12-01"]
    assert task.light == "黄" and task.jurisdiction == "样例市"
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='新增任务' AND entity_id=?",
                           [task_id]).fetchone()[0] == 1
    with pytest.raises(InputError):
        tasks.add_task(db, SYSTEM, "", [(department.id, "lead")], [], "领导批示")
    with pytest.raises(InputError):
        tasks.add_task(db, SYSTEM, "无单位", [], [], "领导批示")
    with pytest.raises(InputError):
        tasks.add_task(db, SYSTEM, "错单位", [(99999, "lead")], [], "领导批示")
    liaison = users.Actor(user_id=1, username="l", role="liaison", department_ids=frozenset({department.id}))
    with pytest.raises(AccessDenied):
        tasks.add_task(db, liaison, "越权", [(department.id, "lead")], [], "领导批示")


def test_task_list_at_ten_thousand_tasks_uses_the_indexes(db):
    plan = db.conn.execute("EXPLAIN QUERY PLAN SELECT task_id, min(CASE WHEN state='open' THEN due END) "
                           "FROM instances GROUP BY task_id").fetchall()
    assert "COVERING INDEX" in " ".join(r[3] for r in plan)


def test_the_list_follows_every_write_at_once(demo_db_path, demo_db):
    from db import connect
    from duban.services.status import change_status

    office = actor(demo_db, "bangong")
    row = tasks.list_tasks(demo_db, office, TODAY, status="未开始")[0]
    change_status(demo_db, office, row.id, "推进中", note="已启动")
    assert tasks.list_tasks(demo_db, office, TODAY, task_ids=[row.id])[0].status == "推进中"
    other = connect(demo_db_path)  # another process or session writing
    other.conn.execute("UPDATE tasks SET title='改过的标题' WHERE id=?", [row.id])
    other.conn.close()
    assert tasks.list_tasks(demo_db, office, TODAY, task_ids=[row.id])[0].title == "改过的标题"
    # rows handed out are read-only: no caller can change what the next one sees
    with pytest.raises(dataclasses.FrozenInstanceError):
        tasks.list_tasks(demo_db, office, TODAY)[0].title = "随便改"


def test_filters_accept_ids_as_text(demo_db):
    office = actor(demo_db, "bangong")
    plan_id = tasks.list_tasks(demo_db, office, TODAY)[0].plan_id
    assert tasks.list_tasks(demo_db, office, TODAY, plan_id=str(plan_id)) == \
        tasks.list_tasks(demo_db, office, TODAY, plan_id=plan_id)


def test_the_next_deadline_shown_is_never_in_the_past(demo_db):
    from duban.access import SYSTEM
    from duban.services import tasks as task_service
    from tests.conftest import DEMO_TODAY

    rows = task_service.list_tasks(demo_db, SYSTEM, DEMO_TODAY)
    overdue = [r for r in rows if r.overdue]
    assert overdue and all(r.next_due < DEMO_TODAY.isoformat() for r in overdue)
    assert all(r.upcoming_due is None or r.upcoming_due >= DEMO_TODAY.isoformat() for r in rows)
    one = task_service.get_task(demo_db, SYSTEM, overdue[0].id, DEMO_TODAY)
    assert one.upcoming_due == overdue[0].upcoming_due
