"""A department's annual duty report draft, written from its tasks and reports."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from docx import Document

from duban.access import SYSTEM
from duban.errors import AccessDenied, NotFound
from duban.reports import duty_report as duty_report_file
from duban.services.users import actor_for
from tests.conftest import DEMO_TODAY, ROOT


def zz_minzheng(db) -> int:
    return db.conn.execute("SELECT d.id FROM departments d JOIN jurisdictions j ON j.id=d.jurisdiction_id "
                           "WHERE j.name='郑州市' AND d.name='市民政局'").fetchone()[0]


def test_the_draft_states_the_departments_tasks_and_reports_of_the_year(demo_db):
    department = zz_minzheng(demo_db)
    doc = Document(io.BytesIO(duty_report_file.build(demo_db, SYSTEM, department, 2026, DEMO_TODAY)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "市民政局2026年度履职情况报告"
    lead, co = demo_db.conn.execute(
        "SELECT sum(u.role='lead'), sum(u.role='co') FROM task_units u JOIN tasks t ON t.id=u.task_id "
        "WHERE u.department_id=? AND t.removed=0", [department]).fetchone()
    assert f"我单位共承担重点任务{lead + co}项,其中牵头{lead}项、配合{co}项" in text
    reports = demo_db.conn.execute("SELECT count(*), sum(review_state='已退回') FROM reports WHERE department_id=? "
                                   "AND reported_on BETWEEN '2026-01-01' AND ?",
                                   [department, DEMO_TODAY.isoformat()]).fetchone()
    assert f"全年报送工作进展{reports[0]}次,其中被退回补充{reports[1] or 0}次" in text
    for heading in ("一、基本情况", "二、主要工作及成效", "三、存在的问题", "四、下一步工作打算"):
        assert heading in text
    # the work section quotes the department's latest report on a task it reported on this year
    latest = demo_db.conn.execute("SELECT progress_text FROM reports WHERE department_id=? AND reported_on >= "
                                  "'2026-01-01' ORDER BY reported_on DESC, id DESC LIMIT 1", [department]).fetchone()[0]
    assert " ".join(latest.split()).rstrip("。") in text
    assert text.rstrip().endswith(f"{DEMO_TODAY.year}年{DEMO_TODAY.month}月{DEMO_TODAY.day}日")


def test_a_liaison_drafts_only_its_own_departments_report(demo_db):
    liaison = actor_for(demo_db, demo_db.conn.execute("SELECT id FROM users WHERE username='zz-minzheng'").fetchone()[0])
    assert duty_report_file.build(demo_db, liaison, zz_minzheng(demo_db), 2026, DEMO_TODAY)
    other = demo_db.conn.execute("SELECT id FROM departments WHERE name='市卫健委'").fetchone()[0]
    with pytest.raises(AccessDenied):
        duty_report_file.build(demo_db, liaison, other, 2026, DEMO_TODAY)
    with pytest.raises(NotFound):
        duty_report_file.build(demo_db, SYSTEM, 99999, 2026, DEMO_TODAY)


def test_cli_duty_report_writes_the_draft(demo_db_path, demo_db, tmp_path):
    out = tmp_path / "duty.docx"
    result = subprocess.run(
        [sys.executable, "-m", "duban", "duty-report", "--db", str(demo_db_path), "--dept", str(zz_minzheng(demo_db)),
         "--year", "2026", "--today", DEMO_TODAY.isoformat(), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Document(str(out)).paragraphs[0].text == "市民政局2026年度履职情况报告"
    bad = subprocess.run([sys.executable, "-m", "duban", "duty-report", "--db", str(demo_db_path), "--dept", "99999",
                          "--year", "2026", "--out", str(tmp_path / "x.docx")], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "部门不存在" in bad.stderr


def test_a_units_on_time_rate_in_its_duty_report_is_its_assessment_figure(demo_db):
    """The draft's 按时完成率 is the unit's 考核 row for the year so far: same counts, same rate."""
    from duban.services import assessment
    rows = assessment.evaluate(demo_db, SYSTEM, "2026-01-01", DEMO_TODAY.isoformat(), DEMO_TODAY)["rows"]
    scored = [r for r in rows if r["lead_due"]][:3]
    assert scored, "the demo has units with lead deadlines already due this year"
    for row in scored:
        doc = Document(io.BytesIO(duty_report_file.build(demo_db, SYSTEM, row["department_id"], 2026, DEMO_TODAY)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert (f"年内已到期的牵头事项{row['lead_due']}项,按时完成{row['on_time']}项,"
                f"按时完成率{row['completion_rate']:.1f}%") in text
