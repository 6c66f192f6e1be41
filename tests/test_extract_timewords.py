"""Time as the plan states it: what sets a deadline, what is a duration, a budget year or a name, and
the review flags for time words no rule read."""
from __future__ import annotations

from datetime import date

import pytest

from duban.extract import extract_text
from duban.extract.timephrases import find_deadlines, read_times
from duban.rules.plan_periods import PLAN_END

WRITTEN = date(2024, 4, 10)


def dues(text: str) -> list:
    return [d.get("due") or (d["freq"], d.get("month"), d.get("day"))
            for d in find_deadlines(text, text, WRITTEN, WRITTEN)]


@pytest.mark.parametrize("text, expected", [
    ("三年内全面完成老旧管网改造", ["2027-04-10"]),
    ("2024年起3年内基本建成智慧停车系统", ["2026-12-31"]),
    ("自本方案印发之日起30日内制定细则", ["2024-05-10"]),
    ("上半年完成招标", ["2024-06-30"]),
    ("年中前完成首批验收", ["2024-06-30"]),
    ("年内完成试点", ["2024-12-31"]),
    ("每年新增培养护理员200人以上", [("yearly", 12, 31)]),
])
def test_phrases_that_set_a_deadline(text, expected):
    assert dues(text) == expected


@pytest.mark.parametrize("text", [
    "在三年之内对其辖区内项目实行绿色通道",  # how long a reward lasts
    "纳入下一年度部门预算",
    "在本年度预算中统筹安排",
    "分配年度补助资金时予以倾斜",
    "编制交通项目三年滚动计划",
    "提供24小时服务",
    "在下一年度实行免检",
])
def test_words_that_are_not_deadlines(text):
    assert dues(text) == []


def test_ongoing_task_has_no_deadline():
    text = ("云岭市河道治理方案\n为治理河道,制定本方案。\n一、重点任务\n"
            "(一)巡河护河。长期坚持河长巡河制度。(责任单位:市水务局)\n云岭市人民政府\n2024年4月10日\n")
    task = extract_text(text, "方案.txt")["tasks"][0]
    assert task["ongoing"] is True
    assert task["deadlines"] == []


def test_one_plan_year_map_in_the_vocabulary():
    assert PLAN_END["十四五"] == 2025
    assert dues("“十五五”期间完成改造") == ["2030-12-31"]


def test_time_words_no_rule_read_are_flagged():
    found, unread = read_times("按2023年8标准执行,2025年底前完成", "按2023年8标准执行,2025年底前完成", WRITTEN, WRITTEN)
    assert [d["due"] for d in found] == ["2025-12-31"]
    assert unread == ["2023年8标准执行"]
    _, unread = read_times("签订3年以上劳动合同", "签订3年以上劳动合同", WRITTEN, WRITTEN)
    assert unread == []


def test_task_flags_in_the_extracted_plan():
    text = ("云岭市河道治理方案\n为治理河道,制定本方案。\n一、重点任务\n"
            "(一)清理河道。按2023年8标准清淤。(责任单位:市水务局、住建局)\n"
            "(二)整治排口。2025年底前完成整治。(牵头单位:市生态环境局;配合单位:负责排口整治的工作专班)\n"
            "云岭市人民政府\n2024年4月10日\n")
    p = extract_text(text, "方案.txt")
    first, second = p["tasks"]
    codes = [(f["code"], f["detail"]) for f in first["flags"]]
    assert ("lead_guessed", "市水务局") in codes
    assert ("prefix_restored", "市住建局") in codes
    assert ("time_unread", "2023年8标准清淤") in codes
    assert [f["code"] for f in second["flags"]] == ["unit_odd"]
    assert p["meta_flags"] == []


def test_the_plans_own_span_sets_its_period():
    from duban.extract.meta import plan_period

    assert plan_period("云岭市老旧小区改造方案\n从2012年起5年内完成改造。", None, []) == {
        "start": "2012-01-01", "end": "2016-12-31"}
    assert plan_period("云岭市停车设施行动方案（2024—2026年）\n", None, []) == {
        "start": "2024-01-01", "end": "2026-12-31"}
    assert plan_period("云岭市停车设施行动方案（2024—2026年）\n", None, [2030])["end"] == "2030-12-31"
