"""`python -m duban backup` / `restore`: one archive that brings back tasks, reports, evidence and the mail secrets."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from db import connect, transaction
from duban.access import SYSTEM
from duban.jobs import jobs
from duban.services import backups, channel_settings, evidence, reports
from duban.services import reminder_settings as settings
from tests.reports_world import PDF, PNG, TODAY, actor, build

ROOT = Path(__file__).resolve().parent.parent
SMTP_PASSWORD = "Smtp-Restore-4471"


def run(db_path, *args, env=None):
    env = {**os.environ, "DUBAN_DB": str(db_path), **(env or {})}
    return subprocess.run([sys.executable, "-m", "duban", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


@pytest.fixture
def office(tmp_path, monkeypatch):
    """An installation laid out as on a server: data/duban.db, data/files, data/secret.key; backups elsewhere."""
    data = tmp_path / "data"
    monkeypatch.setenv("DUBAN_DB", str(data / "duban.db"))
    monkeypatch.setenv("DUBAN_DATA_DIR", str(data / "files"))
    monkeypatch.setenv("DUBAN_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.delenv("DUBAN_SECRET_KEY", raising=False)
    db = connect(data / "duban.db")
    world = build(db)
    liaison = actor(db, "zz-minzheng")
    rid = reports.file_report(db, liaison, world.shared, "已完成场地改造", 60, "推进中", TODAY,
                              evidence=[("验收报告.pdf", PDF + b"restore-me"), ("现场.png", PNG)])
    settings.save_smtp(db, actor(db, "bangong"), host="127.0.0.1", port=2525, tls="none", user="duban",
                       sender="duban@example.gov.cn", password=SMTP_PASSWORD)
    db.conn.close()
    return data, rid


def _backup(data: Path, out: Path) -> Path:
    """A backup taken in this process (the command itself is run in the end-to-end test)."""
    db = connect(data / "duban.db")
    try:
        return backups.create_backup(db, out).path
    finally:
        db.conn.close()


def _snapshot(db_path):
    db = connect(db_path)
    try:
        office_user = actor(db, "bangong")
        tasks = [tuple(r) for r in db.conn.execute("SELECT id, title FROM tasks ORDER BY id")]
        rows = [tuple(r) for r in db.conn.execute("SELECT id, task_id, progress_text FROM reports ORDER BY id")]
        files = {}
        for r in db.conn.execute("SELECT id FROM evidence ORDER BY id"):
            name, _, data = evidence.read(db, office_user, r[0])
            files[name] = data
        mail = channel_settings.smtp_config(db)
        return tasks, rows, files, (mail.host, mail.user, mail.password)
    finally:
        db.conn.close()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_backup_then_restore_into_an_empty_server_brings_everything_back(office, tmp_path):
    data, _ = office
    before = _snapshot(data / "duban.db")
    assert before[2] and before[3][2] == SMTP_PASSWORD
    made = run(data / "duban.db", "backup")
    assert made.returncode == 0, made.stderr
    assert "已备份到" in made.stdout and "已校验" in made.stdout
    archive = backups.archives(tmp_path / "backups")[-1]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "duban.db", "secret.key"} <= names
    assert sum(n.startswith("files/") for n in names) == 2

    shutil.rmtree(data)  # the server's data is gone
    done = run(data / "duban.db", "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "佐证材料 2 个可正常打开" in done.stdout and "可以正常解密" in done.stdout
    assert _snapshot(data / "duban.db") == before


def test_restore_keeps_a_copy_of_what_it_replaces(office, tmp_path):
    data, _ = office
    archive = _backup(data, tmp_path / "one.tar.gz")
    with sqlite3.connect(data / "duban.db") as conn:
        conn.execute("UPDATE tasks SET title='备份之后改的标题'")
    done = run(data / "duban.db", "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    kept = [p for p in data.iterdir() if p.name.startswith("before-restore-")]
    assert len(kept) == 1 and "原有数据已保留在" in done.stdout
    with sqlite3.connect(kept[0] / "duban.db") as conn:
        assert {r[0] for r in conn.execute("SELECT title FROM tasks")} == {"备份之后改的标题"}
    with sqlite3.connect(data / "duban.db") as conn:
        assert "备份之后改的标题" not in {r[0] for r in conn.execute("SELECT title FROM tasks")}


def test_restore_asks_before_replacing_anything(office, tmp_path):
    data, _ = office
    archive = _backup(data, tmp_path / "one.tar.gz")
    before = _tree(data)
    asked = run(data / "duban.db", "restore", str(archive))
    assert asked.returncode == 1 and "--yes" in asked.stderr
    assert _tree(data) == before


def _tampered(archive: Path, out: Path, member: str) -> Path:
    """The same archive with one byte of one member changed (the manifest left as it was)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for m in src:
            body = src.extractfile(m).read()
            if m.name.startswith(member):
                body = body[:-1] + bytes([body[-1] ^ 1])
                member = "\0"  # only the first match
            m.size = len(body)
            dst.addfile(m, io.BytesIO(body))
    return out


