"""`python -m duban init|import|plans` as a user runs them in a terminal."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seed").glob("*.txt"))


def run(db_path, *args, stdin: str | None = None):
    env = {**os.environ, "DUBAN_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "duban", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          input=stdin, timeout=300)


def count(db_path, table):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_init_without_demo_then_plans(db_path):
    result = run(db_path, "init", "--no-demo", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("已导入") == 5 and "未载入演示数据" in result.stdout
    listing = run(db_path, "plans")
    assert listing.returncode == 0
    for place in ("钦州市", "随州市", "巫溪县", "郑州市", "包头市"):
        assert place in listing.stdout
    again = run(db_path, "init")
    assert again.returncode == 0 and "未作更改" in again.stdout


def test_init_by_default_loads_no_demo_and_no_account(db_path):
    result = run(db_path, "init", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "未载入演示数据" in result.stdout and "duban2026" not in result.stdout
    assert count(db_path, "users") == 0 and count(db_path, "reports") == 0


def test_init_with_demo_lists_the_accounts(db_path):
    result = run(db_path, "init", "--demo", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "bangong" in result.stdout and "duban2026" in result.stdout
    assert count(db_path, "reports") > 50


def test_import_twice_changes_nothing(db_path, tmp_path):
    doc = tmp_path / SEED[3].name
    shutil.copy(SEED[3], doc)
    first = run(db_path, "import", str(doc), "--today", "2026-11-22")
    assert first.returncode == 0, first.stderr
    assert "已导入" in first.stdout and "郑州市" in first.stdout
    tasks = count(db_path, "tasks")
    second = run(db_path, "import", str(doc))
    assert second.returncode == 0 and "未作任何更改" in second.stdout
    assert count(db_path, "tasks") == tasks


def test_revision_shows_the_diff_and_waits_for_yes(db_path, tmp_path):
    doc = tmp_path / "zhengzhou.txt"
    text = SEED[3].read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    assert run(db_path, "import", str(doc)).returncode == 0
    tasks = count(db_path, "tasks")
    assert "2022年底前" in text
    doc2 = tmp_path / "zhengzhou-2.txt"
    doc2.write_text(text.replace("2022年底前", "2023年底前", 1), encoding="utf-8")
    shown = run(db_path, "import", str(doc2), stdin="n\n")
    assert shown.returncode == 0, shown.stderr
    assert "修订版" in shown.stdout and "期限变化" in shown.stdout and "未应用修订" in shown.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version FROM plans").fetchone()[0] == 1
    applied = run(db_path, "import", str(doc2), "--yes")
    assert applied.returncode == 0 and "已更新" in applied.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version FROM plans").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM deadlines WHERE phrase='2023年底前'").fetchone()[0] >= 1
    assert count(db_path, "tasks") == tasks


@pytest.mark.parametrize("content", [b"", "这只是一段没有任何任务的文字。".encode()])
def test_bad_input_is_a_chinese_error_and_nothing_is_stored(db_path, tmp_path, content):
    good = tmp_path / "good.txt"
    shutil.copy(SEED[0], good)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run(db_path, "import", str(good), str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("错误:") and "Traceback" not in result.stderr
    assert not db_path.exists() or count(db_path, "plans") == 0


def test_missing_file_and_bad_date(db_path, tmp_path):
    missing = run(db_path, "import", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr
    bad_date = run(db_path, "init", "--today", "2026-13-01")
    assert bad_date.returncode == 2 and "日期格式不正确" in bad_date.stderr
