"""The five-year plans: 十三五 is 2016–2020, 十四五 2021–2025, 十五五 2026–2030."""
from __future__ import annotations

import pytest

from duban.extract.meta import plan_period
from duban.rules.plan_periods import PLAN_END, plan_years


@pytest.mark.parametrize("name, years", [
    ("十一五", (2006, 2010)), ("十二五", (2011, 2015)), ("十三五", (2016, 2020)), ("十四五", (2021, 2025)),
    ("十五五", (2026, 2030)), ("十六五", (2031, 2035)),
])
def test_each_five_year_plan_covers_its_five_years(name, years):
    assert plan_years(name) == years


def test_the_plans_follow_each_other_without_a_gap():
    ends = list(PLAN_END.values())
    assert ends == sorted(ends) and all(b - a == 5 for a, b in zip(ends, ends[1:], strict=False))


def test_a_plan_named_after_its_five_years_gets_that_span():
    assert plan_period("包头市“十四五”养老服务体系规划", None, []) == {"start": "2021-01-01", "end": "2025-12-31"}
    assert plan_period("“十五五”规划纲要", None, []) == {"start": "2026-01-01", "end": "2030-12-31"}