def _db_page_damaged(archive: Path, out: Path) -> Path:
    """A database whose pages are damaged but whose manifest hash was recomputed to match."""
    with tarfile.open(archive) as src:
        members = [(m, src.extractfile(m).read()) for m in src]
    body = dict((m.name, b) for m, b in members)
    db = bytearray(body["duban.db"])
    page = 4096
    for off in range(page * 2, min(len(db), page * 6)):
        db[off] = 0xAB
    manifest = json.loads(body["manifest.json"])
    manifest["members"]["duban.db"]["sha256"] = hashlib.sha256(bytes(db)).hexdigest()
    body["duban.db"], body["manifest.json"] = bytes(db), json.dumps(manifest).encode()
    with tarfile.open(out, "w:gz") as dst:
        for m, _ in members:
            m.size = len(body[m.name])
            dst.addfile(m, io.BytesIO(body[m.name]))
    return out


@pytest.mark.parametrize("damage", ["truncated", "evidence", "database-hash", "integrity", "not-an-archive"])
def test_a_damaged_archive_is_refused_and_nothing_changes(office, tmp_path, damage):
    data, _ = office
    good = _backup(data, tmp_path / "good.tar.gz")
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    elif damage == "evidence":
        _tampered(good, bad, "files/")
    elif damage == "not-an-archive":
        bad.write_bytes((data / "duban.db").read_bytes()[:8192])
    elif damage == "database-hash":
        _tampered(good, bad, "duban.db")
    else:
        _db_page_damaged(good, bad)
    with sqlite3.connect(data / "duban.db") as conn:
        conn.execute("UPDATE tasks SET title='现在的标题'")
    before = _tree(data)
    if damage == "truncated":  # once through the command itself
        refused = run(data / "duban.db", "restore", str(bad), "--yes")
        assert refused.returncode == 2
        message = refused.stderr
    else:
        with pytest.raises(backups.DamagedBackup) as raised:
            backups.restore(bad, data / "duban.db")
        message = str(raised.value)
    assert "已损坏或不完整" in message and "未做任何改动" in message
    assert _tree(data) == before
    assert not [p for p in data.iterdir() if p.name.startswith((".duban-", "before-restore-"))]


def test_a_backup_of_a_newer_program_is_refused(office, tmp_path):
    data, _ = office
    archive = tmp_path / "one.tar.gz"
    # the database as a newer program leaves it: one migration this program does not know
    copy = tmp_path / "duban.db"
    with sqlite3.connect(data / "duban.db") as conn, sqlite3.connect(copy) as dest:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        dest.execute("INSERT INTO schema_migrations (name) VALUES ('999_future')")
    manifest = {"format": 1, "created_at": "2027-01-01T00:00:00+08:00", "migrations": [], "counts": {},
                "members": {"duban.db": {"sha256": hashlib.sha256(copy.read_bytes()).hexdigest(),
                                         "size": copy.stat().st_size}}}
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(copy, arcname="duban.db")
        blob = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(blob)
        tar.addfile(info, io.BytesIO(blob))
    before = _tree(data)
    refused = run(data / "duban.db", "restore", str(archive), "--yes")
    assert refused.returncode == 2 and "请升级程序" in refused.stderr
    assert _tree(data) == before


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
        out = tmp_path / "live.tar.gz"
        result = run(demo_db_path, "backup", "--out", str(out))
    finally:
        stop.set()
        thread.join()
        writer.conn.close()
    assert result.returncode == 0, result.stderr
    with tarfile.open(out) as tar:
        (tmp_path / "x.db").write_bytes(tar.extractfile("duban.db").read())
    with sqlite3.connect(tmp_path / "x.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = [r[0] for r in conn.execute("SELECT key FROM settings WHERE key LIKE 'k%'")]
    # a consistent snapshot: the writes it holds are a gap-free prefix
    numbers = sorted(int(k[1:]) for k in keys)
    assert numbers == list(range(len(numbers)))


def test_backup_refuses_to_overwrite_and_says_when_the_database_is_missing(office, tmp_path):
    data, _ = office
    out = _backup(data, tmp_path / "one.tar.gz")
    again = run(data / "duban.db", "backup", "--out", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr
    missing = run(tmp_path / "none.db", "backup", "--out", str(tmp_path / "x.tar.gz"))
    assert missing.returncode == 2 and "不存在" in missing.stderr


def test_the_daily_backup_keeps_the_newest_archives(office, tmp_path, monkeypatch):
    data, _ = office
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"duban-202611{day:02d}-013000.tar.gz").write_bytes(gzip.compress(b"old"))
    monkeypatch.setenv("DUBAN_BACKUP_KEEP", "3")
    db = connect(data / "duban.db")
    try:
        outcome = jobs.run_job(db, SYSTEM, jobs.BACKUP, TODAY, holder="test")
        runs = [(r["job"], r["status"]) for r in jobs.recent_runs(db)]
    finally:
        db.conn.close()
    assert outcome.status == "ran" and "删除旧备份 3 个" in outcome.detail
    assert runs[0] == ("backup", "ok")
    left = [p.name for p in backups.archives(folder)]
    assert len(left) == 3 and left[:2] == ["duban-20261104-013000.tar.gz", "duban-20261105-013000.tar.gz"]
    backups.verify(folder / left[-1])  # the new one is a sound archive
