"""The 消息 and 提醒设置 pages as their users see them (AppTest with the demo data)."""
from __future__ import annotations

import pytest

from db.queries import reminders as rq
from db.queries import settings as settings_q
from duban.services import vault
from tests.remind_world import SmtpSink
from tests.support import ROOT, app_as


def texts(at) -> str:
    parts = [str(getattr(e, "value", "")) for e in at.markdown]
    parts += [str(getattr(e, "value", "")) for e in at.caption]
    parts += [e.label for e in at.expander]
    parts += [str(getattr(e, "value", "")) for e in at.success]
    parts += [str(getattr(e, "value", "")) for e in at.error]
    parts += [str(getattr(e, "value", "")) for e in at.info]
    return "\n".join(parts)


def unread_of(db, username: str) -> int:
    uid = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0]
    return db.conn.execute("SELECT count(*) FROM notifications WHERE user_id=? AND read_at IS NULL", [uid]).fetchone()[0]


def test_a_liaison_reads_their_messages_and_the_badge_counts_down(demo_db):
    before = unread_of(demo_db, "zz-minzheng")
    assert before > 0
    at = app_as(demo_db, "zz-minzheng", "pages/inbox.py")
    assert not at.exception
    assert f"未读消息 :red-badge[{before}]" in texts(at)
    labels = [e.label for e in at.expander]
    assert labels and all("督办" in label or "【" in label for label in labels)
    assert any("郑州市" in str(b.label) and "到期日历" in str(b.label) for b in at.get("download_button"))

    read_buttons = [b for b in at.button if b.key and b.key.startswith("inbox_read_")]
    read_buttons[0].click().run()
    assert not at.exception
    assert unread_of(demo_db, "zz-minzheng") == before - 1

    at.button(key="inbox_mark_all").click().run()
    assert not at.exception
    assert unread_of(demo_db, "zz-minzheng") == 0
    assert "没有未读消息" in texts(at)
    assert "已将" in texts(at)


def test_the_office_page_never_shows_the_stored_password_and_saves_settings(demo_db, monkeypatch):
    for var in ("DUBAN_SMTP_HOST", "DUBAN_SMTP_PORT", "DUBAN_SMTP_FROM", "DUBAN_SMTP_USER", "DUBAN_SMTP_PASSWORD",
                "DUBAN_SMTP_TLS"):
        monkeypatch.delenv(var, raising=False)
    settings_q.set_setting(demo_db, "smtp_password", "S3cret-pw!")
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    assert not at.exception
    assert "S3cret-pw!" not in str(at._tree)
    pw = at.text_input(key="smtp_password")
    assert pw.value == "" and "不显示" in (pw.placeholder or "")

    sink = SmtpSink().start()
    try:
        at.text_input(key="smtp_host").set_value("127.0.0.1")
        at.text_input(key="smtp_port").set_value(str(sink.port))
        at.text_input(key="smtp_sender").set_value("duban@example.gov.cn")
        at.button(key="FormSubmitter:smtp_form-保存邮件设置").click().run()
        assert not at.exception
        assert "邮件设置已保存" in texts(at)
        # an empty field keeps the password; one stored in clear by an older version is encrypted on saving
        assert settings_q.setting(demo_db, "smtp_password") != "S3cret-pw!"
        assert vault.reveal(demo_db, settings_q.setting(demo_db, "smtp_password")) == "S3cret-pw!"
        assert settings_q.setting(demo_db, "smtp_host") == "127.0.0.1"

        at.text_input(key="smtp_test_to").set_value("tester@example.gov.cn")
        at.button(key="smtp_test_send").click().run()
        assert not at.exception
        assert "测试邮件已发送至 tester@example.gov.cn" in texts(at)
        assert [m.to for m in sink.mails] == [["tester@example.gov.cn"]]
    finally:
        sink.stop()
    assert "S3cret-pw!" not in str(at._tree)


def test_the_office_edits_a_rule_and_a_bad_value_is_refused_in_chinese(demo_db):
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    rule = next(r for r in rq.rules(demo_db) if r["kind"] == "before" and r["days"] == 30)
    at.selectbox(key="rule_pick").set_value(rule["id"]).run()
    assert not at.exception
    at.number_input(key=f"rule_days_{rule['id']}").set_value(14)
    at.button(key=f"FormSubmitter:rule_form_{rule['id']}-保存规则").click().run()
    assert not at.exception
    assert rq.rule_by_id(demo_db, rule["id"])["days"] == 14
    assert "规则已保存" in texts(at)

    at.selectbox(key="rule_pick").set_value(rule["id"]).run()
    at.number_input(key=f"rule_days_{rule['id']}").set_value(7)  # the same as the 7-day rule
    at.button(key=f"FormSubmitter:rule_form_{rule['id']}-保存规则").click().run()
    assert not at.exception
    assert "已有相同的规则" in texts(at)
    assert rq.rule_by_id(demo_db, rule["id"])["days"] == 14


def test_the_office_makes_a_numbered_notice_from_the_page(demo_db):
    zz = demo_db.conn.execute("SELECT d.id FROM departments d JOIN jurisdictions j ON j.id=d.jurisdiction_id "
                              "WHERE j.name='郑州市' AND d.name='市民政局'").fetchone()[0]
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    at.selectbox(key="notice_department").set_value(zz).run()
    assert not at.exception
    at.button(key="notice_make").click().run()
    assert not at.exception
    assert "〔2026〕第1号" in texts(at)
    assert any("〔2026〕第1号" in str(b.label) for b in at.get("download_button"))


@pytest.mark.parametrize("username", ["zz-minzheng", "lingdao"])
def test_only_the_office_sees_the_reminder_settings(demo_db, username):
    from streamlit.testing.v1 import AppTest

    from tests.support import login_token

    at = AppTest.from_file(str(ROOT / "pages" / "reminders.py"), default_timeout=60)
    login_token(at, demo_db, username)
    at.run()
    assert not at.exception
    assert "只有办公室人员" in texts(at)
    assert not at.text_input


def test_the_office_adds_a_robot_on_the_page_a_malformed_address_is_refused_and_the_key_never_shown(demo_db):
    token = "tok9f2a77c1d0"
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    assert not at.exception
    at.text_input(key="hook_name").set_value("督办工作群")
    at.selectbox(key="hook_kind").set_value("dingtalk")
    at.text_input(key="hook_url").set_value(f"https://oapi.dingtalk.com/robot/send?access_token={token[:5]} {token[5:]}")
    at.button(key="FormSubmitter:hook_form-添加机器人").click().run()
    assert not at.exception
    assert "不能有空格" in texts(at) and rq.webhooks(demo_db) == []

    at.text_input(key="hook_url").set_value(f"https://oapi.dingtalk.com/robot/send?access_token={token}")
    at.button(key="FormSubmitter:hook_form-添加机器人").click().run()
    assert not at.exception
    assert "已添加机器人" in texts(at) and "https://oapi.dingtalk.com/robot/send?…" in texts(at)
    assert token not in str(at._tree) and token not in str(rq.webhooks(demo_db))


def test_recent_job_runs_are_described_in_chinese(demo_db):
    import datetime as dt

    from duban.access import SYSTEM
    from duban.jobs import jobs

    jobs.run_job(demo_db, SYSTEM, jobs.OVERDUE, dt.date(2026, 11, 23))
    at = app_as(demo_db, "bangong", "pages/reminders.py")
    assert not at.exception
    runs = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert "逾期检查" in set(runs["任务"]) and "完成" in set(runs["结果"])
    assert not {"ok", "skipped", "error", "running"} & set(runs["结果"])
