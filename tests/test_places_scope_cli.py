"""The commands as the office of a place (--user): what they list or write out is of its places only.

Without --user a command is the system itself and covers the whole database, as before; with --user it takes
that account's view, so 包头市's office gets nothing of 郑州市 or its districts, and a change outside its own
place is refused in Chinese with nothing stored.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest

from duban.cli import main
from tests.place_world import build_places
from tests.reports_world import TODAY

ROOT = Path(__file__).resolve().parent.parent
ZHENGZHOU = ["郑州", "金水", "二七", "市卫健委", "区民政局", "建设社区嵌入式养老服务设施", "推进医养结合机构建设",
             "开展养老机构安全检查", "推进县区养老服务中心全覆盖", "新建街道综合养老服务中心", "中心城区养老床位数"]


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    w = build_places(db)
    for plan, name, unit in [(w.base.plan, "中心城区养老床位数", w.base.b), (w.base.plan_bt, "每千人口托位数", w.base.c)]:
        ind = db.conn.execute("INSERT INTO indicators (plan_id, name, target, target_year, nature) "
                              "VALUES (?, ?, '5000', 2026, '预期性')", [plan, name]).lastrowid
        db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id) VALUES (?, ?)", [ind, unit])
    return w


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def leaked(text: str) -> list[str]:
    return [mark for mark in ZHENGZHOU if mark in text]


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_plans_as_a_city_office_lists_only_its_place(capsys, world):
    code, everything, _ = run(capsys, "plans")
    assert code == 0 and "郑州市“一老一小”整体解决方案" in everything and "金水区养老服务体系建设实施方案" in everything
    code, out, _ = run(capsys, "plans", "--user", "bt-office")
    assert code == 0 and "包头市“一老一小”整体解决方案" in out
    assert leaked(out) == []
    code, out, _ = run(capsys, "plans", "--user", "zz-office")  # its own plan and its district's, not 包头's
    assert "郑州市“一老一小”整体解决方案" in out and "金水区养老服务体系建设实施方案" in out and "包头" not in out


def test_an_unknown_or_disabled_account_is_refused_in_chinese(capsys, db, world):
    code, out, err = run(capsys, "plans", "--user", "nobody")
    assert code == 2 and out == "" and "没有用户名为“nobody”的账号" in err
    db.conn.execute("UPDATE users SET active=0 WHERE username='bt-office'")
    code, out, err = run(capsys, "plans", "--user", "bt-office")
    assert code == 2 and out == "" and "已停用" in err


def test_the_accounts_of_a_city_office(capsys, world):
    code, everything, _ = run(capsys, "user", "list")
    assert code == 0 and "js-minzheng" in everything
    code, out, _ = run(capsys, "user", "list", "--user", "bt-office")
    assert code == 0 and "bt-minzheng" in out
    assert not [name for name in ("zz-office", "js-office", "js-minzheng", "zz-weijian") if name in out]


def test_indicators_as_a_city_office(capsys, world):
    code, everything, _ = run(capsys, "indicators")
    assert code == 0 and "中心城区养老床位数" in everything
    code, out, _ = run(capsys, "indicators", "--user", "bt-office")
    assert code == 0 and "每千人口托位数" in out
    assert leaked(out) == []


def test_the_meeting_pack_of_a_city_office(capsys, world, tmp_path):
    out_docx, out_xlsx = tmp_path / "pack.docx", tmp_path / "pack.xlsx"
    code, out, err = run(capsys, "meeting-pack", "--user", "bt-office", "--out", str(out_docx), "--xlsx", str(out_xlsx))
    assert code == 0, err
    written = docx_text(out_docx) + xlsx_text(out_xlsx)
    assert "发展普惠托育服务" in written
    assert leaked(written) == []


@pytest.mark.parametrize("command", [["notice", "--out", "n.docx"], ["ics", "--out", "d.ics"],
                                     ["duty-report", "--year", "2026", "--out", "d.docx"]])
def test_another_places_unit_is_refused_and_nothing_written(capsys, world, tmp_path, command):
    name, *rest = command
    target = tmp_path / rest[-1]
    rest[-1] = str(target)
    code, out, err = run(capsys, name, "--dept", str(world.base.b), *rest, "--user", "bt-office")  # 郑州 市卫健委
    assert code == 2 and err.startswith("错误:") and "市卫健委" not in out
    assert not target.exists()
    code, _, err = run(capsys, name, "--dept", str(world.js_dept), *rest, "--user", "zz-office")  # its district's
    assert "其他地区" not in err and "无权" not in err  # read above: allowed (a notice may find nothing due)


def test_a_leader_cannot_import_a_plan(capsys, db, world):
    before = db.conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    code, _, err = run(capsys, "import", str(ROOT / "seed" / "004_cd342d1f8881030e.txt"), "--user", "bt-leader")
    assert code == 2 and "只有办公室人员" in err
    assert db.conn.execute("SELECT count(*) FROM plans").fetchone()[0] == before


def test_a_sibling_office_cannot_import_anothers_plan(capsys, db, world):
    before = db.conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    code, _, err = run(capsys, "import", str(ROOT / "seed" / "003_72fb19ae38dc696d.txt"), "--yes",
                       "--user", "bt-office")  # 郑州市's plan
    assert code == 2 and "地区" in err
    assert db.conn.execute("SELECT count(*) FROM plans").fetchone()[0] == before
