"""Passwords and secrets: no account password in clear anywhere in the database files, the audit log, the logs
or the pages; the mail password and the robots' keys are stored but never shown back."""
from __future__ import annotations

import http.server
import logging
import shutil
import sqlite3
import stat
import threading

import pytest
from cryptography.fernet import Fernet

from db.connection import connect
from db.queries import reminders as rq
from db.queries import settings as settings_q
from duban.errors import DubanError, InputError
from duban.jobs import channels
from duban.services import channel_settings, users, vault
from duban.services import reminder_settings as settings
from tests.remind_world import HookSink
from tests.reports_world import PASSWORD, TODAY, actor, build
from tests.support import app_as, free_port

NEW_PASSWORD = "Zq9-new-passphrase-7731"
SMTP_PASSWORD = "Smtp-Pw-5518-secret"
ROBOT_TOKEN = "tok3n4f7d2e9c1b8a6"
ROBOT_SECRET = "SEC9c2d71e0ab44f"


@pytest.fixture
def world(db):
    return build(db)


def _files(db_path) -> bytes:
    """Every byte SQLite keeps for this database: the main file, the write-ahead log and its index."""
    out = b""
    for suffix in ("", "-wal", "-shm"):
        path = db_path.parent / (db_path.name + suffix)
        if path.exists():
            out += path.read_bytes()
    return out


