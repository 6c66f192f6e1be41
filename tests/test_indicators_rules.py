"""Reading indicator values as the plans write them, and judging whether an actual is on course."""
from __future__ import annotations

import pytest

from duban.rules.indicators import (
    BEHIND,
    GREY,
    MET,
    MISSED,
    NO_ACTUAL,
    ON_COURSE,
    TEXT,
    UNASSESSED,
    assess,
    expected_at,
    parse_value,
)
from duban.rules.status import GREEN, RED, YELLOW


@pytest.mark.parametrize("text, comparison, number, unit", [
    ("45.5%", "=", 45.5, "%"),
    ("≥1名", "≥", 1, "名"),
    ("0.3所", "=", 0.3, "所"),
    ("23.3亿", "=", 23.3, "亿"),
    ("4.8万", "=", 4.8, "万"),
    ("≥60", "≥", 60, ""),
    ("≧4.5", "≥", 4.5, ""),
    (">95%", ">", 95, "%"),
    ("60%以上", "≥", 60, "%"),
    ("不低于90%", "≥", 90, "%"),
    ("不少于4.5个", "≥", 4.5, "个"),
    ("至少1所", "≥", 1, "所"),
    ("2个以上", "≥", 2, "个"),
    ("7.2万张", "=", 7.2, "万张"),
    ("≤5‰", "≤", 5, "‰"),
    ("76.5岁", "=", 76.5, "岁"),
    ("１００％", "=", 100, "%"),  # full-width, as some documents print it
    ("17,252", "=", 17252, ""),
])
def test_numeric_value_forms_in_the_seed_plans(text, comparison, number, unit):
    v = parse_value(text)
    assert (v.comparison, v.number, v.unit_text) == (comparison, number, unit)


@pytest.mark.parametrize("text", ["应保尽保", "全覆盖", "所有", "均建有", "每个区县(市)"])
def test_textual_targets_are_kept_as_text(text):
    v = parse_value(text)
    assert v.comparison == TEXT and v.number is None and v.text == text


@pytest.mark.parametrize("text", ["——", "—", "", None, "  "])
def test_dashes_mean_no_value(text):
    assert parse_value(text).is_none


def judge(baseline, by, target, ty, actual, year, nature=None, **kw):
    return assess(baseline=parse_value(baseline), baseline_year=by, target=parse_value(target), target_year=ty,
                  actual=None if actual is None else parse_value(actual), actual_year=year, nature=nature, **kw)


def test_expected_value_follows_the_straight_line_from_baseline_to_target():
    assert expected_at(45.5, 2020, 60, 2025, 2023) == pytest.approx(54.2)
    assert expected_at(45.5, 2020, 60, 2025, 2019) == 45.5  # before the baseline year: the baseline
    assert expected_at(45.5, 2020, 60, 2025, 2027) == 60  # after the target year: the target


def test_rising_indicator_on_course_and_behind():
    # 护理型养老床位占比 45.5% (2020) -> 60% (2025): 2023 expects 54.2%
    on = judge("45.5%", 2020, "60%", 2025, "55%", 2023, "约束性")
    assert (on.state, on.light, on.on_course) == (ON_COURSE, GREEN, True)
    assert on.expected == pytest.approx(54.2)
    behind = judge("45.5%", 2020, "60%", 2025, "52%", 2023, "约束性")
    assert (behind.state, behind.light, behind.on_course) == (BEHIND, RED, False)
    assert behind.progress == pytest.approx((52 - 45.5) / (60 - 45.5))


def test_expected_indicator_off_course_is_yellow_and_one_without_nature_too():
    assert judge("45.5%", 2020, "60%", 2025, "52%", 2023, "预期性").light == YELLOW
    assert judge("45.5%", 2020, "60%", 2025, "52%", 2023, None).light == YELLOW


def test_falling_indicator_judged_the_other_way_round():
    # a rate to bring down from 12‰ (2020) to 8‰ (2025): 2023 expects 9.6‰
    on = judge("12‰", 2020, "8‰", 2025, "9.5‰", 2023, "约束性")
    assert (on.state, on.direction) == (ON_COURSE, "down")
    behind = judge("12‰", 2020, "8‰", 2025, "10.4‰", 2023, "约束性")
    assert (behind.state, behind.light) == (BEHIND, RED)
    assert judge("12‰", 2020, "≤8‰", 2025, "7.9‰", 2024).state == MET
    # the ≤ sign alone makes it a ceiling, even with no baseline
    assert judge(None, None, "≤5‰", 2025, "6‰", 2025).state == MISSED


def test_target_reached_early_is_met_and_green():
    a = judge("0.4名", 2020, "≥1名", 2025, "1名", 2022, "约束性")
    assert (a.state, a.light, a.on_course) == (MET, GREEN, True)


