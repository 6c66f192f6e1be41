"""Meetings: proposed from a plan's text, member units asked before them, who has reported, decisions, assigned tasks (交办)."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.access import SYSTEM
from duban.errors import AccessDenied, InputError
from duban.rules import meeting_clauses
from duban.services import decisions, meeting_proposals, meetings, reporting_periods, update_requests
from duban.services.users import actor_for
from tests.conftest import DEMO_TODAY, ROOT
from tests.test_meeting_pack import _report_as, zhengzhou

ZHENGZHOU_TEXT = (ROOT / "seed" / "003_72fb19ae38dc696d.txt").read_text(encoding="utf-8")


def user(db, username: str):
    return actor_for(db, db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0])


def count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("phrase, kind", [
    ("原则上每半年召开一次", "领导小组例会"),
    ("原则上一季度召开一次", "联席会议"),
    ("每年召集成员单位召开1次全体成员会议", "其他"),
    ("每年向领导小组书面报告1次", None),
])
def test_the_meeting_a_sentence_of_the_plan_sets_up(phrase, kind):
    sentence, end = meeting_clauses.clause(ZHENGZHOU_TEXT, phrase)
    assert phrase in sentence
    assert meeting_clauses.meeting_kind(sentence, end) == kind


def test_proposals_come_from_the_plans_meeting_deadlines_and_skip_meetings_already_set_up(demo_db):
    plan_id = zhengzhou(demo_db)
    proposed = meeting_proposals.propose_meetings(demo_db, plan_id, DEMO_TODAY)
    kinds = {p["kind"]: p for p in proposed}
    # the quarter's joint meeting is already on the calendar in the demo; the half-year one is not
    assert "联席会议" not in kinds
    assert kinds["领导小组例会"]["date"] == "2026-12-31" and kinds["领导小组例会"]["period_label"] == "2026年下半年"
    assert all("书面报告" not in p["phrase"] for p in proposed)
    # accepting it removes it from the proposals, with the plan's units as members
    meeting_id = meetings.accept_proposal(demo_db, SYSTEM, kinds["领导小组例会"])
    assert "领导小组例会" not in {p["kind"] for p in meeting_proposals.propose_meetings(demo_db, plan_id, DEMO_TODAY)}
    m = meetings.get_meeting(demo_db, SYSTEM, meeting_id)
    expected = demo_db.conn.execute("SELECT count(DISTINCT u.department_id) FROM task_units u JOIN tasks t "
                                    "ON t.id=u.task_id WHERE t.plan_id=? AND t.removed=0", [plan_id]).fetchone()[0]
    assert len(m["units"]) == expected and [p["id"] for p in m["plans"]] == [plan_id]
    # next quarter the joint meeting is proposed again
    later = meeting_proposals.propose_meetings(demo_db, plan_id, dt.date(2027, 1, 5))
    assert any(p["kind"] == "联席会议" and p["period_label"] == "2027年第1季度" for p in later)


def test_a_plan_without_meeting_clauses_proposes_nothing(demo_db):
    others = [p["id"] for p in meetings.list_plans(demo_db, SYSTEM) if p["id"] != zhengzhou(demo_db)]
    assert all(meeting_proposals.propose_meetings(demo_db, p, DEMO_TODAY) == [] for p in others)


def test_member_units_are_asked_once_when_the_notice_day_comes(demo_db):
    upcoming = demo_db.conn.execute("SELECT * FROM meetings WHERE date > ?", [DEMO_TODAY.isoformat()]).fetchone()
    notice_day = dt.date.fromisoformat(upcoming["date"]) - dt.timedelta(days=upcoming["remind_days"])
    assert update_requests.send_update_requests(demo_db, notice_day - dt.timedelta(days=1)) == []
    sent = update_requests.send_update_requests(demo_db, notice_day)
    units = count(demo_db, f"meeting_units WHERE meeting_id={upcoming['id']}")
    assert len(sent) == units
    assert update_requests.send_update_requests(demo_db, notice_day + dt.timedelta(days=1)) == []
    status = update_requests.reporting_status(demo_db, SYSTEM, upcoming["id"], notice_day)
    assert all(u["asked_on"] == notice_day.isoformat() for u in status["units"])
    # the request reached the department through the reminder outbox or its inbox
    keys = [r[0] for r in demo_db.conn.execute("SELECT ref FROM outbox WHERE ref LIKE 'meeting:%'")]
    inbox = count(demo_db, "notifications WHERE kind IN ('meeting', 'message') AND title LIKE '%报送工作进展%'")
    assert keys or inbox
    assert len(set(keys)) <= units


def test_who_has_reported_since_the_period_start(demo_db):
    upcoming = demo_db.conn.execute("SELECT id FROM meetings WHERE date > ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    before = update_requests.reporting_status(demo_db, SYSTEM, upcoming, DEMO_TODAY)
    assert before["start"] == "2026-09-26"  # the demo's last pack locked the period up to the last meeting
    department, _ = _report_as(demo_db, "zz-minzheng", DEMO_TODAY, "会前报送:本季度新增助餐点12个。")
    after = update_requests.reporting_status(demo_db, SYSTEM, upcoming, DEMO_TODAY)
    row = next(u for u in after["units"] if u["department_id"] == department)
    old = next(u for u in before["units"] if u["department_id"] == department)
    assert row["reported"] and row["last_report"] == DEMO_TODAY.isoformat() and row["reports"] == old["reports"] + 1
    assert after["reported"] == before["reported"] + (0 if old["reported"] else 1)
    assert after["missing"] == len(after["units"]) - after["reported"]
    # reports dated before the period start do not count: the count equals those since the start
    since = demo_db.conn.execute(
        "SELECT count(*) FROM reports WHERE department_id=? AND reported_on >= '2026-09-26'",
        [department]).fetchone()[0]
    assert row["reports"] == since


def test_a_held_meeting_counts_the_reports_of_its_own_period(demo_db):
    held = demo_db.conn.execute("SELECT id, date FROM meetings WHERE date < ?", [DEMO_TODAY.isoformat()]).fetchone()
    status = update_requests.reporting_status(demo_db, SYSTEM, held["id"], DEMO_TODAY)
    assert status["period"] == "2026年第1期" and status["until"] == held["date"]
    assert all(u["last_report"] is None or u["last_report"] <= held["date"] for u in status["units"])


def test_meetings_are_for_the_office_and_leaders(demo_db):
    liaison, leader = user(demo_db, "zz-minzheng"), user(demo_db, "lingdao")
    with pytest.raises(AccessDenied):
        meetings.list_meetings(demo_db, liaison)
    assert meetings.list_meetings(demo_db, leader)
    before = count(demo_db, "meetings")
    with pytest.raises(AccessDenied):
        meetings.create_meeting(demo_db, leader, "联席会议", "2026-12-20", [zhengzhou(demo_db)])
    with pytest.raises(AccessDenied):
        update_requests.send_update_requests(demo_db, DEMO_TODAY, leader)
    assert count(demo_db, "meetings") == before


@pytest.mark.parametrize("kind, date, plans, message", [
    ("茶话会", "2026-12-20", None, "会议类型"),
    ("联席会议", "2026-13-01", None, "日期格式不正确"),
    ("联席会议", "2026-12-20", [], "至少选择一个规划"),
    ("联席会议", "2026-12-20", [9999], "规划不存在"),
])
def test_bad_meeting_input_is_refused_in_chinese_and_changes_nothing(demo_db, kind, date, plans, message):
    before = count(demo_db, "meetings")
    with pytest.raises(InputError, match=message):
        meetings.create_meeting(demo_db, SYSTEM, kind, date, [zhengzhou(demo_db)] if plans is None else plans)
    assert count(demo_db, "meetings") == before


def test_decisions_wait_for_the_meeting_and_need_a_lead_unit(demo_db):
    upcoming = demo_db.conn.execute("SELECT id FROM meetings WHERE date > ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    held = demo_db.conn.execute("SELECT id FROM meetings WHERE date < ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    unit = demo_db.conn.execute("SELECT department_id FROM meeting_units WHERE meeting_id=?", [held]).fetchone()[0]
    tasks = count(demo_db, "tasks")
    with pytest.raises(InputError, match="尚未召开"):
        decisions.record_decision(demo_db, SYSTEM, upcoming, "提前录入", [unit], [], "2027-01-01", DEMO_TODAY)
    with pytest.raises(InputError, match="牵头单位"):
        decisions.record_decision(demo_db, SYSTEM, held, "无牵头单位", [], [unit], "2027-01-01", DEMO_TODAY)
    with pytest.raises(InputError, match="完成时限"):
        decisions.record_decision(demo_db, SYSTEM, held, "时限错误", [unit], [], "明年", DEMO_TODAY)
    assert count(demo_db, "tasks") == tasks


@pytest.mark.parametrize("source", ["领导批示", "上级交办"])
def test_assigned_tasks_carry_their_source(demo_db, source):
    from duban.services.tasks import list_tasks

    department = demo_db.conn.execute("SELECT id FROM departments ORDER BY id LIMIT 1").fetchone()[0]
    task_id = decisions.add_assigned_task(demo_db, SYSTEM, source, f"{source}测试任务", [department], [],
                                          "2026-12-31", DEMO_TODAY, source_note="市长批示第12号")
    [row] = list_tasks(demo_db, SYSTEM, DEMO_TODAY, task_ids=[task_id])
    assert row.source == source and row.source_note == "市长批示第12号" and row.next_due == "2026-12-31"
    assert any(h["id"] == task_id for h in decisions.assigned_tasks(demo_db, SYSTEM))
    with pytest.raises(InputError):
        decisions.add_assigned_task(demo_db, SYSTEM, "规划", "来源错误", [department], [], "2026-12-31", DEMO_TODAY)


def test_current_period_is_stable_until_the_next_lock(demo_db):
    first = reporting_periods.current_period(demo_db, DEMO_TODAY)
    assert first == reporting_periods.current_period(demo_db, DEMO_TODAY + dt.timedelta(days=5))
    reporting_periods.lock_period(demo_db, SYSTEM, DEMO_TODAY)
    second = reporting_periods.current_period(demo_db, DEMO_TODAY)
    assert second != first and second.startswith("2026年第")
    row = demo_db.conn.execute("SELECT start FROM report_periods WHERE label=?", [second]).fetchone()
    assert row["start"] == (DEMO_TODAY + dt.timedelta(days=1)).isoformat()


def test_current_period_on_an_empty_database_starts_today(db):
    assert reporting_periods.current_period(db, dt.date(2027, 3, 2)) == "2027年第1期"
    assert db.conn.execute("SELECT start FROM report_periods").fetchone()[0] == "2027-03-02"
