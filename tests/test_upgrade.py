"""Upgrades keep data: pending migrations run after an automatic copy; a database newer than the program is refused."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import db.migrations as migrations
from db import connect
from db import connection as db_connection
from db.migrations import SchemaTooNew
from duban.errors import DubanError
from tests.reports_world import build

ROOT = Path(__file__).resolve().parent.parent


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.fixture
def backups_dir(tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    monkeypatch.setenv("DUBAN_BACKUP_DIR", str(folder))
    return folder


def test_an_upgrade_copies_a_database_with_data_before_migrating(db_path, backups_dir, monkeypatch):
    every = migrations.migration_files()
    newest = every[-1].stem
    with monkeypatch.context() as previous_version:  # the program as it was, one migration fewer
        previous_version.setattr(migrations, "migration_files", lambda: every[:-1])
        old = connect(db_path)
        world = build(old)
        old.conn.close()

    upgraded = connect(db_path)  # the new program opens it
    try:
        names = {r[0] for r in upgraded.conn.execute("SELECT name FROM schema_migrations")}
        assert newest in names
        assert upgraded.conn.execute("SELECT count(*) FROM tasks WHERE id=?", [world.shared]).fetchone()[0] == 1
    finally:
        upgraded.conn.close()
    copies = sorted(backups_dir.glob("before-upgrade-*.db"))
    assert len(copies) == 1 and newest in copies[0].name
    with sqlite3.connect(copies[0]) as conn:
        assert newest not in {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 4
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connect(db_path).conn.close()  # nothing pending any more: no second copy
    assert len(list(backups_dir.glob("before-upgrade-*.db"))) == 1


def test_a_new_database_is_created_without_a_copy(db_path, backups_dir):
    connect(db_path).conn.close()
    assert not backups_dir.exists() or not list(backups_dir.iterdir())


def test_a_database_from_a_newer_program_is_refused_and_left_as_it_was(db_path, backups_dir):
    db = connect(db_path)
    build(db)
    db.conn.execute("INSERT INTO schema_migrations (name) VALUES ('999_from_a_newer_version')")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    before = _dump(db_path)
    with pytest.raises(SchemaTooNew) as refused:
        connect(db_path)
    assert "数据库版本比程序新" in str(refused.value) and "请升级程序" in str(refused.value)
    assert "999_from_a_newer_version" in str(refused.value)
    env = {**os.environ, "DUBAN_DB": str(db_path)}
    cli = subprocess.run([sys.executable, "-m", "duban", "plans"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 2 and "数据库版本比程序新" in cli.stderr and "请升级程序" in cli.stderr
    assert _dump(db_path) == before
    assert not backups_dir.exists()


def test_the_app_says_a_newer_database_needs_a_newer_program(db_path):
    from streamlit.testing.v1 import AppTest

    db = connect(db_path)
    db.conn.execute("INSERT INTO schema_migrations (name) VALUES ('999_from_a_newer_version')")
    db.conn.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("数据库版本比程序新" in e.value for e in at.error)


def test_an_upgrade_while_another_process_writes_says_the_database_is_busy(db_path, backups_dir, monkeypatch):
    every = migrations.migration_files()
    with monkeypatch.context() as previous_version:
        previous_version.setattr(migrations, "migration_files", lambda: every[:-1])
        connect(db_path).conn.close()
    monkeypatch.setattr(db_connection, "WRITE_WAIT_SECONDS", 0.3)
    held, done = threading.Event(), threading.Event()

    def hold() -> None:  # another process's writer, as SQLite sees it
        other = sqlite3.connect(str(db_path), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        done.wait(10)
        other.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(DubanError, match="数据库繁忙"):
            connect(db_path)
        assert time.monotonic() - started < 10  # not SQLite's own 60-second wait
    finally:
        done.set()
        holder.join()
    upgraded = connect(db_path)  # once the other writer is done, the upgrade goes through
    try:
        assert every[-1].stem in {r[0] for r in upgraded.conn.execute("SELECT name FROM schema_migrations")}
    finally:
        upgraded.conn.close()
