"""`python -m duban user ...`: accounts for administrators and scripts."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from duban.access import SYSTEM
from duban.cli import main
from duban.services import users
from tests.reports_world import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(db):
    return build(db, with_users=False)


def _run(args, stdin=""):
    """The real command in a child process, as a script would call it."""
    return subprocess.run([sys.executable, "-m", "duban", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_add_with_password_on_stdin_then_log_in(db, world, db_path):
    first = _run(["user", "add", "admin", "--role", "office", "--password-stdin", "--db", str(db_path)],
                 "s3cret-pass\n")
    assert first.returncode == 0, first.stderr
    assert "已创建账号 admin" in first.stdout
    result = _run(["user", "add", "zz-minzheng", "--role", "liaison", "--dept", "郑州市/市民政局",
                   "--dept", str(world.b), "--password-stdin", "--display-name", "张敏"], "liaison-pass\n")
    assert result.returncode == 0, result.stderr
    actor = users.authenticate(db, "zz-minzheng", "liaison-pass")
    assert actor is not None and actor.role == "liaison" and actor.department_ids == {world.a, world.b}
    assert users.authenticate(db, "admin", "s3cret-pass").role == "office"


def test_list_shows_roles_departments_and_state(db, world, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("office-pass-1\n"))
    assert main(["user", "add", "bangong", "--role", "office", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("liaison-pass-1\n"))
    assert main(["user", "add", "bt-minzheng", "--role", "liaison", "--dept", "包头市/市民政局", "--password-stdin"]) == 0
    assert main(["user", "disable", "bt-minzheng"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "bangong\t办公室\t启用" in out
    assert "bt-minzheng\t部门联络员\t已停用\t包头市/市民政局" in out
    assert "hash" not in out and "argon2" not in out
    assert main(["user", "enable", "bt-minzheng"]) == 0
    assert users.authenticate(db, "bt-minzheng", "liaison-pass-1") is not None


def test_passwd_with_getpass_asked_twice(db, world, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("first-pass-1\n"))
    assert main(["user", "add", "bangong", "--role", "office", "--password-stdin"]) == 0
    answers = iter(["new-password-1", "new-password-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "passwd", "bangong"]) == 0
    assert users.authenticate(db, "bangong", "new-password-1") is not None
    assert users.authenticate(db, "bangong", "first-pass-1") is None


def test_mismatched_getpass_answers_change_nothing(db, world, monkeypatch, capsys):
    answers = iter(["one-password", "another-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "add", "bangong", "--role", "office"]) == 2
    assert "两次输入的密码不一致" in capsys.readouterr().err
    assert users.list_users(db, SYSTEM) == []


@pytest.mark.parametrize("args, stdin, message", [
    (["user", "add", "zz", "--role", "liaison", "--dept", "郑州市/不存在局", "--password-stdin"], "long-enough\n", "找不到部门"),
    (["user", "add", "zz", "--role", "liaison", "--dept", "市民政局", "--password-stdin"], "long-enough\n", "多个地区"),
    (["user", "add", "zz", "--role", "liaison", "--dept", "999", "--password-stdin"], "long-enough\n", "没有编号"),
    (["user", "add", "boss", "--role", "office", "--password-stdin"], "short\n", "至少需要 10 个字符"),
    (["user", "add", "zz", "--role", "liaison", "--dept", "郑州市/市民政局", "--password-stdin"], "long-enough\n",
     "第一个账号必须是办公室管理员"),
    (["user", "passwd", "nobody", "--password-stdin"], "long-enough\n", "没有用户名为“nobody”的账号"),
])
def test_errors_are_one_chinese_line_and_exit_2(db, world, monkeypatch, capsys, args, stdin, message):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_duplicate_username_is_refused(db, world, monkeypatch, capsys):
    for expected in (0, 2):
        monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-1\n"))
        assert main(["user", "add", "bangong", "--role", "office", "--password-stdin"]) == expected
    assert "已存在" in capsys.readouterr().err


def test_a_liaison_needs_a_department_and_others_take_none(db, world, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-1\n"))
    assert main(["user", "add", "bangong", "--role", "office", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-1\n"))
    assert main(["user", "add", "zz", "--role", "liaison", "--password-stdin"]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-1\n"))
    assert main(["user", "add", "ld", "--role", "leader", "--dept", "郑州市/市民政局", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "至少要关联一个部门" in err and "只有部门联络员账号关联部门" in err
