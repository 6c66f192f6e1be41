"""Accounts: argon2 hashes only, the first account is the office's, disabled accounts cannot log in, idle timeout setting."""
from __future__ import annotations

import pytest

from db import connect
from duban.access import SYSTEM
from duban.errors import AccessDenied, InputError
from duban.services import users
from tests.reports_world import PASSWORD, build

SECRET = "Kennwort-清晰-7781"


def _raw_bytes(path):
    """Every byte SQLite keeps for this database: the file, and its WAL and shared-memory files if present."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def test_passwords_never_reach_the_database_file_in_clear(db, db_path):
    build(db, with_users=False)
    users.create_user(db, None, "bangong", SECRET, "office")
    users.create_user(db, SYSTEM, "zz-minzheng", SECRET + "-2", "liaison", [1])
    users.change_password(db, SYSTEM, "zz-minzheng", SECRET + "-3")
    assert users.authenticate(db, "bangong", SECRET) is not None
    raw = _raw_bytes(db_path)  # before the checkpoint: the WAL holds the recent writes
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw += _raw_bytes(db_path)
    assert b"bangong" in raw  # the scan does see what is stored
    for pw in (SECRET, SECRET + "-2", SECRET + "-3"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert pw.encode(encoding) not in raw
    hashes = [r[0] for r in db.conn.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_authentication(db):
    build(db, with_users=False)
    users.create_user(db, None, "bangong", SECRET, "office")
    assert users.authenticate(db, "bangong", SECRET).role == "office"
    assert users.authenticate(db, " bangong ", SECRET) is not None
    assert users.authenticate(db, "bangong", SECRET.upper()) is None
    assert users.authenticate(db, "nobody", SECRET) is None
    assert users.authenticate(db, "bangong", "") is None


def test_only_the_first_account_needs_no_actor_and_it_must_be_the_office(db):
    build(db, with_users=False)
    with pytest.raises(InputError, match="第一个账号必须是办公室管理员"):
        users.create_user(db, None, "zz", SECRET, "liaison", [1])
    users.create_user(db, None, "bangong", SECRET, "office")
    with pytest.raises(InputError, match="系统已有账号"):
        users.create_user(db, None, "second", SECRET, "office")


def test_a_user_may_change_only_their_own_password(db):
    build(db)
    liaison = users.authenticate(db, "zz-minzheng", PASSWORD)
    users.change_password(db, liaison, "zz-minzheng", "a-new-password")
    assert users.authenticate(db, "zz-minzheng", "a-new-password") is not None
    with pytest.raises(AccessDenied):
        users.change_password(db, liaison, "bangong", "taking-over-1")


def test_the_office_cannot_lock_itself_out(db):
    build(db)
    office = users.authenticate(db, "bangong", PASSWORD)
    with pytest.raises(InputError, match="不能停用自己"):
        users.set_active(db, office, "bangong", False)


def test_the_idle_timeout_comes_from_the_environment_else_the_setting_else_30(db, monkeypatch):
    build(db)
    monkeypatch.delenv("DUBAN_SESSION_MINUTES", raising=False)
    assert users.session_minutes(db) == 30
    office = users.authenticate(db, "bangong", PASSWORD)
    users.set_session_minutes(db, office, 45)
    assert users.session_minutes(db) == 45
    monkeypatch.setenv("DUBAN_SESSION_MINUTES", "5")
    assert users.session_minutes(db) == 5
    with pytest.raises(InputError):
        users.set_session_minutes(db, office, 0)
    with pytest.raises(AccessDenied):
        users.set_session_minutes(db, users.authenticate(db, "lingdao", PASSWORD), 10)


def test_the_setting_survives_reopening(db, db_path, monkeypatch):
    build(db)
    monkeypatch.delenv("DUBAN_SESSION_MINUTES", raising=False)
    users.set_session_minutes(db, SYSTEM, 12)
    again = connect(db_path)
    try:
        assert users.session_minutes(again) == 12
    finally:
        again.conn.close()