def _all_text(db) -> str:
    """Every text value in every table, as one string."""
    parts = []
    tables = [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for row in db.conn.execute(f'SELECT * FROM "{table}"'):
            parts += [str(v) for v in row if v is not None]
    return "\n".join(parts)


def test_account_passwords_never_reach_the_database_files_or_audit_log(db, db_path, world, caplog):
    caplog.set_level(logging.DEBUG)
    office = actor(db, "bangong")
    users.create_user(db, office, "zz-caizheng", NEW_PASSWORD, "liaison", [world.a], email="cz@example.gov.cn")
    users.change_password(db, office, "zz-minzheng", NEW_PASSWORD + "-2")
    assert users.authenticate(db, "zz-caizheng", "wrong-" + NEW_PASSWORD) is None
    with pytest.raises(InputError) as refused:
        users.create_user(db, office, "zz-caizheng", NEW_PASSWORD, "liaison", [world.a])
    data = _files(db_path)
    for secret in (NEW_PASSWORD, NEW_PASSWORD + "-2", PASSWORD):
        assert secret.encode() not in data
        assert secret not in _all_text(db)
        assert secret not in str(refused.value)
        assert secret not in caplog.text
    hashes = [r[0] for r in db.conn.execute("SELECT password_hash FROM users")]
    assert hashes and all(h.startswith("$argon2") for h in hashes)


def test_the_accounts_page_shows_no_password_hash(db, world):
    at = app_as(db, "bangong", "pages/accounts.py")
    assert not at.exception
    assert "$argon2" not in str(at._tree) and PASSWORD not in str(at._tree)


def test_mail_and_robot_secrets_are_never_shown_back_or_audited(db, world):
    office = actor(db, "bangong")
    settings.save_smtp(db, office, host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    hook = settings.add_webhook(db, office, "民政局工作群", "dingtalk",
                                f"https://oapi.dingtalk.com/robot/send?access_token={ROBOT_TOKEN}", ROBOT_SECRET)
    form = settings.smtp_form(db, office)
    assert form["has_password"] and form["password"] is None and SMTP_PASSWORD not in str(form)
    listed = settings.list_webhooks(db, office)
    assert listed[0]["id"] == hook and listed[0]["has_secret"]
    assert ROBOT_TOKEN not in str(listed) and ROBOT_SECRET not in str(listed)
    audit_text = "\n".join(str(r["detail"]) for r in db.conn.execute("SELECT detail FROM audit_log"))
    for secret in (SMTP_PASSWORD, ROBOT_TOKEN, ROBOT_SECRET):
        assert secret not in audit_text


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the standard library's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(500)
        self.end_headers()
        self.wfile.write("服务暂不可用".encode())

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("reachable", [True, False])
def test_a_failed_robot_send_names_no_key_in_its_message_or_the_log(db, world, caplog, reachable):
    caplog.set_level(logging.DEBUG)
    office = actor(db, "bangong")
    server = http.server.HTTPServer(("127.0.0.1", free_port() if not reachable else 0), _Failing)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    if reachable:
        thread.start()
    else:
        server.server_close()
    try:
        hook = settings.add_webhook(db, office, "测试群", "dingtalk",
                                    f"http://127.0.0.1:{port}/robot/send?access_token={ROBOT_TOKEN}", ROBOT_SECRET)
        with pytest.raises(InputError) as failed:
            channels.send_test_webhook(db, office, hook, TODAY)
    finally:
        if reachable:
            server.shutdown()
            server.server_close()
    message = str(failed.value)
    assert "发送失败" in message
    for secret in (ROBOT_TOKEN, ROBOT_SECRET):
        assert secret not in message and secret not in caplog.text


def test_the_mail_password_is_not_stored_in_clear(db, db_path, world):
    settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    assert SMTP_PASSWORD.encode() not in _files(db_path)
    assert channel_settings.smtp_config(db).password == SMTP_PASSWORD  # still there for sending


@pytest.fixture
def robot():
    sink = HookSink().start()
    yield sink
    sink.stop()


def _save_secrets(db, robot_url: str) -> int:
    office = actor(db, "bangong")
    settings.save_smtp(db, office, host="127.0.0.1", port=free_port(), tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    return settings.add_webhook(db, office, "民政局工作群", "dingtalk",
                                f"{robot_url}/robot/send?access_token={ROBOT_TOKEN}", ROBOT_SECRET)


def test_robot_addresses_and_keys_are_stored_encrypted_and_still_reach_the_robot(db, db_path, world, robot):
    hook = _save_secrets(db, robot.url)
    data = _files(db_path)
    for secret in (ROBOT_TOKEN, ROBOT_SECRET, SMTP_PASSWORD):
        assert secret.encode() not in data and secret not in _all_text(db)
    assert channels.send_test_webhook(db, actor(db, "bangong"), hook, TODAY).startswith("测试消息已发送")
    assert robot.posts[-1]["path"].startswith(f"/robot/send?access_token={ROBOT_TOKEN}&timestamp=")
    assert settings.list_webhooks(db, actor(db, "bangong"))[0]["url"] == f"{robot.url}/robot/send?…"


def test_the_key_is_a_file_beside_the_database_only_its_owner_can_read(db, db_path, world, monkeypatch):
    monkeypatch.delenv(vault.ENV_KEY, raising=False)
    key = db_path.parent / "secret.key"
    assert not key.exists()
    settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD + "-2")
    assert key.read_bytes() == first  # one key for the database's lifetime
    assert channel_settings.smtp_config(db).password == SMTP_PASSWORD + "-2"


def test_a_copy_of_the_database_file_alone_reveals_nothing_and_says_what_to_do(db, db_path, world, robot,
                                                                               tmp_path, monkeypatch):
    monkeypatch.delenv(vault.ENV_KEY, raising=False)
    hook = _save_secrets(db, robot.url)
    copy_path = tmp_path / "elsewhere" / "duban.db"
    copy_path.parent.mkdir()
    backup = sqlite3.connect(str(copy_path))
    db.conn.backup(backup)
    backup.close()
    assert ROBOT_TOKEN.encode() not in copy_path.read_bytes() and SMTP_PASSWORD.encode() not in copy_path.read_bytes()

    copy = connect(copy_path)
    try:
        office = actor(copy, "bangong")
        assert channel_settings.smtp_config(copy).password is None
        with pytest.raises(InputError, match="无法解密") as mail_failed:
            channels.send_test_email(copy, office, "a@example.gov.cn", TODAY)
        with pytest.raises(InputError, match="无法解密") as robot_failed:
            channels.send_test_webhook(copy, office, hook, TODAY)
        assert "无法解密" in settings.list_webhooks(copy, office)[0]["url"]
        assert robot.posts == []
        for secret in (ROBOT_TOKEN, ROBOT_SECRET, SMTP_PASSWORD):
            assert secret not in str(mail_failed.value) + str(robot_failed.value)

        # with the key file restored beside it, the copy works again
        shutil.copy(db_path.parent / "secret.key", copy_path.parent / "secret.key")
        assert channel_settings.smtp_config(copy).password == SMTP_PASSWORD
        assert channels.send_test_webhook(copy, office, hook, TODAY).startswith("测试消息已发送")
    finally:
        copy.conn.close()


def test_clear_values_of_an_older_database_are_still_used_and_encrypted_on_the_next_save(db, db_path, world, robot):
    settings_q.set_setting(db, "smtp_host", "127.0.0.1")
    settings_q.set_setting(db, "smtp_user", "duban")
    settings_q.set_setting(db, "smtp_password", SMTP_PASSWORD)
    hook = rq.insert_webhook(db, "旧机器人", "dingtalk", f"{robot.url}/robot/send?access_token={ROBOT_TOKEN}",
                             ROBOT_SECRET, None)
    office = actor(db, "bangong")
    assert channel_settings.smtp_config(db).password == SMTP_PASSWORD
    assert channels.send_test_webhook(db, office, hook, TODAY).startswith("测试消息已发送")
    assert ROBOT_TOKEN not in str(settings.list_webhooks(db, office))

    settings.save_general(db, office, {"office_name": "领导小组办公室"})
    for secret in (SMTP_PASSWORD, ROBOT_TOKEN, ROBOT_SECRET):
        assert secret not in _all_text(db)
    assert channel_settings.smtp_config(db).password == SMTP_PASSWORD
    assert channels.send_test_webhook(db, office, hook, TODAY).startswith("测试消息已发送")
    assert robot.posts[-1]["path"].startswith(f"/robot/send?access_token={ROBOT_TOKEN}&")


def test_DUBAN_SECRET_KEY_replaces_the_key_file(db, db_path, world, monkeypatch):  # noqa: N802 - the variable's name
    monkeypatch.setenv(vault.ENV_KEY, Fernet.generate_key().decode())
    settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    assert not (db_path.parent / "secret.key").exists()
    assert channel_settings.smtp_config(db).password == SMTP_PASSWORD
    monkeypatch.delenv(vault.ENV_KEY)
    assert channel_settings.smtp_config(db).password is None and "无法解密" in channel_settings.smtp_config(db).password_error
    monkeypatch.setenv(vault.ENV_KEY, "not-a-key")
    with pytest.raises(DubanError, match="DUBAN_SECRET_KEY"):
        settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                           sender="duban@example.gov.cn", password="another")
