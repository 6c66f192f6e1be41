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


def test_a_behind_pace_task_is_yellow_on_its_light_and_on_its_notice():
    """A 催办单 calls a task behind exactly when its light turns 黄 for pace."""
    from duban.rules.status import YELLOW as LIGHT_YELLOW
    from duban.rules.status import light_from_dates
    row = {"due": "2027-06-30", "progress": 20, "plan_start": "2024-01-01", "status": "推进中"}
    light = light_from_dates(dt.date(2027, 6, 30), None, TODAY, status="推进中", progress=20,
                             start=dt.date(2024, 1, 1))
    assert light == LIGHT_YELLOW
    assert level(row, TODAY, 1, HORIZON) == YELLOW


@pytest.mark.parametrize(("extra", "light_args"), [
    # the last period was finished in October: this one is paced from then, and 20% of a fresh period is on pace
    ({"last_done": "2026-10-31"}, {"last_done": dt.date(2026, 10, 31)}),
    # completion awaits review: not chased as behind, the light stays green
    ({"status": "已完成(待审核)"}, {"status": "已完成(待审核)"}),
])
def test_notice_and_light_agree_where_the_old_notice_rule_differed(extra, light_args):
    from duban.rules.status import GREEN, light_from_dates
    row = {"due": "2027-06-30", "progress": 20, "plan_start": "2024-01-01", "status": "推进中", **extra}
    kwargs = {"status": "推进中", **{k: v for k, v in light_args.items() if k != "last_done"}}
    light = light_from_dates(dt.date(2027, 6, 30), light_args.get("last_done"), TODAY, progress=20,
                             start=dt.date(2024, 1, 1), **kwargs)
    assert light == GREEN
    assert level(row, TODAY, 1, HORIZON) is None