def test_target_year_passed_unmet_is_missed():
    a = judge("0.3所", 2020, "≥1所", 2025, "0.9所", 2025, "约束性")
    assert (a.state, a.light) == (MISSED, RED)
    assert judge("0.3所", 2020, "≥1所", 2025, "0.9所", 2026, "预期性").light == YELLOW


def test_strict_comparison_needs_more_than_the_target():
    assert judge(">95%", 2020, ">95%", 2025, "95%", 2025).state == MISSED
    assert judge(">95%", 2020, ">95%", 2025, "95.1%", 2025).state == MET


def test_units_with_multipliers_compare_by_magnitude():
    # 养老产业规模 23.3亿 -> 40亿; 养老床位数 4.8万 -> 7.2万
    assert judge("23.3亿", 2020, "40亿", 2025, "36亿", 2023).state == ON_COURSE
    assert judge("23.3亿", 2020, "40亿", 2025, "30亿", 2023).state == BEHIND
    assert judge("4.8万", 2020, "7.2万", 2025, "72000", 2025).state == MET  # a bare number is in the unit: 72000万
    assert judge("4.8万", 2020, "7.2万", 2025, "6.5万", 2025).state == MISSED
    assert judge("4.8万张", 2020, "7.2万张", 2025, "6.8万张", 2024).state == ON_COURSE


def test_bare_numbers_take_the_indicators_unit():
    # 巫溪's table writes 40 -> ≥60 for a percentage
    assert judge("40", 2021, "≥60", 2025, "56%", 2024, "约束性").state == ON_COURSE
    assert judge("40", 2021, "≥60", 2025, "50", 2024, "约束性").light == RED


def test_a_percentage_cannot_be_compared_with_a_count():
    a = judge("0.3所", 2020, "≥1所", 2025, "80%", 2025)
    assert (a.state, a.light, a.on_course) == (UNASSESSED, GREY, None)


def test_no_baseline_is_judged_only_from_the_target_year():
    before = judge("——", 2020, "65%", 2025, "40%", 2023, "约束性")
    assert (before.state, before.light, before.on_course) == (UNASSESSED, GREY, None)
    at = judge("——", 2020, "65%", 2025, "60%", 2025, "约束性")
    assert (at.state, at.light) == (MISSED, RED)
    after = judge(None, None, "65%", 2025, "66%", 2026)
    assert (after.state, after.light) == (MET, GREEN)
    # reached before the target year is already met
    assert judge(None, None, "80%以上", 2025, "81%", 2023).state == MET


@pytest.mark.parametrize("actual", ["已实现", "是", "达到", "应保尽保", "已完成"])
def test_textual_target_met(actual):
    a = judge("——", 2020, "应保尽保", 2025, actual, 2025, "约束性")
    assert (a.state, a.light, a.on_course) == (MET, GREEN, True)


def test_textual_target_not_met():
    at = judge("——", 2020, "应保尽保", 2025, "未实现", 2025, "约束性")
    assert (at.state, at.light) == (MISSED, RED)
    before = judge(None, None, "全覆盖", 2030, "未实现", 2025, "预期性")
    assert (before.state, before.light) == (UNASSESSED, GREY)  # no baseline: wait for 2030
    assert judge(None, None, "全覆盖", 2030, "100%", 2026).state == MET
    assert judge(None, None, "所有", 2024, "92%", 2024, "预期性").light == YELLOW


def test_holding_a_level():
    # 100% (2021) -> 100% (2025): anything under 100% is off course
    assert judge("100%", 2021, "100%", 2025, "100%", 2023, "约束性").state == MET
    slipping = judge("100%", 2021, "100%", 2025, "97%", 2023, "约束性")
    assert (slipping.state, slipping.light) == (BEHIND, RED)
    assert slipping.progress == pytest.approx(0.97)


def test_no_actual_is_grey_waiting_for_a_report():
    a = judge("45.5%", 2020, "60%", 2025, None, None, "约束性")
    assert (a.state, a.light, a.on_course) == (NO_ACTUAL, GREY, None)
    assert judge("45.5%", 2020, "60%", 2025, "——", 2023).state == NO_ACTUAL


def test_no_target_cannot_be_judged():
    assert judge("45.5%", 2020, "——", 2025, "50%", 2023).state == UNASSESSED


def test_stored_comparison_overrides_a_bare_target():
    # the office recorded 133 as a ceiling (≤) rather than a level to reach
    assert judge("150", 2020, "133", 2025, "140", 2025, comparison="≤").state == MISSED
    assert judge("109", 2020, "133", 2025, "140", 2025, comparison="≤").state == MISSED
    assert judge("109", 2020, "133", 2025, "130", 2025, comparison="≤").state == MET


def test_comparison_written_in_ascii_counts_too():
    assert judge("150", 2020, "133", 2025, "140", 2025, comparison="<=").state == MISSED
    assert judge("109", 2020, "133", 2025, "134", 2025, comparison=">").state == MET
    assert judge("109", 2020, "133", 2025, "133", 2025, comparison=">").state == MISSED
