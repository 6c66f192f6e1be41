"""Logging in and out through the form, the first office account, and the end of an idle session."""
from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from duban.access import SYSTEM
from duban.services import users
from tests.reports_world import PASSWORD, build
from tests.support import APP, app_as


@pytest.fixture
def world(db):
    return build(db)


def _login(username, password):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == "登录").click()
    at.run()
    assert not at.exception
    return at


def _logged_in(at) -> bool:
    return any(b.key == "logout" for b in at.sidebar.button)


def _run_frame(at):
    """Run the app again, as the next click in the browser would (every run goes through app.py's frame)."""
    at.run()
    assert not at.exception
    return at


def test_the_login_form_has_the_three_fields_and_no_demo_passwords(db, world):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    page_text = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info] if hasattr(e, "value"))
    assert PASSWORD not in page_text and "zz-minzheng" not in page_text


def test_a_liaison_logs_in_through_the_form(db, world):
    """(Logging out by the sidebar button is driven in the real browser: tests/test_browser_report.py.)"""
    at = _login("zz-minzheng", PASSWORD)
    assert _logged_in(at)
    assert "zz-minzheng" in " ".join(c.value for c in at.sidebar.caption)
    assert [t.value for t in at.title] == ["我的任务"]


def test_a_wrong_password_is_one_message_and_no_login(db, world):
    at = _login("zz-minzheng", "wrong-password")
    assert not _logged_in(at)
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    at = _login("no-such-user", PASSWORD)
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]


def test_a_disabled_account_cannot_log_in_and_an_open_session_ends(db, world):
    at = app_as(db, "zz-weijian")
    assert not at.exception and _logged_in(at)
    users.set_active(db, SYSTEM, "zz-weijian", False)
    _run_frame(at)
    assert not _logged_in(at)
    assert not _logged_in(_login("zz-weijian", PASSWORD))


def _idle_for(db, username, seconds):
    """Make the user's live login look idle for `seconds` (its idle clock as the server keeps it)."""
    since = time.time() - seconds
    db.conn.execute("UPDATE sessions SET last_seen = ?, idle_until = ? + (idle_until - last_seen) "
                    "WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username=?)",
                    [since, since, username])


def test_an_idle_session_ends_after_the_configured_minutes(db, world, monkeypatch):
    monkeypatch.delenv("DUBAN_SESSION_MINUTES", raising=False)
    users.set_session_minutes(db, SYSTEM, 20)
    at = _login("zz-minzheng", PASSWORD)
    _idle_for(db, "zz-minzheng", 19 * 60)
    _run_frame(at)
    assert _logged_in(at)
    _idle_for(db, "zz-minzheng", 21 * 60)
    _run_frame(at)
    assert "session_token" not in at.session_state
    assert not _logged_in(at) and [b.label for b in at.button] == ["登录"]
    assert any("长时间未操作" in i.value for i in at.info)


def test_the_environment_overrides_the_idle_setting(db, world, monkeypatch):
    monkeypatch.setenv("DUBAN_SESSION_MINUTES", "2")
    at = _login("bangong", PASSWORD)
    row = db.conn.execute("SELECT idle_until - last_seen FROM sessions WHERE revoked_at IS NULL").fetchone()
    assert row[0] == 120
    _idle_for(db, "bangong", 3 * 60)
    _run_frame(at)
    assert not _logged_in(at)


def test_a_login_ends_after_its_absolute_lifetime_however_busy(db, world, monkeypatch):
    monkeypatch.setenv("DUBAN_SESSION_MAX_HOURS", "12")
    at = _login("bangong", PASSWORD)
    created, expires = db.conn.execute("SELECT created_at, expires_at FROM sessions").fetchone()
    assert expires - created == 12 * 3600
    _run_frame(at)
    assert _logged_in(at)
    db.conn.execute("UPDATE sessions SET expires_at = ?", [time.time() - 1])
    _run_frame(at)
    assert not _logged_in(at)
    assert any("登录时间已到上限" in i.value for i in at.info)


def test_logout_revokes_the_login_on_the_server_for_every_tab(db, world):
    first = _login("zz-minzheng", PASSWORD)
    token = first.session_state["session_token"]
    second = AppTest.from_file(APP, default_timeout=60)  # another tab holding the same login (its cookie)
    second.session_state["session_token"] = token
    _run_frame(second)
    assert _logged_in(second)
    next(b for b in first.sidebar.button if b.key == "logout").click()
    _run_frame(first)
    assert not _logged_in(first)
    assert db.conn.execute("SELECT revoked_why FROM sessions").fetchone()[0] == "logout"
    _run_frame(second)
    assert not _logged_in(second)


def test_on_an_empty_database_the_first_page_creates_the_office_administrator(db, db_path):
    build(db, with_users=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("创建办公室管理员" in s.value for s in at.subheader)
    at.text_input(key="admin_username").input("zhuren")
    at.text_input(key="admin_password").input("Admin-口令-2026")
    at.text_input(key="admin_password2").input("Admin-口令-2026")
    next(b for b in at.button if b.label == "创建并登录").click()
    at.run()
    assert not at.exception and _logged_in(at)
    row = db.conn.execute("SELECT role, password_hash FROM users WHERE username='zhuren'").fetchone()
    assert row[0] == "office" and row[1].startswith("$argon2id$")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert "Admin-口令-2026".encode() not in raw
    # once an account exists, the page is the ordinary login form
    again = AppTest.from_file(APP, default_timeout=60)
    again.run()
    assert not again.exception and [b.label for b in again.button] == ["登录"]


def test_the_first_administrator_form_checks_its_input(db):
    build(db, with_users=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="admin_username").input("zhuren")
    at.text_input(key="admin_password").input("short")
    at.text_input(key="admin_password2").input("short")
    next(b for b in at.button if b.label == "创建并登录").click()
    at.run()
    assert not at.exception
    assert any("至少需要 10 个字符" in e.value for e in at.error)
    assert db.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0
