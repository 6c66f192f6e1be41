"""The office's settings are stored in one place: set, read back, replaced, removed."""
from __future__ import annotations

from db.queries import settings as settings_q


def test_a_setting_reads_back_what_was_stored(db):
    assert settings_q.setting(db, "office_name") is None
    settings_q.set_setting(db, "office_name", "领导小组办公室")
    settings_q.set_setting(db, "office_name", "市养老服务工作领导小组办公室")
    assert settings_q.setting(db, "office_name") == "市养老服务工作领导小组办公室"


def test_storing_none_removes_the_setting(db):
    settings_q.set_setting(db, "warn_days", "10")
    settings_q.set_setting(db, "warn_days", None)
    assert settings_q.setting(db, "warn_days") is None


def test_settings_with_a_prefix_take_the_underscore_literally(db):
    settings_q.set_setting(db, "smtp_host", "127.0.0.1")
    settings_q.set_setting(db, "smtp_port", "25")
    settings_q.set_setting(db, "smtpXhost", "not mail")
    assert settings_q.settings_with_prefix(db, "smtp_") == {"smtp_host": "127.0.0.1", "smtp_port": "25"}
