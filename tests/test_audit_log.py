"""Nothing is silently lost: every write that matters is one transaction that also writes its audit_log row —
if the audit row cannot be written, the write itself is not kept either."""
from __future__ import annotations

import datetime as dt

import pytest

from db.queries import audit
from duban.access import SYSTEM
from duban.errors import DubanError, InputError
from duban.reports import meeting_pack as meeting_pack_file
from duban.reports import notice
from duban.services import (
    assessment,
    check,
    cycles,
    decisions,
    departments,
    indicator_actuals,
    indicator_corrections,
    meetings,
    plan_import,
    reminder_rules,
    reporting_periods,
    reports,
    review,
    tasks,
    update_requests,
    users,
)
from duban.services import reminder_settings as settings
from duban.services.status import change_status
from tests.reports_world import PASSWORD, TODAY, actor, build
from tests.test_audit_input import state

DUE = [{"kind": "once", "due": "2026-12-31"}]


class AuditDown(Exception):
    """The audit log refused the row."""


@pytest.fixture
def world(db):
    w = build(db)
    ind = db.conn.execute("INSERT INTO indicators (plan_id, name, baseline, baseline_year, target, target_year, nature)"
                          " VALUES (?, '每千人口托位数', '2.5个', 2020, '4.5个', 2025, '预期性')", [w.plan]).lastrowid
    db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id) VALUES (?, ?)", [ind, w.b])
    w.indicator = ind
    return w


def _pending(db, w, claim: str = "已完成") -> int:
    return reports.file_report(db, actor(db, "zz-minzheng"), w.shared, "已全部建成", 100, claim, TODAY)


def _meeting(db, w, day: str = "2026-11-20") -> int:
    return meetings.create_meeting(db, actor(db, "bangong"), "联席会议", day, [w.plan])


def _import_sample():
    from tests.test_import import sample

    return sample()


# name -> (setup(db, world) -> context, action(db, world, context), audit action expected)
WRITES = {
    "report": (None, lambda db, w, c: reports.file_report(db, actor(db, "zz-minzheng"), w.shared, "完成选址", 30,
                                                          "推进中", TODAY), "填报进展"),
    "accept": (_pending, lambda db, w, c: review.accept(db, actor(db, "bangong"), c, TODAY), "审核通过"),
    "return": (_pending, lambda db, w, c: review.return_report(db, actor(db, "bangong"), c, "请补充佐证", TODAY),
               "退回报告"),
    "status": (None, lambda db, w, c: change_status(db, actor(db, "bangong"), w.shared, "需协调"), "状态变更"),
    "create account": (None, lambda db, w, c: users.create_user(db, actor(db, "bangong"), "zz-caizheng", PASSWORD,
                                                                "liaison", [w.a]), "创建账号"),
    "password": (None, lambda db, w, c: users.change_password(db, actor(db, "zz-minzheng"), "zz-minzheng",
                                                              "a-new-password"), "修改密码"),
    "disable account": (None, lambda db, w, c: users.set_active(db, actor(db, "bangong"), "zz-weijian", False),
                        "停用账号"),
    "session setting": (None, lambda db, w, c: users.set_session_minutes(db, actor(db, "bangong"), 45), "修改设置"),
    "assigned task": (None, lambda db, w, c: decisions.add_assigned_task(db, actor(db, "bangong"), "领导批示", "督查托育机构",
                                                                [w.a], [w.b], "2026-12-31", TODAY), "新增任务"),
    "meeting": (None, lambda db, w, c: _meeting(db, w, "2026-12-20"), "新建会议"),
    "decision": (_meeting, lambda db, w, c: decisions.record_decision(db, actor(db, "bangong"), c, "建立月调度机制",
                                                                     [w.a], [], "2026-12-31", TODAY), "新增任务"),
    "update requests": (lambda db, w: _meeting(db, w, "2026-11-30"),
                        lambda db, w, c: update_requests.send_update_requests(db, TODAY, actor(db, "bangong"), meeting_id=c),
                        "会前通知报送"),
    "period lock": (None, lambda db, w, c: reporting_periods.lock_period(db, actor(db, "bangong"), TODAY), "锁定报送期"),
    "meeting pack": (None, lambda db, w, c: meeting_pack_file.build(db, actor(db, "bangong"), TODAY), "生成会议材料"),
    "assessment rule": (None, lambda db, w, c: assessment.save_rule(db, actor(db, "bangong"), base=20),
                        "修改考核规则"),
    "notice": (None, lambda db, w, c: notice.build(db, actor(db, "bangong"), w.b, TODAY), "生成督办单"),
    "overdue scan": (None, lambda db, w, c: check.overdue_scan(db, TODAY), "逾期检查"),
    "indicator actual": (None, lambda db, w, c: indicator_actuals.report_actual(db, actor(db, "zz-weijian"), w.indicator,
                                                                         2025, "3.1个", "2025年统计年报", today=TODAY),
                         "填报指标实际值"),
    "indicator correction": (None, lambda db, w, c: indicator_corrections.correct_indicator(db, actor(db, "bangong"),
                                                                                 w.indicator, target="5个"),
                             "修正指标"),
    "reporting cycle": (None, lambda db, w, c: cycles.add_cycle(db, actor(db, "bangong"), w.plan, "monthly", day=28),
                        "设置填报周期"),
    "liaison": (None, lambda db, w, c: departments.set_liaison(db, actor(db, "bangong"), w.a, "张三", "0371-1234",
                                                               "zhangsan@example.gov.cn"), "修改联络员"),
    "reminder settings": (None, lambda db, w, c: settings.save_general(db, actor(db, "bangong"),
                                                                       {"office_name": "市养老托育工作领导小组办公室"}),
                          "修改提醒设置"),
    "mail settings": (None, lambda db, w, c: settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=25,
                                                                tls="none", user="duban", sender="duban@example.gov.cn",
                                                                password="smtp-secret-1"), "修改邮件设置"),
    "reminder rule": (None, lambda db, w, c: reminder_rules.save_rule(db, actor(db, "bangong"), "before", 3),
                      "新增提醒规则"),
    "plan import": (None, lambda db, w, c: plan_import.import_plan(db, SYSTEM, _import_sample(), "sample.txt", b"v1",
                                                             TODAY), "导入规划"),
}


