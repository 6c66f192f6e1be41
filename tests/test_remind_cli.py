"""The commands cron and the office use: `remind` against the demo data delivers mail once; `check`, dry runs."""
from __future__ import annotations

import os
import subprocess
import sys

from duban.cli import main
from tests.remind_world import SmtpSink, smtp_fixture  # noqa: F401 - the smtp fixture
from tests.support import ROOT


def run(db_path, *args, smtp_port=None):
    env = {**os.environ, "DUBAN_DB": str(db_path)}
    for var in ("DUBAN_SMTP_HOST", "DUBAN_SMTP_PORT", "DUBAN_SMTP_FROM", "DUBAN_SMTP_USER", "DUBAN_SMTP_PASSWORD",
                "DUBAN_SMTP_TLS", "DUBAN_TODAY"):
        env.pop(var, None)
    if smtp_port:
        env.update(DUBAN_SMTP_HOST="127.0.0.1", DUBAN_SMTP_PORT=str(smtp_port))
    return subprocess.run([sys.executable, "-m", "duban", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_remind_with_the_demo_data_delivers_mail_and_a_second_identical_run_delivers_none(demo_db_path):
    sink = SmtpSink().start()
    try:
        first = run(demo_db_path, "remind", "--today", "2026-11-23", smtp_port=sink.port)
        assert first.returncode == 0, first.stderr
        delivered = len(sink.mails)
        assert delivered > 0
        assert all(m.to[0].endswith("example.gov.cn") for m in sink.mails)
        assert any("督办提醒" in m.subject for m in sink.mails)
        assert "发出" in first.stdout

        second = run(demo_db_path, "remind", "--today", "2026-11-23", smtp_port=sink.port)
        assert second.returncode == 0, second.stderr
        assert len(sink.mails) == delivered
        assert "新生成 0 条消息" in second.stdout
    finally:
        sink.stop()


def test_dry_run_prints_who_would_get_what_and_sends_nothing(demo_db_path, smtp, capsys):
    assert main(["remind", "--today", "2026-11-23", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "minzheng@zhengzhou.example.gov.cn" in out
    assert "【已逾期" in out
    assert smtp.mails == []
    assert main(["remind", "--today", "2026-11-23"]) == 0
    assert smtp.mails  # the dry run recorded nothing, so everything still goes


def test_remind_on_a_holiday_sends_nothing(demo_db_path, capsys):
    assert main(["remind", "--today", "2026-10-01"]) == 0
    assert "不是工作日" in capsys.readouterr().out


def test_check_flags_overdue_items_once(demo_db_path, capsys):
    assert main(["check", "--today", "2026-12-01"]) == 0
    assert "逾期检查完成" in capsys.readouterr().out
    assert main(["check", "--today", "2026-12-01"]) == 0
    assert "新标记逾期 0 项" in capsys.readouterr().out


def test_a_bad_date_is_one_chinese_line(demo_db_path, capsys):
    assert main(["remind", "--today", "2026-13-01"]) == 2
    err = capsys.readouterr().err
    assert err.strip().startswith("错误:日期格式不正确") and "Traceback" not in err
