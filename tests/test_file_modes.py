"""The files that hold the office's data are readable by their owner only."""
from __future__ import annotations

import os
import stat

from db import connect
from duban.services import evidence

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b2a4f30000000049454e44ae426082")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_database_and_its_wal_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "data" / "duban.db"
        db = connect(path)
        db.conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
        db.conn.execute("INSERT INTO t VALUES (1)")
        for name in ("duban.db", "duban.db-wal", "duban.db-shm"):
            assert (path.parent / name).exists(), name
            assert _mode(path.parent / name) == 0o600, name
        assert _mode(path.parent) == 0o700
        db.conn.close()
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_made_private(tmp_path):
    path = tmp_path / "duban.db"
    connect(path).conn.close()
    os.chmod(path, 0o644)
    db = connect(path)
    assert _mode(path) == 0o600
    db.conn.close()


def test_evidence_files_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("DUBAN_DATA_DIR", str(tmp_path / "files"))
    old = os.umask(0o022)
    try:
        stored = evidence.store(evidence.check("现场.png", PNG, 1 << 20))
    finally:
        os.umask(old)
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700
