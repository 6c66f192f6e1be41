"""Dates as the office writes them (2026年11月22日) and the month arithmetic periods and deadlines rely on."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.rules.dates import add_months, clamp_date, cn_date, cn_month, quarter_of, shift_month


@pytest.mark.parametrize("value, shown", [
    (dt.date(2026, 11, 22), "2026年11月22日"),
    (dt.date(2027, 1, 5), "2027年1月5日"),  # no leading zeros
    ("2026-03-09", "2026年3月9日"),
    ("2026-03-09 14:30:00", "2026年3月9日"),  # a timestamp keeps only its date
    (dt.datetime(2026, 12, 1, 8, 0), "2026年12月1日"),
])
def test_a_date_reads_in_chinese(value, shown):
    assert cn_date(value) == shown


def test_no_date_shows_the_placeholder_the_caller_chose():
    assert cn_date(None) == "—" and cn_date("") == "—"
    assert cn_date(None, "") == "" and cn_date(None, "无") == "无"


def test_text_that_is_no_date_is_shown_as_written():
    assert cn_date("规划期末") == "规划期末"


def test_a_month_reads_in_chinese():
    assert cn_month("2026-03") == "2026年3月" and cn_month("2026-11") == "2026年11月"
    assert cn_month("全年") == "全年"


@pytest.mark.parametrize("start, by, got", [
    ((2026, 11), 1, (2026, 12)), ((2026, 12), 1, (2027, 1)), ((2026, 1), -1, (2025, 12)),
    ((2026, 3), -14, (2025, 1)), ((2026, 6), 0, (2026, 6)), ((2026, 6), 24, (2028, 6)),
])
def test_months_shift_across_years(start, by, got):
    assert shift_month(*start, by) == got


@pytest.mark.parametrize("day, months, got", [
    (dt.date(2026, 11, 22), 3, dt.date(2027, 2, 22)),
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # kept inside the shorter month
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # leap year
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
])
def test_adding_months_keeps_the_day_inside_the_month(day, months, got):
    assert add_months(day, months) == got


def test_each_month_falls_in_its_quarter():
    assert [quarter_of(dt.date(2026, m, 1)) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]


@pytest.mark.parametrize("year, month, day, got", [
    (2026, 6, 31, dt.date(2026, 6, 30)), (2026, 2, 30, dt.date(2026, 2, 28)), (2028, 2, 30, dt.date(2028, 2, 29)),
    (2026, 6, None, dt.date(2026, 6, 30)), (2026, 6, 15, dt.date(2026, 6, 15)), (2026, 12, 31, dt.date(2026, 12, 31)),
])
def test_a_day_too_late_for_its_month_becomes_the_last_day(year, month, day, got):
    assert clamp_date(year, month, day) == got


def test_month_day_and_month_read_as_the_office_writes_them():
    import datetime as dt

    from duban.rules.dates import cn_month, cn_month_day
    assert cn_month_day(dt.date(2026, 6, 1)) == "6月1日"
    assert cn_month(dt.date(2026, 6, 1)) == cn_month("2026-06") == "2026年6月"
