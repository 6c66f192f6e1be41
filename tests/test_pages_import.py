"""导入: a document is read, reviewed and corrected in tables, and stored only on confirmation, as corrected."""
from __future__ import annotations

import pytest

from duban.services import users
from tests.conftest import DEMO_TODAY, ROOT
from tests.support import app_as

PAGE = "pages/import_plan.py"
ZHENGZHOU = ROOT / "seed" / "003_72fb19ae38dc696d.txt"


@pytest.fixture
def office_db(db, monkeypatch):
    """An initialised database with no plans and one office account."""
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())
    db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('initialised', '1')")
    users.create_user(db, None, "bangong", "Duban-2026-ok", "office")
    return db


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", DEMO_TODAY.isoformat())
    return demo_db


def upload(db, name: str, data: bytes, username: str = "bangong"):
    at = app_as(db, username, PAGE)
    assert not at.exception
    at.file_uploader[0].set_value((name, data, "text/plain")).run()
    assert not at.exception
    return at


def editor(at, key: str):
    return next(d for d in at.data_editor if d.key == key).value


def plan_count(db) -> int:
    return db.conn.execute("SELECT count(*) FROM plans").fetchone()[0]


def test_a_corrected_extraction_is_saved_as_corrected(office_db):
    db = office_db
    at = upload(db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    tasks = editor(at, "imp_tasks")
    deadlines = editor(at, "imp_deadlines")
    assert tasks.loc[0, "任务名称"] == "完善兜底性养老服务" and tasks.loc[0, "牵头单位"] == "市民政局"
    assert deadlines.loc[0, "原文表述"] == "2022年底前"
    assert plan_count(db) == 0, "nothing is stored before the office confirms"
    assert at.button(key="imp_confirm").label == "确认导入"

    # the office corrects the units of task 1 (市卫健委 leads; only 市民政局 and 市财政局 help)
    # and the date of its deadline, then confirms
    at.session_state["imp_tasks"] = {"edited_rows": {0: {"牵头单位": "市卫健委", "配合单位": "市民政局、市财政局"}},
                                     "added_rows": [], "deleted_rows": []}
    at.session_state["imp_deadlines"] = {"edited_rows": {0: {"日期": "2023-06-30"}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    assert not at.exception
    assert not at.error
    assert plan_count(db) == 0
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)

    plan_id, title = db.conn.execute("SELECT id, title FROM plans").fetchone()
    assert title == "郑州市“十四五”时期“一老一小”整体解决方案"
    task_id = db.conn.execute("SELECT id FROM tasks WHERE plan_id=? AND seq=1", [plan_id]).fetchone()[0]
    units = db.conn.execute("SELECT d.name, u.role FROM task_units u JOIN departments d ON d.id=u.department_id "
                            "WHERE u.task_id=? ORDER BY u.position", [task_id]).fetchall()
    assert sorted(tuple(u) for u in units) == sorted([("市卫健委", "lead"), ("市民政局", "co"), ("市财政局", "co")])
    assert db.conn.execute("SELECT due, phrase FROM deadlines WHERE task_id=? ORDER BY position",
                           [task_id]).fetchone()[:] == ("2023-06-30", "2022年底前")
    assert db.conn.execute("SELECT due FROM instances WHERE task_id=?", [task_id]).fetchone()[0] == "2023-06-30"
    stored_tasks = db.conn.execute("SELECT count(*) FROM tasks WHERE plan_id=?", [plan_id]).fetchone()[0]
    assert stored_tasks == len(tasks)
    assert not at.data_editor, "the form is emptied for the next file"


def test_a_deleted_row_and_an_added_indicator_are_respected(office_db):
    db = office_db
    at = upload(db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    n_tasks = len(editor(at, "imp_tasks"))
    n_indicators = len(editor(at, "imp_indicators"))
    at.session_state["imp_tasks"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [n_tasks - 1]}
    at.session_state["imp_indicators"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"类别": "养老", "指标名称": "街道综合养老服务中心覆盖率", "目标值": "100%", "目标年份": 2025}]}
    at.run()
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == n_tasks - 1
    assert db.conn.execute("SELECT count(*) FROM indicators").fetchone()[0] == n_indicators + 1
    assert db.conn.execute("SELECT target, target_year FROM indicators WHERE name='街道综合养老服务中心覆盖率'"
                           ).fetchone()[:] == ("100%", 2025)


def test_a_correction_that_cannot_be_right_is_refused_and_nothing_is_saved(office_db):
    db = office_db
    at = upload(db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    at.session_state["imp_tasks"] = {"edited_rows": {0: {"牵头单位": "", "配合单位": ""}}, "added_rows": [],
                                     "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("没有责任单位" in e.value for e in at.error)
    assert at.button(key="imp_confirm").disabled
    at.session_state["imp_tasks"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    at.session_state["imp_deadlines"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"任务序号": 999, "类型": "一次性", "日期": "2024-12-31"}]}
    at.run()
    assert any("任务序号 999 不在任务表中" in e.value for e in at.error)
    assert plan_count(db) == 0


def test_an_unreadable_file_gets_a_chinese_error(office_db):
    at = upload(office_db, "空白.txt", "这是一段没有任何任务的文字。".encode())
    assert at.error and all(e.value.startswith("无法识别该文件") for e in at.error)
    assert plan_count(office_db) == 0


def test_the_same_file_again_is_already_imported(demo):
    before = plan_count(demo)
    at = upload(demo, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    assert any("已导入过" in i.value for i in at.info)
    assert not at.data_editor
    assert plan_count(demo) == before


def test_a_revised_plan_shows_the_changes_and_applies_them_only_when_confirmed(demo):
    old = ZHENGZHOU.read_text(encoding="utf-8")
    assert "完善兜底性养老服务" in old
    revised = old.replace("完善兜底性养老服务", "健全兜底性养老服务", 1).encode("utf-8")
    plan_id = demo.conn.execute("SELECT p.id FROM plans p JOIN jurisdictions j ON j.id=p.jurisdiction_id "
                                "WHERE j.name='郑州市'").fetchone()[0]
    at = upload(demo, ZHENGZHOU.name, revised)
    assert any("修订版" in w.value for w in at.warning)
    assert any("健全兜底性养老服务" in m.value for m in at.markdown)
    assert at.button(key="imp_confirm").label == "确认更新规划"
    titles = [r[0] for r in demo.conn.execute("SELECT title FROM tasks WHERE plan_id=? AND removed=0", [plan_id])]
    assert "完善兜底性养老服务" in titles and "健全兜底性养老服务" not in titles
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert any("已更新" in s.value for s in at.success)
    titles = [r[0] for r in demo.conn.execute("SELECT title FROM tasks WHERE plan_id=? AND removed=0", [plan_id])]
    assert "健全兜底性养老服务" in titles and "完善兜底性养老服务" not in titles


def test_the_import_page_is_for_the_office_only(demo):
    at = app_as(demo, "lingdao", None)
    assert not at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGE)
