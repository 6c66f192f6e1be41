"""Bad input changes nothing: each bad value gets a Chinese message and the database stays as it was;
text that would break a Word or Excel file, or run as a spreadsheet formula, is stored and printed as text."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from duban.cli import main as cli_main
from duban.errors import DubanError
from duban.reports import assessment as assessment_sheet
from duban.reports import duty_report as duty_report_file
from duban.reports import ics, notice
from duban.reports import meeting_pack as meeting_pack_file
from duban.services import assessment, decisions, meetings, reports, review, tasks, users
from duban.services.status import change_status
from tests.reports_world import PASSWORD, TODAY, actor, build

TABLES = ("tasks", "task_units", "deadlines", "instances", "status_history", "reports", "evidence", "meetings",
          "report_periods", "users", "user_departments", "settings", "notifications", "audit_log")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(db):
    return build(db)


def state(db) -> dict:
    """Everything a bad input could have touched: row counts, task statuses, instance states, settings."""
    one = db.conn.execute
    out = {t: one(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    out["tasks_state"] = one("SELECT group_concat(id || status || progress) FROM tasks").fetchone()[0]
    out["instances_state"] = one("SELECT group_concat(id || state) FROM instances").fetchone()[0]
    out["reviews"] = one("SELECT group_concat(id || review_state) FROM reports").fetchone()[0]
    out["settings_values"] = one("SELECT group_concat(key || '=' || coalesce(value, '')) FROM settings").fetchone()[0]
    return out


def refused(db, call, *args, **kwargs) -> str:
    """Run a call that must be refused: a DubanError with a Chinese message, and nothing in the database changed."""
    before = state(db)
    with pytest.raises(DubanError) as info:
        call(*args, **kwargs)
    assert CHINESE.search(str(info.value)), str(info.value)
    assert state(db) == before
    return str(info.value)


# ---------------------------------------------------------------- the report form

@pytest.mark.parametrize("text, percent, claim, need, source", [
    ("", 50, "推进中", None, None),
    ("   \n  ", 50, "推进中", None, None),
    ("正常进展", -1, "推进中", None, None),
    ("正常进展", 101, "推进中", None, None),
    ("正常进展", "五十", "推进中", None, None),
    ("正常进展", None, "推进中", None, None),
    ("正常进展", 50, "已销号", None, None),
    ("正常进展", 50, "", None, None),
    ("进" * 5001, 50, "推进中", None, None),
    ("需要协调", 50, "需协调", "", ""),
    ("需要协调", 50, "需协调", "协" * 1001, "市财政局"),
])
def test_a_bad_report_form_is_refused_and_stores_nothing(db, world, text, percent, claim, need, source):
    refused(db, reports.file_report, db, actor(db, "zz-minzheng"), world.shared, text, percent, claim, TODAY,
            coordination_need=need, coordination_from=source)


def test_html_and_markdown_in_a_report_are_stored_exactly_as_typed(db, world):
    text = "<script>alert('x')</script> **粗体** [链接](http://example.com) :red[红字] $x^2$"
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, text, 10, "推进中", TODAY)
    assert reports.get_report(db, actor(db, "bangong"), rid)["progress_text"] == text


def test_control_characters_pasted_into_a_report_do_not_break_the_meeting_pack(db, world):
    a = actor(db, "zz-minzheng")
    rid = reports.file_report(db, a, world.shared, "第一行\x0b第二行\x00\x07完成选址", 30, "推进中", TODAY,
                              coordination_need=None)
    stored = reports.get_report(db, a, rid)["progress_text"]
    assert stored == "第一行\n第二行完成选址"
    pack = meeting_pack_file.build(db, actor(db, "bangong"), TODAY)
    ws = load_workbook(io.BytesIO(pack.xlsx)).active
    assert any("第二行完成选址" in str(c.value or "") for row in ws.iter_rows() for c in row)
    Document(io.BytesIO(pack.docx))
    assert duty_report_file.build(db, a, world.a, 2026, TODAY)


def test_control_characters_already_stored_still_print(db, world):
    """A task title holding a control character (as an older import could leave one) prints in every document."""
    db.conn.execute("UPDATE tasks SET title=? WHERE id=?", ["开展养老机构\x07安全检查\x1b", world.recurring])
    office = actor(db, "bangong")
    pack = meeting_pack_file.build(db, office, TODAY)
    doc = Document(io.BytesIO(pack.docx))
    assert "开展养老机构安全检查" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    load_workbook(io.BytesIO(pack.xlsx))
    Document(io.BytesIO(duty_report_file.build(db, office, world.a, 2026, TODAY)))
    Document(io.BytesIO(notice.build(db, office, world.a, TODAY).data))
    calendar = Calendar.from_ical(ics.department_calendar(db, office, world.a))
    assert "开展养老机构安全检查" in "".join(str(e.get("summary")) for e in calendar.walk("VEVENT"))


def test_a_task_title_starting_with_equals_is_text_in_the_ledger(db, world):
    office = actor(db, "bangong")
    title = '=HYPERLINK("http://example.com","点击查看")'
    tasks.add_task(db, office, title, [(world.a, "lead")], [{"kind": "once", "due": "2026-12-31"}], "领导批示",
                   today=TODAY)
    ws = load_workbook(io.BytesIO(meeting_pack_file.build(db, office, TODAY).xlsx)).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and title in c.value]
    assert cells and all(c.data_type == "s" and c.value == "'" + title for c in cells)


def test_assessment_exports_never_start_a_cell_with_a_formula(db, world):
    db.conn.execute("UPDATE departments SET name='=1+2' WHERE id=?", [world.a])
    result = assessment.evaluate(db, actor(db, "bangong"), "2026-01-01", "2026-11-22", TODAY)
    assert "'=1+2" in assessment.to_csv(result).decode("utf-8-sig")
    ws = load_workbook(io.BytesIO(assessment_sheet.render_xlsx(result))).active
    assert [(c.data_type, c.value) for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "=1+2" in c.value] == [("s", "'=1+2")]


# ---------------------------------------------------------------- review

def test_an_overlong_acceptance_note_is_refused_not_cut_short(db, world):
    rid = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "已完成", 100, "已完成", TODAY)
    refused(db, review.accept, db, actor(db, "bangong"), rid, TODAY, note="意" * 1001)
    refused(db, review.return_report, db, actor(db, "bangong"), rid, "\x00 \n", TODAY)


# ---------------------------------------------------------------- tasks, meetings, decisions

def test_an_assigned_task_with_bad_fields_is_refused(db, world):
    office = actor(db, "bangong")
    due = [{"kind": "once", "due": "2026-12-31"}]
    refused(db, tasks.add_task, db, office, "", [(world.a, "lead")], due, "领导批示")
    refused(db, tasks.add_task, db, office, "题" * 501, [(world.a, "lead")], due, "领导批示")
    refused(db, tasks.add_task, db, office, "任务", [(world.a, "lead")], due, "领导批示", body="文" * 20001)
    refused(db, tasks.add_task, db, office, "任务", [(world.a, "lead")], due, "领导批示", source_note="注" * 501)
    refused(db, tasks.add_task, db, office, "任务", [("市民政局", "lead")], due, "领导批示")
    refused(db, tasks.add_task, db, office, "任务", [(world.a, "lead")], [{"kind": "once", "due": "2026-02-30"}],
            "领导批示")
    refused(db, decisions.add_assigned_task, db, office, "领导批示", "任务", [world.a], [], "2026-13-01", TODAY)


def test_a_meeting_with_bad_fields_is_refused(db, world):
    office = actor(db, "bangong")
    refused(db, meetings.create_meeting, db, office, "联席会议", "2026-02-30", [world.plan])
    refused(db, meetings.create_meeting, db, office, "联席会议", "2026-12-10", [world.plan], title="会" * 201)
    refused(db, meetings.create_meeting, db, office, "联席会议", "2026-12-10", [world.plan], notes="记" * 2001)
    refused(db, meetings.create_meeting, db, office, "联席会议", "2026-12-10", [world.plan], remind_days=-1)
    refused(db, meetings.create_meeting, db, office, "联席会议", "2026-12-10", ["第一个"])


def test_a_decision_with_an_impossible_deadline_is_refused(db, world):
    office = actor(db, "bangong")
    mid = meetings.create_meeting(db, office, "联席会议", "2026-11-20", [world.plan])
    refused(db, decisions.record_decision, db, office, mid, "建立月调度机制", [world.a], [], "2026-02-30", TODAY)
    refused(db, decisions.record_decision, db, office, mid, "建立月调度机制", ["x"], [], "2026-12-30", TODAY)


def test_a_status_change_with_a_bad_percent_is_refused(db, world):
    office = actor(db, "bangong")
    refused(db, change_status, db, office, world.shared, "推进中", progress=-5)
    refused(db, change_status, db, office, world.shared, "推进中", progress=101)
    refused(db, change_status, db, office, world.shared, "进行中")


def test_task_list_filters_with_bad_ids_get_a_chinese_message(db, world):
    for bad in ({"plan_id": "abc"}, {"meeting_id": "1; DROP TABLE tasks"}, {"task_ids": ["x"]}):
        refused(db, tasks.list_tasks, db, actor(db, "bangong"), TODAY, **bad)


def test_ids_that_are_not_numbers_get_a_chinese_message(db, world):
    office, a = actor(db, "bangong"), actor(db, "zz-minzheng")
    refused(db, tasks.get_task, db, a, "abc", TODAY)
    refused(db, reports.task_reports, db, a, "1 OR 1=1")
    refused(db, reports.file_report, db, a, "x", "进展", 10, "推进中", TODAY)
    refused(db, reports.file_report, db, a, world.shared, "进展", 10, "推进中", TODAY, instance_id="第一期")
    refused(db, review.accept, db, office, "最新", TODAY)
    refused(db, meeting_pack_file.build, db, office, TODAY, plan_id="郑州")
    refused(db, meetings.get_meeting, db, office, "next")
    refused(db, tasks.get_task, db, a, "99999999999999999999999", TODAY)
    refused(db, tasks.get_task, db, a, -1, TODAY)


# ---------------------------------------------------------------- assessment and duty report

@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "-3", "abc", "1001"])
def test_an_assessment_weight_that_is_not_a_sensible_number_is_refused(db, world, value):
    refused(db, assessment.save_rule, db, actor(db, "bangong"), base=value)
    assert assessment.get_rule(db) == assessment.Rule()


def test_a_duty_report_for_a_bad_year_or_department_says_so(db, world):
    office = actor(db, "bangong")
    for department, year in ((world.a, "二〇二六"), (world.a, 1999), ("民政局", 2026), (99999, 2026)):
        refused(db, duty_report_file.build, db, office, department, year, TODAY)
    refused(db, assessment.evaluate, db, office, "2026-02-30", "2026-11-22", TODAY)


# ---------------------------------------------------------------- accounts

def test_an_account_with_bad_fields_is_refused(db, world):
    office = actor(db, "bangong")
    refused(db, users.create_user, db, office, "", PASSWORD, "office")
    refused(db, users.create_user, db, office, "new user", PASSWORD, "office")
    refused(db, users.create_user, db, office, "newuser", "short", "office")
    refused(db, users.create_user, db, office, "newuser", "p" * 257, "office")
    refused(db, users.create_user, db, office, "newuser", PASSWORD, "office", email="不是邮箱")
    refused(db, users.create_user, db, office, "newuser", PASSWORD, "office", display_name="名" * 65)
    refused(db, users.create_user, db, office, "newuser", PASSWORD, "liaison", department_ids=[99999])
    refused(db, users.change_password, db, office, "zz-minzheng", "p" * 257)
    assert users.authenticate(db, "zz-minzheng", "p" * 100_000) is None


# ---------------------------------------------------------------- the command line

@pytest.mark.parametrize("argv", [
    ["meeting-pack", "--today", "2026-02-30", "--out", "pack.docx"],
    ["meeting-pack", "--today", "2026-11-22", "--out", "pack.docx", "--plan", "99999"],
    ["duty-report", "--dept", "99999", "--year", "2026", "--out", "duty.docx", "--today", "2026-11-22"],
    ["duty-report", "--dept", "1", "--year", "1900", "--out", "duty.docx", "--today", "2026-11-22"],
])
def test_a_bad_command_line_value_gets_one_chinese_line_and_changes_nothing(db, db_path, world, tmp_path, capsys,
                                                                             monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    before = state(db)
    assert cli_main([*argv, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误:") and CHINESE.search(err) and "Traceback" not in err and "\n" not in err
    assert state(db) == before
    assert not (tmp_path / "pack.docx").exists() and not (tmp_path / "duty.docx").exists()

