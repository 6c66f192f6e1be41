"""`python -m duban backup`: a consistent, standalone copy even while the app writes."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from db import connect, transaction

ROOT = Path(__file__).resolve().parent.parent


def run(db_path, *args):
    env = {**os.environ, "DUBAN_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "duban", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_backup_copies_everything_and_refuses_to_overwrite(demo_db_path, tmp_path):
    out = tmp_path / "copy.db"
    result = run(demo_db_path, "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "已备份到" in result.stdout
    with sqlite3.connect(out) as conn, sqlite3.connect(demo_db_path) as src:
        for table in ("plans", "tasks", "reports", "users"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == \
                src.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    again = run(demo_db_path, "backup", "--out", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr


def test_backup_while_another_connection_writes(demo_db_path, tmp_path):
    writer = connect(demo_db_path)
    stop = threading.Event()

    def write():
        n = 0
        while not stop.is_set():
            with transaction(writer):
                writer.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [f"k{n}", "v"])
            n += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        out = tmp_path / "live.db"
        result = run(demo_db_path, "backup", "--out", str(out))
    finally:
        stop.set()
        thread.join()
        writer.conn.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = [r[0] for r in conn.execute("SELECT key FROM settings WHERE key LIKE 'k%'")]
    # a consistent snapshot: the writes it holds are a gap-free prefix
    numbers = sorted(int(k[1:]) for k in keys)
    assert numbers == list(range(len(numbers)))


def test_backup_of_a_missing_database_says_so(tmp_path):
    result = run(tmp_path / "none.db", "backup", "--out", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "不存在" in result.stderr
