"""The colour a notice gives each late item: 红 overdue past the threshold, 黄 behind or just overdue, 蓝 due soon."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.rules.notice_levels import BLUE, RED, YELLOW, level

TODAY = dt.date(2026, 11, 23)
HORIZON = TODAY + dt.timedelta(days=14)


def item(due: str, progress: int | None = None, plan_start: str | None = None) -> dict:
    return {"due": due, "progress": progress, "plan_start": plan_start}


@pytest.mark.parametrize(("row", "red_days", "expected"), [
    (item("2026-11-22"), 1, RED),                                   # one day overdue, threshold one day
    (item("2026-11-22"), 3, YELLOW),                                # overdue, but fewer days than the threshold
    (item("2026-11-20"), 3, RED),                                   # exactly the threshold
    (item("2026-11-22"), 0, RED),                                   # a zero threshold still needs a day overdue
    (item("2026-11-23"), 1, BLUE),                                  # due today is not overdue
    (item("2026-12-07"), 1, BLUE),                                  # the last day of the warning window
    (item("2026-12-08"), 1, None),                                  # beyond it: nothing to chase yet
    (item("2027-06-30", progress=0, plan_start="2024-01-01"), 1, YELLOW),   # far off but behind schedule
    (item("2027-06-30", progress=95, plan_start="2024-01-01"), 1, None),    # far off and on pace
    (item("2027-06-30", progress=0, plan_start="不详"), 1, None),            # an unreadable start is not "behind"
])
def test_each_item_gets_the_colour_the_office_expects(row, red_days, expected):
    assert level(row, TODAY, red_days, HORIZON) == expected
