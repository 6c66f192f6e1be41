"""The office's date and time zone: one rule for pages and scheduled jobs."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from duban import clock


def test_pages_and_jobs_take_the_date_in_the_offices_time_zone(monkeypatch):
    monkeypatch.delenv("DUBAN_TODAY", raising=False)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # 25 hours apart: never the same date
        monkeypatch.setenv("DUBAN_TZ", zone)
        expected = dt.datetime.now(ZoneInfo(zone)).date()
        assert clock.today() in (expected, expected + dt.timedelta(days=1))
        assert clock.business_today() == clock.today()


def test_a_pinned_date_wins_everywhere(monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", "2026-06-01")
    assert clock.today() == clock.business_today() == dt.date(2026, 6, 1)


def test_a_stored_utc_time_is_shown_in_beijing_time(monkeypatch):
    monkeypatch.delenv("DUBAN_TZ", raising=False)
    assert clock.local_time("2026-06-01 16:30:00") == "2026-06-02 00:30"
    assert clock.local_time(None) == ""
    assert clock.local_time("不详") == "不详"
