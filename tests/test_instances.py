"""A deadline becomes one dated instance per period inside the plan's span."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.rules.instances import PLAN_END_LABEL, expand_instances

START, END = dt.date(2021, 1, 1), dt.date(2025, 12, 31)
D = dt.date


def test_once_deadline_is_its_own_date():
    assert expand_instances({"kind": "once", "due": "2022-12-31"}, START, END) == [(D(2022, 12, 31), "2022年")]


def test_no_deadline_falls_on_the_plan_end():
    assert expand_instances(None, START, END) == [(END, PLAN_END_LABEL)]
    assert expand_instances({"kind": "ongoing", "phrase": "持续推进"}, START, END) == [(END, PLAN_END_LABEL)]
    assert expand_instances({"kind": "plan_end"}, START, END) == [(END, PLAN_END_LABEL)]


def test_yearly_with_month_and_day_once_per_year():
    got = expand_instances({"kind": "recurring", "freq": "yearly", "month": 5, "day": 31}, START, END)
    assert got == [(D(y, 5, 31), f"{y}年") for y in range(2021, 2026)]


def test_yearly_without_month_is_year_end():
    got = expand_instances({"kind": "recurring", "freq": "yearly"}, START, END)
    assert [d for d, _ in got] == [D(y, 12, 31) for y in range(2021, 2026)]


def test_semiannual_defaults_to_the_half_year_end():
    got = expand_instances({"kind": "recurring", "freq": "semiannual"}, D(2024, 1, 1), D(2024, 12, 31))
    assert got == [(D(2024, 6, 30), "2024年上半年"), (D(2024, 12, 31), "2024年下半年")]


def test_semiannual_with_month_inside_the_half():
    got = expand_instances({"kind": "recurring", "freq": "semiannual", "month": 1, "day": 15},
                           D(2024, 1, 1), D(2024, 12, 31))
    assert [d for d, _ in got] == [D(2024, 1, 15), D(2024, 7, 15)]


def test_quarterly_four_per_year_with_labels():
    got = expand_instances({"kind": "recurring", "freq": "quarterly"}, D(2024, 1, 1), D(2024, 12, 31))
    assert got == [(D(2024, 3, 31), "2024年第1季度"), (D(2024, 6, 30), "2024年第2季度"),
                   (D(2024, 9, 30), "2024年第3季度"), (D(2024, 12, 31), "2024年第4季度")]


def test_quarterly_with_month_and_day():
    got = expand_instances({"kind": "recurring", "freq": "quarterly", "month": 3, "day": 25},
                           D(2024, 1, 1), D(2024, 12, 31))
    assert [d for d, _ in got] == [D(2024, 3, 25), D(2024, 6, 25), D(2024, 9, 25), D(2024, 12, 25)]


def test_monthly_clamps_the_day_to_the_month():
    got = expand_instances({"kind": "recurring", "freq": "monthly", "day": 31}, D(2024, 1, 1), D(2024, 4, 30))
    assert got == [(D(2024, 1, 31), "2024年1月"), (D(2024, 2, 29), "2024年2月"), (D(2024, 3, 31), "2024年3月"),
                   (D(2024, 4, 30), "2024年4月")]


def test_monthly_without_day_is_month_end():
    got = expand_instances({"kind": "recurring", "freq": "monthly"}, D(2023, 2, 1), D(2023, 3, 31))
    assert [d for d, _ in got] == [D(2023, 2, 28), D(2023, 3, 31)]


def test_recurring_stays_inside_a_period_starting_mid_year():
    got = expand_instances({"kind": "recurring", "freq": "yearly", "month": 5, "day": 31},
                           D(2024, 5, 8), D(2026, 3, 1))
    assert [d for d, _ in got] == [D(2024, 5, 31), D(2025, 5, 31)]


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        expand_instances({"kind": "recurring", "freq": "weekly"}, START, END)
