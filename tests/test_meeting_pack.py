"""The meeting pack and ledger, opened as a user opens them, checked against the demo database."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time

import pytest
from docx import Document
from openpyxl import load_workbook

from duban.access import SYSTEM
from duban.reports import meeting_pack
from duban.services import decisions, meetings, reporting_periods
from duban.services import meeting_pack as meeting_pack_figures
from duban.services.users import actor_for
from tests.conftest import DEMO_TODAY, ROOT

TODAY = DEMO_TODAY.isoformat()


# ---------------------------------------------------------------- reading the files back

def docx_table(doc: Document, first_header: str, second_header: str | None = None) -> list[dict]:
    """The rows of the table whose header starts with these cells, as dicts by header."""
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[0] == first_header and (second_header is None or head[1] == second_header):
            return [dict(zip(head, [c.text for c in row.cells], strict=True)) for row in table.rows[1:]]
    raise AssertionError(f"no table headed {first_header} {second_header}")


def docx_text(doc: Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def ledger_rows(data: bytes) -> tuple[list[str], list[list]]:
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


# ---------------------------------------------------------------- what the database says

def db_counts(db) -> dict:
    one = lambda sql, *a: db.conn.execute(sql, a).fetchone()[0]  # noqa: E731
    return {
        "tasks": one("SELECT count(*) FROM tasks WHERE removed=0"),
        "closed": one("SELECT count(*) FROM tasks WHERE removed=0 AND status='已销号'"),
        "in_progress": one("SELECT count(*) FROM tasks WHERE removed=0 AND status='推进中'"),
        "coordination": one("SELECT count(*) FROM tasks WHERE removed=0 AND status='需协调'"),
        "overdue": one("SELECT count(*) FROM tasks t WHERE removed=0 AND status!='已销号' AND EXISTS "
                       "(SELECT 1 FROM instances i WHERE i.task_id=t.id AND i.state='open' AND i.due < ?)", TODAY),
    }


def db_overdue(db, plan_id=None) -> list[tuple[str, str, int]]:
    """(title, earliest overdue due date, days overdue) of every overdue task."""
    sql = ("SELECT t.title, min(i.due) FROM tasks t JOIN instances i ON i.task_id=t.id WHERE t.removed=0 "
           "AND t.status!='已销号' AND i.state='open' AND i.due < ?")
    args: list = [TODAY]
    if plan_id is not None:
        sql += " AND (t.plan_id=? OR t.meeting_id IN (SELECT meeting_id FROM meeting_plans WHERE plan_id=?))"
        args += [plan_id, plan_id]
    rows = db.conn.execute(sql + " GROUP BY t.id", args).fetchall()
    return sorted((r[0], r[1], (DEMO_TODAY - dt.date.fromisoformat(r[1])).days) for r in rows)


def zhengzhou(db) -> int:
    return db.conn.execute("SELECT p.id FROM plans p JOIN jurisdictions j ON j.id=p.jurisdiction_id "
                           "WHERE j.name='郑州市'").fetchone()[0]


@pytest.fixture
def pack(demo_db):
    return meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)


# ---------------------------------------------------------------- the Word pack

def test_pack_summary_figures_are_the_database_counts(demo_db, pack):
    doc = Document(io.BytesIO(pack.docx))
    expected = db_counts(demo_db)
    [summary] = docx_table(doc, "任务总数")
    assert int(summary["任务总数"]) == expected["tasks"]
    assert int(summary["已销号"]) == expected["closed"]
    assert int(summary["推进中"]) == expected["in_progress"]
    assert int(summary["逾期"]) == expected["overdue"]
    assert int(summary["需协调"]) == expected["coordination"]
    text = docx_text(doc)
    assert f"纳入督办的重点任务共{expected['tasks']}项" in text
    assert f"逾期{expected['overdue']}项" in text
    assert expected["overdue"] > 0 and expected["closed"] > 0  # the demo has something to show


def test_pack_on_time_rate_is_closed_on_time_over_due(demo_db, pack):
    due = demo_db.conn.execute(
        "SELECT count(*), sum(i.state='closed' AND substr(i.closed_at,1,10) <= i.due) FROM instances i "
        "JOIN tasks t ON t.id=i.task_id WHERE t.removed=0 AND (i.state='closed' OR "
        "(i.state='open' AND i.due < ? AND t.status!='已销号'))", [TODAY]).fetchone()
    doc = Document(io.BytesIO(pack.docx))
    [summary] = docx_table(doc, "任务总数")
    assert summary["按时完成率"] == f"{due[1] / due[0] * 100:.1f}%"


def test_pack_lists_every_overdue_task_with_its_lead_deadline_and_days(demo_db, pack):
    doc = Document(io.BytesIO(pack.docx))
    rows = docx_table(doc, "序号", "任务")
    listed = sorted((r["任务"], r["完成时限"].rsplit("(", 1)[1].rstrip(")"), int(r["逾期天数"])) for r in rows)
    assert listed == db_overdue(demo_db)
    # each row names the lead unit and carries the latest report (or says there is none)
    leads = demo_db.conn.execute(
        "SELECT t.title, (SELECT group_concat(name, '、') FROM (SELECT d.name FROM task_units u JOIN departments d "
        "ON d.id=u.department_id WHERE u.task_id=t.id AND u.role='lead' ORDER BY u.position)) FROM tasks t "
        "WHERE t.removed=0 AND t.status!='已销号' AND EXISTS (SELECT 1 FROM instances i WHERE i.task_id=t.id "
        "AND i.state='open' AND i.due < ?)", [TODAY]).fetchall()
    assert sorted((r["任务"], r["牵头单位"]) for r in rows) == sorted(tuple(x) for x in leads)
    assert all(r["最新进展"] for r in rows)


def test_pack_department_table_counts_lead_and_shared_tasks(demo_db):
    plan_id = zhengzhou(demo_db)
    pack = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY, plan_id=plan_id)
    doc = Document(io.BytesIO(pack.docx))
    rows = {r["单位"]: r for r in docx_table(doc, "单位", "牵头任务")}
    expected = demo_db.conn.execute(
        "SELECT d.name, sum(u.role='lead'), sum(u.role='co') FROM task_units u JOIN tasks t ON t.id=u.task_id "
        "JOIN departments d ON d.id=u.department_id WHERE t.removed=0 AND (t.plan_id=? OR t.meeting_id IN "
        "(SELECT meeting_id FROM meeting_plans WHERE plan_id=?)) GROUP BY d.id", [plan_id, plan_id]).fetchall()
    assert len(rows) == len(expected)
    for name, led, shared in expected:
        assert (int(rows[name]["牵头任务"]), int(rows[name]["配合任务"])) == (led, shared)
    assert sorted((r["任务"], int(r["逾期天数"])) for r in docx_table(doc, "序号", "任务")) == \
        sorted((t, d) for t, _, d in db_overdue(demo_db, plan_id))
    assert "郑州市" in docx_text(doc) and "成员单位考核得分" in docx_text(doc)


def test_pack_sets_chinese_fonts(pack):
    doc = Document(io.BytesIO(pack.docx))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    normal = doc.styles["Normal"].element.rPr.find(f"{w}rFonts")
    assert normal.get(f"{w}eastAsia") == "仿宋"
    fonts = {r.element.rPr.find(f"{w}rFonts").get(f"{w}eastAsia") for p in doc.paragraphs for r in p.runs
             if r.element.rPr is not None and r.element.rPr.find(f"{w}rFonts") is not None}
    assert {"黑体", "仿宋"} <= fonts


def test_pack_includes_off_track_indicators_and_coming_deadlines(demo_db, pack):
    doc = Document(io.BytesIO(pack.docx))
    text = docx_text(doc)
    assert "五、指标进展偏离情况" in text and "六、未来三个月到期事项" in text
    upcoming = docx_table(doc, "序号", "到期日")
    end = dt.date(2027, 2, 22).isoformat()
    expected = demo_db.conn.execute(
        "SELECT count(*) FROM instances i JOIN tasks t ON t.id=i.task_id WHERE t.removed=0 AND t.status!='已销号' "
        "AND i.state='open' AND i.due BETWEEN ? AND ?", [TODAY, end]).fetchone()[0]
    assert len(upcoming) == expected
    assert all(TODAY <= r["到期日"] <= end for r in upcoming)


# ---------------------------------------------------------------- the ledger

def test_ledger_has_one_row_per_task_and_unit(demo_db, pack):
    header, rows = ledger_rows(pack.xlsx)
    assert header[:8] == ["序号", "重点任务", "牵头单位", "责任单位", "完成时限", "进展情况", "状态", "红黄绿灯"]
    expected = demo_db.conn.execute(
        "SELECT t.title, d.name, t.status FROM task_units u JOIN tasks t ON t.id=u.task_id "
        "JOIN departments d ON d.id=u.department_id WHERE t.removed=0").fetchall()
    assert len(rows) == len(expected)

    def bare(title: str) -> str:
        return title.split(". ", 1)[1] if ". " in title else title

    assert sorted((bare(r[1]), r[3], r[6]) for r in rows) == sorted(tuple(e) for e in expected)
    assert {r[7] for r in rows} <= {"红", "黄", "绿"}
    red = {bare(r[1]) for r in rows if r[7] == "红"}
    assert red == {t for t, _, _ in db_overdue(demo_db)}


def test_ledger_is_laid_out_to_print(pack):
    ws = load_workbook(io.BytesIO(pack.xlsx)).active
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.cell(4, 2).alignment.wrap_text and ws.cell(4, 6).alignment.wrap_text
    assert ws.column_dimensions["F"].width > ws.column_dimensions["A"].width
    fills = {ws.cell(r, 8).value: ws.cell(r, 8).fill.fgColor.rgb for r in range(4, ws.max_row + 1)}
    assert fills["红"].endswith("F8D7DA") and fills["绿"].endswith("D4EDDA")
    assert ws.cell(4, 7).fill.fgColor.rgb not in (None, "00000000")
    assert ws["A1"].value.endswith("工作台账")


# ---------------------------------------------------------------- the period lock

def _report_as(db, username: str, today: dt.date, text: str) -> tuple[int, int]:
    from duban.services.reports import file_report

    user = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0]
    actor = actor_for(db, user)
    department = sorted(actor.department_ids)[0]
    task = db.conn.execute("SELECT t.id FROM tasks t JOIN task_units u ON u.task_id=t.id WHERE u.department_id=? "
                           "AND t.removed=0 AND t.status NOT IN ('已销号', '已完成(待审核)') ORDER BY t.id LIMIT 1",
                           [department]).fetchone()[0]
    file_report(db, actor, task, text, 50, "推进中", today)
    return department, task


def test_building_the_pack_locks_the_period_and_later_reports_go_to_the_next(demo_db):
    first = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    period = demo_db.conn.execute("SELECT * FROM report_periods WHERE label=?", [first.period]).fetchone()
    assert period["locked_at"] and period["end"] == TODAY
    stored = json.loads(period["snapshot"])["all"]
    assert stored["summary"] == first.data["summary"]  # the pack's figures are the period's stored figures

    assert reporting_periods.current_period(demo_db, DEMO_TODAY) != first.period
    department, _ = _report_as(demo_db, "zz-minzheng", DEMO_TODAY, "锁定后报送的进展:已完成第二批站点验收。")

    again = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    assert again.reused and again.period == first.period and again.data == first.data
    assert again.docx and Document(io.BytesIO(again.docx)).tables

    later = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY + dt.timedelta(days=1))
    assert later.period != first.period and not later.reused
    name = demo_db.conn.execute("SELECT name FROM departments WHERE id=?", [department]).fetchone()[0]
    last = {d["id"]: d["last_report"] for d in later.data["departments"]}
    before = {d["id"]: d["last_report"] for d in first.data["departments"]}
    assert last[department] == TODAY and before.get(department) != TODAY, name
    assert any("第二批站点验收" in r["progress"] for r in later.data["ledger"])
    assert not any("第二批站点验收" in r["progress"] for r in first.data["ledger"])


def test_reports_without_a_period_fall_in_the_period_they_were_filed_in(demo_db):
    first = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    from db.queries import meetings as q

    locked = q.period(demo_db, first.period)
    cond, params = q.report_window(locked)
    counted = demo_db.conn.execute(f"SELECT count(*) FROM reports r WHERE {cond}", params).fetchone()[0]
    assert counted == demo_db.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    _report_as(demo_db, "zz-minzheng", DEMO_TODAY, "锁定之后的报告")
    assert demo_db.conn.execute(f"SELECT count(*) FROM reports r WHERE {cond}", params).fetchone()[0] == counted


def test_a_pack_for_a_day_before_a_locked_period_is_refused(demo_db):
    from duban.errors import InputError

    meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    before = demo_db.conn.execute("SELECT count(*) FROM report_periods").fetchone()[0]
    with pytest.raises(InputError):
        reporting_periods.lock_period(demo_db, SYSTEM, dt.date(2020, 1, 1))
    assert demo_db.conn.execute("SELECT count(*) FROM report_periods").fetchone()[0] == before


@pytest.mark.parametrize("renderer", ["meeting_pack.render_docx", "ledger.render_xlsx"])
def test_a_pack_that_fails_to_render_leaves_the_period_open_and_nothing_stored(demo_db, monkeypatch, renderer):
    from duban.errors import DubanError
    from duban.reports import ledger

    def broken(data):
        raise RuntimeError("模板损坏")

    module, name = renderer.split(".")
    monkeypatch.setattr({"meeting_pack": meeting_pack, "ledger": ledger}[module], name, broken)
    periods_before = [dict(r) for r in demo_db.conn.execute("SELECT * FROM report_periods ORDER BY id")]
    audit_before = demo_db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(DubanError, match="报送期未锁定"):
        meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    assert [dict(r) for r in demo_db.conn.execute("SELECT * FROM report_periods ORDER BY id")] == periods_before
    assert demo_db.conn.execute("SELECT count(*) FROM report_periods WHERE locked_at IS NOT NULL AND end=?",
                                [TODAY]).fetchone()[0] == 0
    assert demo_db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before

    monkeypatch.undo()  # once rendering works again, the pack is built and the period locked as usual
    built = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    assert built.docx and built.xlsx and not built.reused
    assert reporting_periods.current_period(demo_db, DEMO_TODAY) != built.period


def test_only_the_office_builds_a_pack(demo_db):
    from duban.errors import AccessDenied

    leader = actor_for(demo_db, demo_db.conn.execute("SELECT id FROM users WHERE username='lingdao'").fetchone()[0])
    with pytest.raises(AccessDenied):
        meeting_pack.build(demo_db, leader, DEMO_TODAY)
    assert demo_db.conn.execute("SELECT count(*) FROM report_periods WHERE end=?", [TODAY]).fetchone()[0] == 0


# ---------------------------------------------------------------- decisions carried into the next pack

def test_a_decision_becomes_a_task_with_its_units_and_deadline_and_is_in_the_next_pack(demo_db):
    from duban.services.tasks import get_task

    meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY)
    held = demo_db.conn.execute("SELECT id, title FROM meetings WHERE date < ? ORDER BY date DESC", [TODAY]).fetchone()
    units = [r[0] for r in demo_db.conn.execute(
        "SELECT department_id FROM meeting_units WHERE meeting_id=? ORDER BY department_id LIMIT 3", [held["id"]])]
    due = dt.date(2027, 1, 15)
    task_id = decisions.record_decision(demo_db, SYSTEM, held["id"], "建立托育机构消防验收会商机制", [units[0]],
                                        units[1:], due, DEMO_TODAY, body="由牵头单位会同配合单位制定会商办法。")
    task = get_task(demo_db, SYSTEM, task_id, DEMO_TODAY)
    assert task.source == "议定事项" and task.meeting_id == held["id"]
    assert [(u.id, u.role) for u in task.departments] == [(units[0], "lead"), (units[1], "co"), (units[2], "co")]
    assert [i.due for i in task.instances] == [due.isoformat()]
    assert task.deadlines[0].phrase == "2027年1月15日前"
    assert meetings.get_meeting(demo_db, SYSTEM, held["id"])["decisions"][-1]["id"] == task_id

    nxt = meeting_pack.build(demo_db, SYSTEM, DEMO_TODAY + dt.timedelta(days=3))
    doc = Document(io.BytesIO(nxt.docx))
    decided = docx_table(doc, "序号", "事项")
    mine = [d for d in decided if d["事项"] == "建立托育机构消防验收会商机制"]
    assert mine and mine[0]["完成时限"] == due.isoformat() and held["title"] in mine[0]["来源"]
    upcoming = [u for u in docx_table(doc, "序号", "到期日") if u["任务"] == "建立托育机构消防验收会商机制"]
    assert upcoming and upcoming[0]["到期日"] == due.isoformat()
    _, rows = ledger_rows(nxt.xlsx)
    assert sorted(r[3] for r in rows if r[1] == "建立托育机构消防验收会商机制") == sorted(
        demo_db.conn.execute("SELECT name FROM departments WHERE id=?", [d]).fetchone()[0] for d in units)


# ---------------------------------------------------------------- the command line

def test_cli_meeting_pack_writes_both_files(demo_db_path, tmp_path):
    out, xlsx = tmp_path / "pack.docx", tmp_path / "ledger.xlsx"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "duban", "meeting-pack", "--db", str(demo_db_path), "--today", TODAY,
         "--out", str(out), "--xlsx", str(xlsx)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    elapsed = time.perf_counter() - started
    print(f"\nmeeting-pack on the demo data: {elapsed:.2f} s")
    assert result.returncode == 0, result.stderr
    assert "报送期" in result.stdout
    doc = Document(str(out))
    [summary] = docx_table(doc, "任务总数")
    from db import connect

    db = connect(demo_db_path)
    try:
        assert int(summary["任务总数"]) == db_counts(db)["tasks"]
    finally:
        db.conn.close()
    header, rows = ledger_rows(xlsx.read_bytes())
    assert header[0] == "序号" and rows


def test_cli_meeting_pack_refuses_a_wrong_suffix_in_chinese(demo_db_path, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "duban", "meeting-pack", "--db", str(demo_db_path), "--today", TODAY,
         "--out", str(tmp_path / "pack.txt")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "输出文件应以 .docx 结尾" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- figures that agree

def test_a_units_on_time_rate_is_the_same_in_the_unit_table_and_in_the_scores(demo_db, pack):
    doc = Document(io.BytesIO(pack.docx))
    units = {r["单位"]: r["本年按时完成率"] for r in docx_table(doc, "单位", "牵头任务")}
    scores = {r["单位"]: r["按时完成率"] for r in docx_table(doc, "名次", "单位")}
    shared = set(units) & set(scores)
    assert len(shared) > 5
    assert {u: units[u] for u in shared} == {u: scores[u] for u in shared}


def test_units_with_nothing_due_are_listed_apart_and_never_ranked_first(demo_db, pack):
    doc = Document(io.BytesIO(pack.docx))
    rows = docx_table(doc, "名次", "单位")
    ranks = [r["名次"] for r in rows]
    apart = [r for r in rows if r["名次"] == "本期无到期事项"]
    assert apart, "the demo has units with nothing due this year"
    assert all(r["得分"] == "—" for r in apart)
    assert ranks[0] != "本期无到期事项"


def _overdue_leads(db, without_reports: bool) -> list[tuple[int, int]]:
    cond = " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.task_id=t.id)" if without_reports else ""
    return db.conn.execute(
        "SELECT t.id, u.department_id FROM tasks t JOIN task_units u ON u.task_id=t.id AND u.role='lead' "
        "WHERE t.removed=0 AND t.status!='已销号' AND EXISTS (SELECT 1 FROM instances i WHERE i.task_id=t.id "
        "AND i.state='open' AND i.due < ?)" + cond + " ORDER BY t.id", [TODAY]).fetchall()


def test_a_returned_report_is_marked_and_the_latest_accepted_progress_is_shown(demo_db):
    """An overdue task whose newest report was returned shows its last report that was not returned."""
    add = ("INSERT INTO reports (task_id, department_id, progress_text, claimed_status, review_state, reported_on) "
           "VALUES (?,?,?,?,?,?)")
    (task_a, department_a), (task_b, department_b) = _overdue_leads(demo_db, without_reports=True)[:2]
    demo_db.conn.execute(add, [task_a, department_a, "已采纳的进展甲", "推进中", "已采纳", "2026-11-10"])
    demo_db.conn.execute(add, [task_a, department_a, "被退回的进展乙", "推进中", "已退回", "2026-11-20"])
    demo_db.conn.execute(add, [task_b, department_b, "只有一份被退回的进展丙", "推进中", "已退回", "2026-11-20"])
    data = meeting_pack_figures.collect(demo_db, SYSTEM, DEMO_TODAY)
    shown = {o["task_id"]: o["report"] for o in data["overdue"]}
    assert "已采纳的进展甲" in shown[task_a] and "被退回的进展乙" not in shown[task_a]
    assert "进展丙" in shown[task_b] and shown[task_b].endswith("(已退回)")
