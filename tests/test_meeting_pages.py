"""The 会议 and 考核 pages as the office and a leader use them (AppTest on the demo database)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import DEMO_TODAY
from tests.support import app_as

MEETINGS, ASSESSMENT = "pages/meetings.py", "pages/assessment.py"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
                     + [i.value for i in at.info] + [e.value for e in at.error])


def table(at, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_office_sees_proposals_meetings_and_who_has_reported(demo_db):
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    shown = texts(at)
    assert "郑州市2026年下半年领导小组例会" in shown and "原则上每半年召开一次" in shown
    listed = table(at, "类型")
    assert list(listed["名称"]) == ["郑州市2026年第4季度联席会议(12月31日)", "郑州市2026年第3季度联席会议(9月25日)"]
    units = table(at, "是否已报送")
    members = demo_db.conn.execute("SELECT count(*) FROM meeting_units mu JOIN meetings m ON m.id=mu.meeting_id "
                                   "WHERE m.date > ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    assert len(units) == members
    reported = int((units["是否已报送"] == "已报送").sum())
    assert [m.value for m in at.metric][:3] == [str(members), str(reported), str(members - reported)]


def test_office_accepts_a_proposal(demo_db):
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    accept = next(b for b in at.button if b.label == "采纳")
    ok(accept.click().run())
    assert demo_db.conn.execute("SELECT count(*) FROM meetings").fetchone()[0] == 3
    assert "已安排" in texts(at)


def test_building_the_pack_on_the_page_locks_the_period_and_offers_both_files(demo_db):
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    ok(at.button(key="build_pack").click().run())
    assert "报送期 2026年第2期 的会议材料已生成" in texts(at)
    row = demo_db.conn.execute("SELECT end, locked_at, snapshot FROM report_periods WHERE label='2026年第2期'").fetchone()
    assert row["end"] == DEMO_TODAY.isoformat() and row["locked_at"] and row["snapshot"]
    tasks = demo_db.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]
    assert at.metric[3].label == "任务" and at.metric[3].value == str(tasks)
    downloads = [d.proto.label for d in at.get("download_button")]
    assert "下载会议材料(Word)" in downloads and "下载工作台账(Excel)" in downloads
    periods = table(at, "报送期")
    assert list(periods["状态"]) == ["已锁定", "已锁定"]


def test_office_records_a_decision_after_the_meeting(demo_db):
    held = demo_db.conn.execute("SELECT id FROM meetings WHERE date < ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    lead, co = [r[0] for r in demo_db.conn.execute(
        "SELECT department_id FROM meeting_units WHERE meeting_id=? ORDER BY department_id LIMIT 2", [held])]
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    ok(at.selectbox(key="meeting_pick").set_value(held).run())
    at.text_input(key="dec_title").input("推动养老机构消防安全达标改造")
    at.multiselect(key="dec_lead").set_value([lead])
    at.multiselect(key="dec_co").set_value([co])
    at.date_input(key="dec_due").set_value(dt.date(2027, 3, 31))
    ok(button(at, "保存议定事项").click().run())
    row = demo_db.conn.execute("SELECT id, source, meeting_id FROM tasks WHERE title='推动养老机构消防安全达标改造'").fetchone()
    assert row and row["source"] == "议定事项" and row["meeting_id"] == held
    units = demo_db.conn.execute("SELECT department_id, role FROM task_units WHERE task_id=? ORDER BY role DESC",
                                 [row["id"]]).fetchall()
    assert [tuple(u) for u in units] == [(lead, "lead"), (co, "co")]
    assert "已录入议定事项" in texts(at)
    decisions = table(at, "事项")
    assert "推动养老机构消防安全达标改造" in list(decisions["事项"])


def test_a_decision_without_a_lead_unit_is_refused_on_the_page(demo_db):
    held = demo_db.conn.execute("SELECT id FROM meetings WHERE date < ?", [DEMO_TODAY.isoformat()]).fetchone()[0]
    before = demo_db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    ok(at.selectbox(key="meeting_pick").set_value(held).run())
    at.text_input(key="dec_title").input("没有牵头单位的事项")
    ok(button(at, "保存议定事项").click().run())
    assert "请至少指定一个牵头单位" in texts(at)
    assert demo_db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == before


def test_office_adds_a_leaders_instruction_by_hand(demo_db):
    department = demo_db.conn.execute("SELECT id FROM departments ORDER BY id LIMIT 1").fetchone()[0]
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    at.selectbox(key="hand_source").set_value("领导批示")
    at.text_input(key="hand_note").input("市长批示〔2026〕8号")
    at.text_input(key="hand_title").input("研究解决社区食堂场地问题")
    at.multiselect(key="hand_lead").set_value([department])
    ok(button(at, "保存任务").click().run())
    row = demo_db.conn.execute("SELECT source, source_note FROM tasks WHERE title='研究解决社区食堂场地问题'").fetchone()
    assert tuple(row) == ("领导批示", "市长批示〔2026〕8号")
    assert "研究解决社区食堂场地问题" in list(table(at, "来源说明")["任务"])


def test_leader_reads_meetings_but_cannot_build_or_record(demo_db):
    at = ok(app_as(demo_db, "lingdao", MEETINGS))
    keys = {b.key for b in at.button}
    assert "build_pack" not in keys and "send_requests" not in keys
    assert not any(b.label in ("采纳", "保存议定事项", "保存任务") for b in at.button)
    assert table(at, "类型") is not None


def test_duty_report_is_generated_from_the_meetings_page(demo_db):
    at = ok(app_as(demo_db, "bangong", MEETINGS))
    ok(at.button(key="duty_build").click().run())
    assert any(d.proto.label.endswith("年度履职情况报告(草稿).docx") for d in at.get("download_button"))


def test_assessment_page_shows_the_rule_and_the_scores(demo_db):
    at = ok(app_as(demo_db, "lingdao", ASSESSMENT))
    assert "得分 = 基础分 30" in texts(at)
    scores = table(at, "得分")
    departments = demo_db.conn.execute("SELECT count(DISTINCT u.department_id) FROM task_units u JOIN tasks t "
                                 "ON t.id=u.task_id WHERE t.removed=0").fetchone()[0]
    assert len(scores) == departments
    ranked = scores[scores["名次"] != "—"]
    assert ranked["得分"].astype(float).between(0, 100).all()
    # units with nothing due are listed apart, after the ranked ones, with no rank and no score
    apart = scores[scores["名次"] == "—"]
    assert (apart["得分"] == "—").all()
    assert "本期无到期事项" in texts(at)
    assert "调整计分规则" not in [e.label for e in at.expander]
    labels = [d.proto.label for d in at.get("download_button")]
    assert "导出 Excel" in labels and "导出 CSV" in labels


def test_office_changes_the_rule_on_the_assessment_page(demo_db):
    at = ok(app_as(demo_db, "bangong", ASSESSMENT))
    before = pd.to_numeric(table(at, "得分").set_index("单位")["得分"], errors="coerce")
    at.number_input(key="rule_base").set_value(20.0)
    ok(button(at, "保存规则").click().run())
    assert "得分 = 基础分 20" in texts(at)
    after = pd.to_numeric(table(at, "得分").set_index("单位")["得分"], errors="coerce")
    assert (after.max() <= 90) and after.sum() < before.sum()


def test_assessment_for_a_locked_period_and_a_place(demo_db):
    at = ok(app_as(demo_db, "bangong", ASSESSMENT))
    ok(at.radio(key="assess_period").set_value("2026年第1期").run())
    assert "考核期 2026年1月1日 至 2026年9月25日" in texts(at)
    ok(at.selectbox(key="assess_place").set_value("郑州市").run())
    scores = table(at, "得分")
    ranked = [r for r in scores["名次"] if r != "—"]
    assert set(scores["地区"]) == {"郑州市"} and ranked == [str(n) for n in range(1, len(ranked) + 1)]
    assert list(scores["名次"])[len(ranked):] == ["—"] * (len(scores) - len(ranked))
