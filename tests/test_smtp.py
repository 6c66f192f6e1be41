"""Mail settings: the page's values or the DUBAN_SMTP_* variables, login with user and password, readable errors."""
from __future__ import annotations

import datetime as dt
import warnings

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from db.queries import settings as settings_q
from duban.access import Actor
from duban.errors import InputError
from duban.jobs import channels
from duban.services import channel_settings, vault
from duban.services import reminder_settings as settings
from tests.remind_world import Mail, _Handler
from tests.support import free_port

OFFICE = Actor(user_id=None, username="bangong", role="office")
ENV = ("DUBAN_SMTP_HOST", "DUBAN_SMTP_PORT", "DUBAN_SMTP_FROM", "DUBAN_SMTP_USER", "DUBAN_SMTP_PASSWORD",
       "DUBAN_SMTP_TLS")


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    for var in ENV:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def auth_server():
    """An SMTP server that wants a login (over plain text here, as some internal relays do)."""
    def check(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == b"duban" and data.password == b"pw-2026"
        return AuthResult(success=ok, handled=False)

    box: list[Mail] = []
    port = free_port()
    ctl = Controller(_Handler(box), hostname="127.0.0.1", port=port, authenticator=check,
                     auth_require_tls=False, auth_required=True, auth_exclude_mechanism=["LOGIN"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # aiosmtpd warns about AUTH without TLS
        ctl.start()
    yield port, box
    ctl.stop()


def test_mail_goes_out_with_the_settings_from_the_page_including_a_login(db, auth_server):
    port, box = auth_server
    settings.save_smtp(db, OFFICE, host="127.0.0.1", port=port, tls="none", user="duban",
                       sender="duban@zz.example.gov.cn", password="pw-2026")
    assert channels.send_test_email(db, OFFICE, "a@zz.example.gov.cn", dt.date(2026, 11, 23)).startswith("测试邮件已发送")
    assert box[0].to == ["a@zz.example.gov.cn"] and box[0].sender == "duban@zz.example.gov.cn"
    assert "测试邮件" in box[0].subject


def test_a_wrong_password_is_reported_in_chinese_and_the_password_is_never_returned(db, auth_server):
    port, box = auth_server
    settings.save_smtp(db, OFFICE, host="127.0.0.1", port=port, tls="none", user="duban", sender="",
                       password="wrong")
    with pytest.raises(InputError, match="拒绝登录"):
        channels.send_test_email(db, OFFICE, "a@zz.example.gov.cn", dt.date(2026, 11, 23))
    form = settings.smtp_form(db, OFFICE)
    assert form["password"] is None and form["has_password"] is True
    assert "wrong" not in str(form)
    # an empty password field keeps the stored one; clearing is explicit
    settings.save_smtp(db, OFFICE, host="127.0.0.1", port=port, tls="none", user="duban", sender="", password="")
    assert vault.reveal(db, settings_q.setting(db, "smtp_password")) == "wrong"
    settings.save_smtp(db, OFFICE, host="127.0.0.1", port=port, tls="none", user="duban", sender="",
                       clear_password=True)
    assert settings_q.setting(db, "smtp_password") is None
    assert box == []


def test_with_DUBAN_SMTP_HOST_set_the_environment_defines_the_mail_server(db, monkeypatch):
    settings.save_smtp(db, OFFICE, host="mail.example.gov.cn", port=25, tls="none", user="page-user",
                       sender="a@example.gov.cn", password="page-pw")
    assert channel_settings.smtp_config(db).host == "mail.example.gov.cn"
    monkeypatch.setenv("DUBAN_SMTP_HOST", "relay.example.gov.cn")
    monkeypatch.setenv("DUBAN_SMTP_PORT", "465")
    monkeypatch.setenv("DUBAN_SMTP_FROM", "duban@example.gov.cn")
    monkeypatch.setenv("DUBAN_SMTP_USER", "env-user")
    monkeypatch.setenv("DUBAN_SMTP_PASSWORD", "env-pw")
    cfg = channel_settings.smtp_config(db)
    assert (cfg.host, cfg.port, cfg.tls, cfg.sender, cfg.user, cfg.password) == (
        "relay.example.gov.cn", 465, "ssl", "duban@example.gov.cn", "env-user", "env-pw")
    form = settings.smtp_form(db, OFFICE)
    assert "DUBAN_SMTP_HOST" in form["from_env"] and "relay.example.gov.cn" in form["summary"]
    assert "env-pw" not in str(form) and "page-pw" not in str(form)
    monkeypatch.setenv("DUBAN_SMTP_TLS", "starttls")
    assert channel_settings.smtp_config(db).tls == "starttls"
    monkeypatch.setenv("DUBAN_SMTP_PORT", "587")
    monkeypatch.delenv("DUBAN_SMTP_TLS")
    assert channel_settings.smtp_config(db).tls == "starttls"


def test_bad_settings_are_refused_and_nothing_is_stored(db):
    with pytest.raises(InputError, match="端口"):
        settings.save_smtp(db, OFFICE, host="x", port="abc", tls="none", user=None, sender=None)
    with pytest.raises(InputError, match="发件人"):
        settings.save_smtp(db, OFFICE, host="x", port=25, tls="none", user=None, sender="not-an-address")
    assert channel_settings.smtp_config(db) is None


def test_an_unreachable_server_is_a_clear_error():
    cfg = channel_settings.SmtpConfig(host="127.0.0.1", port=free_port(), tls="none", user=None, password=None,
                              sender="duban@example.gov.cn")
    with pytest.raises(channel_settings.SendError, match="无法连接邮件服务器"):
        channels.send_email(cfg, "a@example.gov.cn", "主题", "正文")
