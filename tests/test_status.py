"""`python -m duban status`: what the office's IT checks first, in Chinese lines or JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from db import connect
from duban.access import SYSTEM
from duban.jobs import jobs
from tests.reports_world import TODAY, build

ROOT = Path(__file__).resolve().parent.parent


def _status(db_path, *args):
    return subprocess.run([sys.executable, "-m", "duban", "status", "--today", TODAY.isoformat(), *args], cwd=ROOT,
                          env={**os.environ, "DUBAN_DB": str(db_path)}, capture_output=True, text=True, timeout=120)


def test_status_names_the_last_backup_job_runs_and_queued_messages(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("DUBAN_BACKUP_DIR", str(tmp_path / "backups"))
    db = connect(db_path)
    build(db)
    first = _status(db_path)
    assert first.returncode == 0, first.stderr
    assert "尚无备份" in first.stdout and "待发消息:0 条" in first.stdout
    assert jobs.run_job(db, SYSTEM, jobs.BACKUP, TODAY, holder="test").status == "ran"
    db.conn.execute("INSERT INTO outbox (kind, channel, recipient, day, subject, body, status) "
                    "VALUES ('digest', 'email', 'a@example.gov.cn', ?, '提醒', '正文', 'failed')", [TODAY.isoformat()])
    db.conn.close()
    text = _status(db_path).stdout
    archive = next((tmp_path / "backups").glob("duban-*.tar.gz"))
    assert "最近备份:" in text and archive.name in text
    assert "定时任务 每日备份:" in text and "完成" in text
    assert "多进程服务(serve):未运行" in text
    assert "待发消息:1 条(其中发送失败待重试 1 条)" in text
    assert "节假日数据(chinesecalendar):" in text and "数据库:" in text
    data = json.loads(_status(db_path, "--json").stdout)
    assert data["last_backup"]["file"] == str(archive)
    assert data["queued_messages"] == {"failed": 1}
    assert TODAY.year in data["calendar_years"]
    assert data["serve"] is None


def test_status_of_a_missing_database_says_how_to_start(tmp_path):
    result = _status(tmp_path / "none.db")
    assert result.returncode == 2 and "不存在" in result.stderr and "init" in result.stderr