def _audit_rows(db) -> list[dict]:
    return [dict(r) for r in db.conn.execute("SELECT * FROM audit_log ORDER BY id")]


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_leaves_an_audit_row_naming_who_did_it(db, world, name):
    setup, action, expected = WRITES[name]
    context = setup(db, world) if setup else None
    before = len(_audit_rows(db))
    action(db, world, context)
    new = _audit_rows(db)[before:]
    assert expected in [r["action"] for r in new], [r["action"] for r in new]
    row = next(r for r in new if r["action"] == expected)
    assert row["at"] and (row["username"] or name in ("overdue scan", "plan import")) is not None


@pytest.mark.parametrize("name", list(WRITES))
def test_a_write_whose_audit_row_fails_is_not_kept(db, world, name, monkeypatch):
    setup, action, _ = WRITES[name]
    context = setup(db, world) if setup else None
    before = state(db)

    def refuse(*args, **kwargs):
        raise AuditDown()

    monkeypatch.setattr(audit, "record", refuse)
    # the meeting pack tells the office in Chinese; the cause is still the failed audit row
    with pytest.raises((AuditDown, DubanError)) as failure:
        action(db, world, context)
    assert isinstance(failure.value, AuditDown) or isinstance(failure.value.__cause__, AuditDown)
    assert state(db) == before


def test_the_audit_row_of_a_report_says_what_was_claimed(db, world):
    rid = _pending(db, world)
    row = db.conn.execute("SELECT * FROM audit_log WHERE entity='report' AND entity_id=?", [rid]).fetchone()
    assert row["username"] == "zz-minzheng" and '"已完成"' in row["detail"] and '"percent": 100' in row["detail"]


def test_filing_a_report_opens_the_reporting_period_in_the_same_transaction(db, world, monkeypatch):
    """The first report of a period also opens the period; a report that fails leaves no period behind."""
    periods = db.conn.execute("SELECT count(*) FROM report_periods").fetchone()[0]
    with pytest.raises(InputError):
        reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "完成选址", 30, "推进中", TODAY,
                            supersedes_id=99999)
    assert db.conn.execute("SELECT count(*) FROM report_periods").fetchone()[0] == periods


def test_a_decision_task_and_its_audit_row_go_together(db, world):
    mid = _meeting(db, world)
    tid = decisions.record_decision(db, actor(db, "bangong"), mid, "建立月调度机制", [world.a], [world.b],
                                   dt.date(2026, 12, 31), TODAY)
    row = db.conn.execute("SELECT detail FROM audit_log WHERE entity='task' AND entity_id=? AND action='新增任务'",
                          [tid]).fetchone()
    assert row and f'"meeting_id": {mid}' in row[0]
    assert tasks.get_task(db, actor(db, "zz-weijian"), tid, TODAY).source == "议定事项"
