"""Time phrases become once dates or recurring rules, each keeping the phrase as written."""
from __future__ import annotations

from datetime import date

import pytest

from duban.extract.normalize import half
from duban.extract.timephrases import deadlines_from_cell, find_deadlines, is_ongoing, is_ongoing_cell

REF = date(2024, 5, 8)


def found(text: str, ref: date | None = REF) -> list[dict]:
    return find_deadlines(half(text), text, ref)


def once(text: str, ref: date | None = REF) -> list[tuple[str, str]]:
    return [(d["due"], d["phrase"]) for d in found(text, ref) if d["kind"] == "once"]


@pytest.mark.parametrize("text, due, phrase", [
    ("2022年底前,全市建成养老服务中心100个", "2022-12-31", "2022年底前"),
    ("2024年底,旗县区服务中心建成率达到100%", "2024-12-31", "2024年底"),
    ("力争到2025年每个乡镇有一个公办托育机构", "2025-12-31", "到2025年"),
    ("到2025年底,实现全覆盖", "2025-12-31", "到2025年底"),
    ("2025年末基本建成", "2025-12-31", "2025年末"),
    ("2024年6月底前完成消防改造", "2024-06-30", "2024年6月底前"),
    ("2024年2月底前完成", "2024-02-29", "2024年2月底前"),
    ("2023年9月30日前印发实施", "2023-09-30", "2023年9月30日前"),
    ("2025年前,每区县(市)至少有一所老年大学", "2024-12-31", "2025年前"),
    ("2023年之前,完成开放大学设置工作", "2022-12-31", "2023年之前"),
    ("2024—2026年期间完成达标创建", "2026-12-31", "2024—2026年期间"),
    ("“十四五”期间将新建50个服务设施", "2025-12-31", "“十四五”期间"),
    ("“十四五”时期,全市持续加强养老服务保障", "2025-12-31", "“十四五”时期"),
    ("“十四五”期末养老床位缺口基本得到满足", "2025-12-31", "“十四五”期末"),
    ("2024年上半年出台办法", "2024-06-30", "2024年上半年"),
    ("2024年第三季度完成评估", "2024-09-30", "2024年第三季度"),
    ("２０２４年６月底前完成", "2024-06-30", "２０２４年６月底前"),
])
def test_once_dates(text, due, phrase):
    assert once(text) == [(due, phrase)]


@pytest.mark.parametrize("text", [
    "截至2020年底,全市已建成养老服务机构150家",
    "2020年完成值为57%",
    "建立郑州市“十四五”时期“一老一小”重大项目清单",
    "将托育服务纳入全市“十四五”基本公共服务均等化范围",
    "实施特困人员供养服务机构改造三年提升计划",
    "建立24小时老年人呼叫应急服务响应机制",
    "定期开展检查,常态化督促落实,尽快出台政策",
    "婴幼儿父母每人每年享受累计15天育儿假",
    "根据《老年教育发展规划(2018—2020年)》要求",
    "领导小组成员单位每年向领导小组书面报告1次年度履职情况",
])
def test_not_deadlines(text):
    dated = once(text)
    assert dated == []
    if "每年向" not in text:
        assert found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("每年五月底前完成清单修订", {"freq": "yearly", "month": 5, "day": 31}),
    ("每年3月15日前报送上年度情况", {"freq": "yearly", "month": 3, "day": 15}),
    ("每年新增培养300人以上的专业护理人员", {"freq": "yearly", "month": 12, "day": 31}),
    ("每年都要筛选一定数量的服务对象", {"freq": "yearly", "month": 12, "day": 31}),
    ("每年年底前报告工作进展", {"freq": "yearly", "month": 12, "day": 31}),
    ("原则上每半年召开一次会议", {"freq": "semiannual"}),
    ("每季度通报一次进展", {"freq": "quarterly"}),
    ("原则上一季度召开一次会议", {"freq": "quarterly"}),
    ("每季度第1个月20日前汇总上季度情况", {"freq": "quarterly", "month": 1, "day": 20}),
    ("每月28日前报送探访台账", {"freq": "monthly", "day": 28}),
    ("每月开展一次巡查", {"freq": "monthly"}),
])
def test_recurring_rules(text, expected):
    result = found(text)
    assert len(result) == 1
    d = dict(result[0])
    assert d.pop("kind") == "recurring"
    assert d.pop("phrase") in text
    assert d == expected


def test_recurring_phrase_stops_before_the_object():
    assert found("每年新增培养300人以上的专业护理人员")[0]["phrase"] == "每年新增培养300人以上"
    assert found("现有服务人员每年安排一次技能强化培训")[0]["phrase"] == "每年安排一次"


