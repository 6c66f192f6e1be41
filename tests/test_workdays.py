"""Chinese working days: holidays and 调休 from the calendar, Monday–Friday past its data (and the log says so)."""
from __future__ import annotations

import datetime as dt
import logging

from duban.services import workdays


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_national_day_is_a_holiday_and_its_make_up_saturday_is_a_working_day():
    assert not any(workdays.is_workday(d(f"2026-10-0{n}")) for n in range(1, 8))
    assert workdays.is_workday(d("2026-10-08"))
    assert workdays.is_workday(d("2026-10-10"))  # Saturday, 调休
    assert not workdays.is_workday(d("2026-11-22"))  # an ordinary Sunday
    assert workdays.is_workday(d("2026-11-23"))


def test_next_working_day_and_counting_working_days():
    assert workdays.next_workday(d("2026-10-01")) == d("2026-10-08")
    assert workdays.next_workday(d("2026-11-23")) == d("2026-11-23")
    assert workdays.add_workdays(d("2026-09-30"), 1) == d("2026-10-08")
    assert workdays.add_workdays(d("2026-11-23"), 5) == d("2026-11-30")


def test_past_the_calendars_data_monday_to_friday_is_used_and_logged(caplog):
    far = d("2099-01-05")  # a Monday, far past any holiday data
    with caplog.at_level(logging.WARNING, logger="duban.workdays"):
        workdays._warned_years.discard(2099)
        assert workdays.is_workday(far)
        assert not workdays.is_workday(d("2099-01-04"))
    assert not workdays.has_calendar_data(far)
    assert any("2099" in r.getMessage() and "周一至周五" in r.getMessage() for r in caplog.records)
