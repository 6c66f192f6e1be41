"""Department assessment: the rule on the page, applied to a plan whose history is known day by day."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from duban.access import SYSTEM, Actor
from duban.errors import AccessDenied, InputError
from duban.reports import assessment as assessment_sheet
from duban.services import assessment, plan_import
from tests.test_import import sample

TODAY = dt.date(2026, 3, 1)
START, END = "2025-01-01", "2026-01-31"


def department(db, like: str) -> int:
    return db.conn.execute("SELECT id FROM departments WHERE name LIKE ?", [like]).fetchone()[0]


def task(db, title: str) -> int:
    return db.conn.execute("SELECT id FROM tasks WHERE title=?", [title]).fetchone()[0]


def report(db, task_id: int, department_id: int, day: str, state: str = "已采纳") -> None:
    db.conn.execute("INSERT INTO reports (task_id, department_id, progress_text, claimed_status, review_state, "
                    "reported_on) VALUES (?,?,?,?,?,?)", [task_id, department_id, "进展", "推进中", state, day])


@pytest.fixture
def world(db):
    """样例市: the list task (yearly, due 31 May), the centre task (due end of 2025), the leadership task."""
    plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", dt.date(2024, 3, 1))
    mz, cz, wj = department(db, "市民政局"), department(db, "市财政局"), department(db, "%卫%")
    qx = department(db, "各区县政府")
    lst, centre, lead = task(db, "动态调整基本养老服务清单"), task(db, "建设区域养老服务中心"), task(db, "加强组织领导")
    close = "UPDATE instances SET state='closed', closed_at=? WHERE task_id=? AND due=?"
    db.conn.execute(close, ["2024-05-20 10:00:00", lst, "2024-05-31"])  # on time, before the window
    db.conn.execute(close, ["2025-06-10 09:00:00", lst, "2025-05-31"])  # ten days late
    report(db, lst, mz, "2025-05-01")          # within three months before the due date
    report(db, centre, mz, "2025-06-01")       # seven months early: not a report for that deadline
    report(db, lst, wj, "2025-05-30")
    report(db, lead, mz, "2025-07-01", "已退回")
    return {"mz": mz, "cz": cz, "wj": wj, "qx": qx}


def by_department(result: dict) -> dict:
    return {r["department_id"]: r for r in result["rows"]}


def test_scores_follow_the_rule_written_on_the_page(db, world):
    result = assessment.evaluate(db, SYSTEM, START, END, TODAY)
    rows = by_department(result)
    mz = rows[world["mz"]]
    # due in the window and led: the 2025 list update (closed late) and the centre (still open)
    assert (mz["lead_due"], mz["on_time"], mz["completion_rate"]) == (2, 0, 0.0)
    assert (mz["report_due"], mz["reported"], mz["report_rate"]) == (2, 1, 50.0)
    # late days inside the window: 10 for the list, 31 (to 31 January) for the centre; one item still open
    assert (mz["overdue_items"], mz["overdue_days"], mz["returned"]) == (1, 41, 1)
    assert mz["overdue_penalty"] == 2 * 1 + 41 // 30 == 3
    assert mz["score"] == 30 + 0 + 15 - 3 - 5 == 37
    # co-responsible units: nothing led, so they are judged by their reporting alone (its weight 30 + 40)
    assert rows[world["cz"]]["completion_rate"] is None and rows[world["cz"]]["score"] == 30 + 0
    assert rows[world["wj"]]["report_rate"] == 100.0 and rows[world["wj"]]["score"] == 30 + 70
    assert rows[world["qx"]]["score"] == 30
    assert [r["rank"] for r in result["rows"]] == [1, 2, 3, 4]
    # the busiest unit, which reported half its items, is not ranked below units that reported nothing
    assert [r["department_id"] for r in result["rows"]][:2] == [world["wj"], world["mz"]]
    assert "按时完成率 × 40" in result["rule_text"] and "每份被退回的报告扣 5 分" in result["rule_text"]


def test_an_overdue_item_carried_into_the_window_counts_only_its_days_inside(db, world):
    result = assessment.evaluate(db, SYSTEM, "2026-01-01", "2026-02-28", TODAY)
    mz = by_department(result)[world["mz"]]
    # the centre fell due before the window: not in the completion rate, but still overdue, every day of January and February
    assert (mz["lead_due"], mz["overdue_items"], mz["overdue_days"]) == (0, 1, 31 + 28)
    assert mz["completion_rate"] is None


def test_the_office_changes_the_rule_and_the_scores_follow(db, world):
    assessment.save_rule(db, SYSTEM, base=40, report_weight=20)
    result = assessment.evaluate(db, SYSTEM, START, END, TODAY)
    assert by_department(result)[world["mz"]]["score"] == 40 + 0 + 10 - 3 - 5
    assert "基础分 40" in result["rule_text"] and result["max_score"] == 100
    with pytest.raises(InputError, match="不能为负数"):
        assessment.save_rule(db, SYSTEM, base=-1)
    with pytest.raises(InputError, match="未知的计分项"):
        assessment.save_rule(db, SYSTEM, bonus=5)
    assert assessment.get_rule(db).base == 40


def test_leaders_read_scores_but_do_not_change_the_rule_and_liaisons_see_their_own(db, world):
    leader = Actor(user_id=None, username="lingdao", role="leader")
    assert len(assessment.evaluate(db, leader, START, END, TODAY)["rows"]) == 4
    with pytest.raises(AccessDenied):
        assessment.save_rule(db, leader, base=50)
    liaison = Actor(user_id=None, username="mz", role="liaison", department_ids=frozenset({world["mz"]}))
    assert [r["department_id"] for r in assessment.evaluate(db, liaison, START, END, TODAY)["rows"]] == [world["mz"]]


def test_a_period_ending_before_it_starts_is_refused(db, world):
    with pytest.raises(InputError, match="不能早于开始日期"):
        assessment.evaluate(db, SYSTEM, END, START, TODAY)
    with pytest.raises(InputError, match="格式不正确"):
        assessment.evaluate(db, SYSTEM, "去年", END, TODAY)


def test_scores_export_to_csv_and_excel(db, world):
    result = assessment.evaluate(db, SYSTEM, START, END, TODAY)
    rows = list(csv.reader(io.StringIO(assessment.to_csv(result).decode("utf-8-sig"))))
    assert rows[0][:4] == ["名次", "地区", "单位", "得分"] and len(rows) == 1 + len(result["rows"])
    assert {r[2] for r in rows[1:]} == {r["department"] for r in result["rows"]}
    ws = load_workbook(io.BytesIO(assessment_sheet.render_xlsx(result))).active
    assert ws["A3"].value == "名次" and ws.max_row == 3 + len(result["rows"])
    assert "计分规则" in ws["A2"].value
    assert float(ws.cell(4 + [r["department_id"] for r in result["rows"]].index(world["mz"]), 4).value) == 37


def test_score_is_never_below_zero():
    rule = assessment.Rule()
    worst = assessment.score(rule, 0.0, 0.0, 50, 5000, 20)
    assert worst["score"] == 0 and worst["overdue_penalty"] == rule.overdue_cap and worst["returned_penalty"] == 15


def test_a_unit_with_nothing_due_is_listed_apart_not_ranked_first(db, world):
    """In a window where only some units have anything due, the rest get no score and no rank."""
    result = assessment.evaluate(db, SYSTEM, "2025-05-01", "2025-06-30", TODAY)
    rows = result["rows"]
    apart = [r for r in rows if r["nothing_due"]]
    ranked = [r for r in rows if not r["nothing_due"]]
    assert apart and ranked
    assert all(r["rank"] is None and r["score"] is None and r["note"] == "本期无到期事项" for r in apart)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert rows[: len(ranked)] == ranked          # the ranked units come first
    csv_rows = list(csv.reader(io.StringIO(assessment.to_csv(result).decode("utf-8-sig"))))
    assert csv_rows[-1][0] == "" and csv_rows[-1][-1] == "本期无到期事项"
