"""Logins on the server: a write or a download from an ended login stores and serves nothing; throttling;
password policy; the demo only when asked for, with a forced password change."""
from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from duban.access import SYSTEM
from duban.errors import InputError, SessionEnded
from duban.services import evidence, reports, review, sessions, setup, users
from tests.reports_world import PASSWORD, PDF, TODAY, actor, build
from tests.support import APP, app_as


@pytest.fixture
def world(db):
    return build(db)


def _logged_in(db, username):
    return sessions.start(db, actor(db, username))


def _count(db, table):
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---- a login that has ended can neither write nor read files

def test_a_disabled_accounts_open_login_files_nothing(db, world):
    _, liaison = _logged_in(db, "zz-minzheng")
    reports.file_report(db, liaison, world.shared, "第一次", 10, "推进中", TODAY)
    users.set_active(db, SYSTEM, "zz-minzheng", False)
    with pytest.raises(SessionEnded, match="停用"):
        reports.file_report(db, liaison, world.shared, "停用之后", 20, "推进中", TODAY, evidence=[("a.pdf", PDF)])
    assert [r[0] for r in db.conn.execute("SELECT progress_text FROM reports")] == ["第一次"]
    assert _count(db, "evidence") == 0


def test_an_idle_or_too_old_login_accepts_nothing(db, world):
    report_id = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "已完成", 100, "已完成", TODAY)
    _, office = _logged_in(db, "bangong")
    db.conn.execute("UPDATE sessions SET idle_until = ?", [time.time() - 1])
    with pytest.raises(SessionEnded, match="长时间未操作"):
        review.accept(db, office, report_id, TODAY)
    _, office = _logged_in(db, "bangong")
    db.conn.execute("UPDATE sessions SET expires_at = ? WHERE id = ?", [time.time() - 1, office.session_id])
    with pytest.raises(SessionEnded, match="上限"):
        review.return_report(db, office, report_id, "理由", TODAY)
    assert db.conn.execute("SELECT review_state FROM reports").fetchone()[0] == "待审核"
    assert not any(a == "审核通过" or a == "退回报告" for (a,) in db.conn.execute("SELECT action FROM audit_log"))


def test_an_evidence_file_is_not_read_for_a_login_that_logged_out(db, world):
    token, liaison = _logged_in(db, "zz-minzheng")
    reports.file_report(db, liaison, world.shared, "附件", 10, "推进中", TODAY, evidence=[("a.pdf", PDF)])
    evidence_id = db.conn.execute("SELECT id FROM evidence").fetchone()[0]
    assert evidence.read(db, liaison, evidence_id)[2] == PDF
    sessions.end(db, token)
    with pytest.raises(SessionEnded, match="已退出登录"):
        evidence.read(db, liaison, evidence_id)


def test_a_password_change_ends_the_accounts_other_logins(db, world):
    _, here = _logged_in(db, "zz-minzheng")
    other_token, other = _logged_in(db, "zz-minzheng")
    users.change_password(db, here, "zz-minzheng", "Another-pass-77")
    with pytest.raises(SessionEnded, match="密码已修改"):
        sessions.resume(db, other_token)
    reports.file_report(db, here, world.shared, "本窗口仍可填报", 10, "推进中", TODAY)


def test_a_resumed_login_is_the_accounts_current_actor(db, world):
    token, _ = _logged_in(db, "zz-minzheng")
    resumed = sessions.resume(db, token)
    assert resumed.username == "zz-minzheng" and resumed.session_id is not None
    with pytest.raises(SessionEnded):
        sessions.resume(db, token + "x")
    assert "token" not in " ".join(map(str, db.conn.execute("SELECT * FROM sessions").fetchone()))
    assert token not in " ".join(map(str, db.conn.execute("SELECT * FROM sessions").fetchone()))


# ---- the page keeps what was typed and says why nothing was stored

