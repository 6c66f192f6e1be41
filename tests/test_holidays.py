"""The office keeps its own holiday calendar: the State Council's notice, read, confirmed, used for reminders."""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from duban.access import Actor
from duban.errors import AccessDenied, InputError
from duban.rules.holiday_notice import NoticeError, read_notice
from duban.services import holidays, workdays
from tests.support import ROOT, app_as

FIXTURES = ROOT / "tests" / "fixtures"
OFFICE = Actor(user_id=None, username="office", role="office")

# A notice for a year the bundled calendar does not hold, written for this test in the notices' form.
NOTICE_2031 = """国务院办公厅关于2031年部分节假日安排的通知
一、元旦:1月1日(周三)放假1天,不调休。
二、春节:1月22日(农历除夕、周三)至29日(周三)放假调休,共8天。1月19日(周日)、2月8日(周六)上班。
三、劳动节:5月1日至5日放假调休,共5天。4月27日(周日)上班。
"""


def _every_day(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notice_read_back_gives_the_same_working_days_as_the_bundled_calendar(year):
    text = (FIXTURES / f"holiday_notice_{year}.txt").read_text(encoding="utf-8")
    entered = {h.day: h.workday for h in read_notice(text)}
    differing = [d for d in _every_day(year)
                 if entered.get(d, d.weekday() < 5) != chinese_calendar.is_workday(d)]
    assert differing == []


def test_half_width_punctuation_explicit_years_and_a_span_across_the_new_year_are_read():
    text = ("关于2030年部分节假日安排的通知\n1. 元旦: 2029年12月30日(周日)至2030年1月1日(周二)放假调休,共3天。"
            "2029年12月29日(周六)上班。\n")
    days = {h.day: h.workday for h in read_notice(text)}
    assert days == {dt.date(2029, 12, 30): False, dt.date(2029, 12, 31): False, dt.date(2030, 1, 1): False,
                    dt.date(2029, 12, 29): True}


def test_a_notice_without_a_year_or_without_any_holiday_is_refused_with_a_chinese_message():
    with pytest.raises(NoticeError, match="年份"):
        read_notice("一、元旦:1月1日放假1天。")
    assert read_notice("一、元旦:1月1日放假1天。", year=2040)[0].day == dt.date(2040, 1, 1)
    with pytest.raises(NoticeError, match="没有读到放假安排"):
        read_notice("国务院办公厅关于2031年部分节假日安排的通知\n请各单位做好值班工作。")
    with pytest.raises(NoticeError, match="日期不存在"):
        read_notice("关于2031年部分节假日安排的通知\n一、元旦:2月30日放假1天。")


def test_a_saved_notice_decides_working_days_for_a_year_the_bundled_calendar_lacks(db):
    assert not workdays.bundled_calendar_has(2031)
    reading = holidays.read(NOTICE_2031)
    assert reading.year == 2031 and "春节" in reading.summary()
    assert holidays.save(db, OFFICE, reading) == len(reading.days)
    assert not workdays.is_workday(dt.date(2031, 1, 27))      # a Monday off for 春节
    assert workdays.is_workday(dt.date(2031, 2, 8))           # a Saturday worked (调休)
    assert workdays.is_workday(dt.date(2031, 3, 3))           # an ordinary Monday
    assert workdays.has_calendar_data(dt.date(2031, 6, 1))
    row = db.conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "录入节假日安排"

    holidays.remove_year(db, OFFICE, 2031)
    assert workdays.is_workday(dt.date(2031, 1, 27))          # back to Monday–Friday
    assert not workdays.has_calendar_data(dt.date(2031, 6, 1))


def test_only_the_office_enters_a_calendar_and_bad_text_changes_nothing(db):
    with pytest.raises(AccessDenied):
        holidays.save(db, Actor(user_id=None, username="x", role="liaison"), holidays.read(NOTICE_2031))
    with pytest.raises(InputError):
        holidays.read("随便一段文字")
    assert db.conn.execute("SELECT count(*) FROM holiday_days").fetchone()[0] == 0


def test_the_office_pastes_a_notice_checks_it_and_saves_it_on_the_page(demo_db):
    at = app_as(demo_db, "bangong", "pages/holidays.py")
    assert not at.exception
    at.text_area(key="holiday_text").set_value(NOTICE_2031).run()
    at.button(key="holiday_read").click().run()
    assert not at.exception
    assert any("2031 年" in str(e.value) and "春节" in str(e.value) for e in at.info)
    assert demo_db.conn.execute("SELECT count(*) FROM holiday_days").fetchone()[0] == 0   # nothing until confirmed
    at.button(key="holiday_save").click().run()
    assert not at.exception
    assert any("已保存 2031 年" in str(e.value) for e in at.success)
    assert demo_db.conn.execute("SELECT count(*) FROM holiday_days WHERE year=2031").fetchone()[0] == len(
        holidays.read(NOTICE_2031).days)


def test_the_reminder_settings_page_says_when_next_year_has_no_holiday_data(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", "2026-12-02")
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    assert not at.exception
    assert any("2027 年" in str(e.value) and "周一至周五" in str(e.value) for e in at.warning)