@pytest.mark.parametrize("text, due", [
    ("今年年底前出台认定办法", "2024-12-31"),
    ("今年底前完成摸底", "2024-12-31"),
    ("年底前完成摸底", "2024-12-31"),
    ("年内完成全部改造", "2024-12-31"),
    ("明年6月底前每个县至少建成1所示范性托育机构", "2025-06-30"),
    ("明年底前全面推开", "2025-12-31"),
    ("后年完成验收", "2026-12-31"),
    ("三年内实现持证上岗全覆盖", "2027-05-08"),
    ("两年内完成", "2026-05-08"),
    ("6个月内完成整改", "2024-11-08"),
    ("上半年完成试点", "2024-06-30"),
    ("下半年全面推广", "2024-12-31"),
    ("次年一季度完成年度评估", "2025-03-31"),
    ("三季度末前完成", "2024-09-30"),
    ("9月底前完成摸底", "2024-09-30"),
    ("3月底前完成摸底", "2025-03-31"),
])
def test_relative_phrases_resolve_against_the_reference_date(text, due):
    assert [d for d, _ in once(text)] == [due]


def test_relative_phrases_need_a_reference_date():
    assert once("今年年底前出台认定办法", ref=None) == []
    assert once("2025年底前完成", ref=None) == [("2025-12-31", "2025年底前")]


def test_phrases_come_in_order_of_appearance():
    text = "2022年底前建成100个;2025年底前每个乡镇建成一个中心,每年开展评估"
    kinds = [(d["kind"], d.get("due"), d.get("freq")) for d in found(text)]
    assert kinds == [("once", "2022-12-31", None), ("once", "2025-12-31", None), ("recurring", None, "yearly")]


def test_ongoing_phrases():
    assert is_ongoing("持续推进老旧小区适老化改造")
    assert is_ongoing("长期坚持开展志愿服务")
    assert not is_ongoing("2025年底前完成改造")
    assert found("持续推进老旧小区适老化改造") == []
    assert is_ongoing_cell("长期")
    assert is_ongoing_cell("持续推进")
    assert not is_ongoing_cell("2024年底前")


def test_time_limit_cells():
    assert deadlines_from_cell("2025年", "2025年", REF) == [{"kind": "once", "due": "2025-12-31", "phrase": "2025年"}]
    assert deadlines_from_cell("2024年6月底前", "2024年6月底前", REF)[0]["due"] == "2024-06-30"
    assert deadlines_from_cell("每年12月底前", "每年12月底前", REF)[0]["freq"] == "yearly"


@pytest.mark.parametrize("text, due", [
    ("2024年6月前完成评估", "2024-05-31"),  # strictly before June, as 2025年前 is strictly before 2025
    ("2024年1月前出台", "2023-12-31"),
    ("2025年开展终期评估", "2025-12-31"),
    ("2024年启动试点", "2024-12-31"),
    ("2023年6月", "2023-06-30"),
])
def test_month_before_and_year_with_an_action(text, due):
    assert [d for d, _ in once(text)] == [due]


def test_a_past_year_with_a_fact_is_no_deadline():
    assert once("2020年新增普惠托育机构33家") == []
    assert once("2022年起每年新增托班20个") == []


@pytest.mark.parametrize("text, rule", [
    ("每年3月前报送", ("yearly", 2, 28)),
    ("每季度首月10日前报送", ("quarterly", 1, 10)),
    ("每季度末月开展", ("quarterly", 3, None)),
    ("每年6月", ("yearly", 6, 30)),
])
def test_more_recurring_forms(text, rule):
    d = found(text)[0]
    assert (d["freq"], d.get("month"), d.get("day")) == rule


def test_a_year_named_for_a_target_in_task_text():
    def dues(text, written):
        return [(d["due"], d["phrase"]) for d in find_deadlines(half(text), text, written, written)]

    assert dues("2024年新增普惠托位1000个", date(2024, 1, 18)) == [("2024-12-31", "2024年")]
    assert dues("推动签约合作,2024年签约率达到100%", date(2022, 12, 9)) == [("2024-12-31", "2024年")]
    assert dues("2019年出台了扶持办法", date(2022, 12, 9)) == []  # before the document: a fact, not a deadline
    assert dues("与2020年相比有较大提高", date(2022, 12, 9)) == []
    assert dues("2024年新增普惠托位1000个", None) == []
    # a later reference date (the day of import) does not hide the years the document itself names
    assert [d["due"] for d in find_deadlines("2025年完成改造", "2025年完成改造", date(2026, 11, 22), date(2023, 2, 7))] == [
        "2025-12-31"]