def test_a_pending_submit_of_a_disabled_account_stores_nothing_and_keeps_the_text(db, world):
    at = app_as(db, "zz-minzheng", "pages/my_tasks.py")
    assert not at.exception
    at.text_area(key="report_text").input("本期新建养老服务站两处。")
    users.set_active(db, SYSTEM, "zz-minzheng", False)  # the office disables the account meanwhile
    at.button(key="report_submit").click()
    at.run()
    assert not at.exception
    assert _count(db, "reports") == 0
    assert [b.label for b in at.button] == ["登录"]
    assert any("停用" in i.value for i in at.info)
    assert "本期新建养老服务站两处。" in [t.value for t in at.text]


def test_after_an_idle_end_the_form_is_filled_again_at_the_next_login(db, world):
    at = app_as(db, "zz-minzheng", "pages/my_tasks.py")
    at.text_area(key="report_text").input("写了很久的进展。")
    db.conn.execute("UPDATE sessions SET idle_until = ?", [time.time() - 1])
    at.button(key="report_submit").click()
    at.run()
    assert _count(db, "reports") == 0 and any("长时间未操作" in i.value for i in at.info)
    at.text_input(key="login_username").input("zz-minzheng")
    at.text_input(key="login_password").input(PASSWORD)
    next(b for b in at.button if b.label == "登录").click()
    at.run()
    assert not at.exception
    assert at.text_area(key="report_text").value == "写了很久的进展。"


# ---- throttling and lockout

def test_wrong_passwords_slow_an_account_down_then_lock_it_until_the_office_unlocks(db, world):
    now = 1_000_000.0
    for i in range(5):
        with pytest.raises(users.LoginRefused, match="用户名或密码不正确"):
            users.log_in(db, "zz-minzheng", f"wrong-{i}", "10.0.0.1", now=now + i)
    # the sixth try comes too soon: refused without looking at the password, even the right one
    with pytest.raises(users.LoginRefused, match="秒后再试"):
        users.log_in(db, "zz-minzheng", PASSWORD, "10.0.0.1", now=now + 4.5)
    later = now + 4
    for i in range(5, 10):
        later += 400  # after each delay
        with pytest.raises(users.LoginRefused):
            users.log_in(db, "zz-minzheng", f"wrong-{i}", "10.0.0.1", now=later)
    with pytest.raises(users.LoginRefused, match="已被锁定"):
        users.log_in(db, "zz-minzheng", PASSWORD, "10.0.0.1", now=later + 10_000)
    assert "锁定账号" in [a for (a,) in db.conn.execute("SELECT action FROM audit_log")]
    assert users.authenticate(db, "zz-minzheng", PASSWORD) is None
    users.unlock(db, actor(db, "bangong"), "zz-minzheng")
    assert users.log_in(db, "zz-minzheng", PASSWORD, "10.0.0.1").username == "zz-minzheng"
    assert "解除锁定" in [a for (a,) in db.conn.execute("SELECT action FROM audit_log")]


def test_one_address_guessing_many_accounts_is_slowed_down(db, world):
    now = 2_000_000.0
    for i in range(20):
        with pytest.raises(users.LoginRefused, match="不正确"):
            users.log_in(db, f"guess-{i}", "password-x", "10.9.9.9", now=now + i)
    with pytest.raises(users.LoginRefused, match="秒后再试"):
        users.log_in(db, "bangong", PASSWORD, "10.9.9.9", now=now + 19.5)
    # another address is not held up
    assert users.log_in(db, "bangong", PASSWORD, "10.1.1.1", now=now + 19.5).username == "bangong"


def test_the_cli_unlocks_an_account(db, world, db_path):
    from duban.cli import main

    now = time.time()
    for i in range(10):
        with pytest.raises(users.LoginRefused):
            users.log_in(db, "zz-weijian", f"nope-{i}", None, now=now - 3000 + i * 300)
    assert db.conn.execute("SELECT locked_at FROM users WHERE username='zz-weijian'").fetchone()[0]
    assert main(["user", "unlock", "zz-weijian", "--db", str(db_path)]) == 0
    assert db.conn.execute("SELECT locked_at FROM users WHERE username='zz-weijian'").fetchone()[0] is None
    assert users.log_in(db, "zz-weijian", PASSWORD).username == "zz-weijian"


def test_the_accounts_page_lifts_a_lock(db, world):
    db.conn.execute("UPDATE users SET locked_at = datetime('now') WHERE username='zz-weijian'")
    at = app_as(db, "bangong", "pages/accounts.py")
    assert not at.exception
    assert "已锁定" in " ".join(at.dataframe[0].value["状态"])
    at.button(key="unlock_submit").click()
    at.run()
    assert not at.exception
    assert db.conn.execute("SELECT locked_at FROM users WHERE username='zz-weijian'").fetchone()[0] is None


# ---- password policy

@pytest.mark.parametrize("password, message", [
    ("Short-1", "至少需要 10 个字符"),
    ("qwertyuiop", "过于常见"),
    ("1234567890", "过于常见"),
    ("aaaaaaaaaaaa", "过于常见"),
    ("my-zz-minzheng-pw", "不能包含用户名"),
])
def test_weak_passwords_are_refused_everywhere_they_are_set(db, world, password, message):
    with pytest.raises(InputError, match=message):
        users.change_password(db, SYSTEM, "zz-minzheng", password)
    with pytest.raises(InputError, match=message):
        users.create_user(db, SYSTEM, "zz-minzheng" if "minzheng" in password else "newone", password, "leader")
    assert users.authenticate(db, "zz-minzheng", PASSWORD) is not None


# ---- the demo only when asked for

def test_a_fresh_start_has_no_accounts_and_asks_for_the_office_administrator(db, monkeypatch):
    monkeypatch.delenv("DUBAN_DEMO", raising=False)
    assert not setup.demo_requested([])
    at = AppTest.from_file(APP, default_timeout=120)
    at.run(timeout=300)
    assert not at.exception
    assert _count(db, "users") == 0 and _count(db, "plans") == 5
    assert any("创建办公室管理员" in s.value for s in at.subheader)
    # the first start said what it was doing while it worked, instead of a blank page
    assert [(s.label, s.state) for s in at.status] == [("数据已准备好。", "complete")]
    assert any("正在导入五份规划文件" in m.value for m in at.status[0].markdown)
    at.run()
    assert not at.exception and not at.status  # once prepared, the next visit goes straight to the page
    assert setup.demo_requested(["--demo"])
    monkeypatch.setenv("DUBAN_DEMO", "1")
    assert setup.demo_requested([])


def test_a_demo_account_must_choose_its_password_first_and_is_marked(demo_db):
    demo_db.conn.execute("UPDATE users SET must_change_password = 1 WHERE username='zz-minzheng'")
    at = app_as(demo_db, "zz-minzheng")
    assert not at.exception
    assert [t.value for t in at.title] == ["修改密码"]
    at.text_input(key="first_pw").input("Mein-eigenes-9")
    at.text_input(key="first_pw2").input("Mein-eigenes-9")
    at.button(key="first_pw_submit").click()
    at.run()
    assert not at.exception
    assert at.title[0].value != "修改密码"
    assert any("演示账号" in m.value for m in at.markdown)
    assert not users.must_change_password(demo_db, actor(demo_db, "zz-minzheng").user_id)
    assert users.authenticate(demo_db, "zz-minzheng", "Mein-eigenes-9") is not None


def test_demo_accounts_are_created_needing_a_new_password(db):
    build(db, with_users=False)
    users.create_user(db, None, "bangong", PASSWORD, "office")
    users.create_user(db, SYSTEM, "demo-x", "duban2026", "leader", is_demo=True)
    assert users.must_change_password(db, actor(db, "demo-x").user_id)
    assert not users.must_change_password(db, actor(db, "bangong").user_id)
