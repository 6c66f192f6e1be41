"""导入: a document is read, reviewed and corrected in tables, and stored only on confirmation, as corrected."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from db import connect
from duban.services import users
from tests.conftest import DEMO_TODAY, ROOT
from tests.support import app_as

PAGE = "pages/import_plan.py"
ZHENGZHOU = ROOT / "seed" / "003_72fb19ae38dc696d.txt"
SUIZHOU = ROOT / "seed" / "001_5170385822229659.txt"


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


def review_table(at):
    """The read-only review list (the one with the 说明 column)."""
    return next(d for d in at.dataframe if d.editing_mode == "read_only" and "说明" in d.value.columns).value


def departments(db) -> set[str]:
    return {r[0] for r in db.conn.execute("SELECT name FROM departments")}


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


def test_a_unit_marked_lead_in_an_edited_cell_is_stored_as_that_department_leading(office_db):
    db = office_db
    at = upload(db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    at.session_state["imp_tasks"] = {"edited_rows": {0: {"牵头单位": "", "配合单位": "市发展改革委(牵头)、市财政局"}},
                                     "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="imp_confirm").click().run()
    assert not at.exception and any("已导入" in s.value for s in at.success)
    units = db.conn.execute("SELECT d.name, u.role FROM task_units u JOIN tasks t ON t.id=u.task_id JOIN departments d "
                            "ON d.id=u.department_id WHERE t.seq=1").fetchall()
    assert sorted(tuple(u) for u in units) == [("市发展改革委", "lead"), ("市财政局", "co")]
    assert not any("牵头" in name for name in departments(db))


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


def test_a_file_without_tasks_is_entered_by_pasting_rows_from_excel(office_db):
    db = office_db
    at = upload(db, "工作安排.txt", "关于做好今冬明春为老服务工作的几点安排。各单位要高度重视。".encode())
    assert not at.error, [e.value for e in at.error]
    assert any("填写或粘贴任务" in i.value for i in at.info)
    assert any("没有找到带责任单位的任务" in w.value for w in at.warning)
    assert at.text_input(key="imp_title").value == "工作安排"
    assert len(editor(at, "imp_tasks")) == 0
    # what the office copies from its own spreadsheet: a header row, tabs between columns, a quoted cell
    # that holds a line break, units written without their level next to one that has it
    pasted = ("任务\t牵头单位\t配合单位\t完成时限\n"
              "开展冬季独居老人走访\t区民政局\t卫健委、各街道办事处\t2026年12月底前\n"
              '"建设社区助餐点\n(每个街道至少一个)"\t区商务局\t区财政局 区市场监管局\t每年6月\n')
    at.text_area(key="imp_paste").set_value(pasted).run()
    at.text_input(key="imp_jurisdiction").set_value("临江区").run()
    at.button(key="imp_paste_add").click().run()
    assert not at.exception
    tasks = editor(at, "imp_tasks")
    assert list(tasks["任务名称"]) == ["开展冬季独居老人走访", "建设社区助餐点\n(每个街道至少一个)"]
    assert tasks.loc[0, "配合单位"] == "区卫健委、各街道办事处", "the level is restored as the extractor does"
    assert tasks.loc[1, "配合单位"] == "区财政局、区市场监管局"
    deadlines = editor(at, "imp_deadlines")
    assert list(deadlines["原文表述"]) == ["2026年12月底前", "每年6月"]
    assert any("规划所属的地区" in e.value or "规划期" in e.value for e in at.error)
    assert at.button(key="imp_confirm").disabled
    at.date_input(key="imp_start").set_value(dt.date(2026, 1, 1)).run()
    at.date_input(key="imp_end").set_value(dt.date(2027, 12, 31)).run()
    assert not at.error
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert any("已导入《工作安排》" in s.value for s in at.success)
    units = db.conn.execute("SELECT t.seq, d.name, u.role FROM tasks t JOIN task_units u ON u.task_id=t.id "
                            "JOIN departments d ON d.id=u.department_id ORDER BY t.seq, u.position").fetchall()
    assert [tuple(u) for u in units] == [(1, "区民政局", "lead"), (1, "区卫健委", "co"), (1, "各街道办事处", "co"),
                                         (2, "区商务局", "lead"), (2, "区财政局", "co"), (2, "区市场监管局", "co")]
    dues = db.conn.execute("SELECT t.seq, d.kind, d.due, d.month FROM deadlines d JOIN tasks t ON t.id=d.task_id "
                           "ORDER BY t.seq").fetchall()
    assert [tuple(d) for d in dues] == [(1, "once", "2026-12-31", None), (2, "recurring", None, 6)]


def test_a_paste_without_columns_is_refused_with_a_chinese_message(office_db):
    at = upload(office_db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    n = len(editor(at, "imp_tasks"))
    at.text_area(key="imp_paste").set_value("开展走访 市民政局\n建设助餐点 市商务局").run()
    at.button(key="imp_paste_add").click().run()
    assert any("没有分列" in e.value for e in at.error)
    assert len(editor(at, "imp_tasks")) == n


def test_rows_the_extractor_missed_are_added_and_earlier_corrections_stay(office_db):
    db = office_db
    at = upload(db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    n = len(editor(at, "imp_tasks"))
    at.session_state["imp_tasks"] = {"edited_rows": {0: {"任务名称": "完善兜底性养老服务体系"}}, "added_rows": [],
                                     "deleted_rows": []}
    at.run()
    at.text_area(key="imp_paste").set_value("建立老年助餐补贴制度\t市民政局\t市财政局\t2024年底前").run()
    at.button(key="imp_paste_add").click().run()
    assert not at.exception
    tasks = editor(at, "imp_tasks")
    assert len(tasks) == n + 1
    assert tasks.loc[0, "任务名称"] == "完善兜底性养老服务体系", "a correction made before the paste is kept"
    assert tasks.loc[n, "任务名称"] == "建立老年助餐补贴制度" and tasks.loc[n, "序号"] == n + 1
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    assert db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == n + 1
    assert db.conn.execute("SELECT d.due FROM deadlines d JOIN tasks t ON t.id=d.task_id "
                           "WHERE t.title='建立老年助餐补贴制度'").fetchone()[0] == "2024-12-31"


def test_each_task_shows_why_it_may_need_a_look_and_can_be_filtered_by_it(office_db):
    at = upload(office_db, SUIZHOU.name, SUIZHOU.read_bytes())
    assert not at.error, [e.value for e in at.error]
    review = review_table(at)
    tasks = editor(at, "imp_tasks")
    assert len(review) == len(tasks), "every task is listed"
    # a fresh directory: every unit is new to it
    assert all("新单位(目录中没有)" in r for r in review["需核对"])
    guessed = review[review["需核对"].str.contains("牵头单位为推定")]
    assert len(guessed) > 0
    at.multiselect(key="imp_reason_filter").set_value(["牵头单位为推定"]).run()
    shown = review_table(at)
    assert sorted(shown["序号"]) == sorted(guessed["序号"])
    assert all("牵头推定" in r for r in tasks[tasks["序号"].isin(shown["序号"])]["需核对"])


def test_saving_unedited_stores_the_same_departments_as_the_command_line(office_db, tmp_path):
    db = office_db
    at = upload(db, SUIZHOU.name, SUIZHOU.read_bytes())
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    page_units = departments(db)
    cli_db = tmp_path / "cli.db"
    run = subprocess.run([sys.executable, "-m", "duban", "import", str(SUIZHOU), "--db", str(cli_db),
                          "--today", DEMO_TODAY.isoformat()], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    other = connect(cli_db)
    try:
        assert page_units == departments(other)
    finally:
        other.conn.close()
    assert "各县、市、区政府和管委会" in page_units
    assert not {"各县", "市", "区政府和管委会"} & page_units


def test_after_an_import_the_page_says_what_the_plan_still_needs(office_db):
    db = office_db
    at = upload(db, SUIZHOU.name, SUIZHOU.read_bytes())
    at.button(key="imp_confirm").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "个责任单位还没有联络员账号" in text and "尚未设置填报周期" in text and "没有联系方式" in text
    # the contact details are recorded right here
    unit = db.conn.execute("SELECT id FROM departments WHERE name='市民政局'").fetchone()[0]
    at.selectbox(key="imp_contact_unit").set_value(unit)
    at.text_input(key="imp_contact_name").set_value("王明")
    at.text_input(key="imp_contact_phone").set_value("0722-3251234")
    at.button(key="imp_contact_save").click().run()
    assert not at.exception
    assert any("已保存“市民政局”的联络方式" in s.value for s in at.success)
    assert db.conn.execute("SELECT liaison_phone FROM departments WHERE id=?", [unit]).fetchone()[0] == "0722-3251234"
    assert "市民政局" not in " ".join(m.value for m in at.markdown if "没有联系方式" in m.value)


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


def test_reading_shows_progress_when_the_reader_reports_it(office_db, monkeypatch):
    import ui.import_view as view
    from duban.extract import extract_bytes

    calls = []

    def reader(data, filename, reference_date=None, progress=None):
        for page in (1, 2, 3):
            progress(page, 3)
            calls.append(page)
        return extract_bytes(data, filename, reference_date=reference_date)

    monkeypatch.setattr(view, "extract_bytes", reader)
    at = upload(office_db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    assert calls == [1, 2, 3], "the page hands the reader a progress callback"
    assert len(editor(at, "imp_tasks")) > 0
    # a reader without the keyword is called without it
    monkeypatch.setattr(view, "extract_bytes", lambda data, filename, reference_date=None: extract_bytes(
        data, filename, reference_date=reference_date))
    at = upload(office_db, ZHENGZHOU.name, ZHENGZHOU.read_bytes())
    assert len(editor(at, "imp_tasks")) > 0


def test_the_checklist_links_open_the_page_that_fixes_it_on_the_right_record(demo):
    plan_id = demo.conn.execute("SELECT max(id) FROM plans").fetchone()[0]
    unit = demo.conn.execute("SELECT max(id) FROM departments").fetchone()[0]
    at = app_as(demo, "bangong", None)
    at.query_params["plan"] = str(plan_id)
    at.switch_page("pages/cycles.py").run()
    assert not at.exception
    assert at.selectbox(key="cycle_plan").value == plan_id
    at = app_as(demo, "bangong", None)
    at.query_params["department"] = str(unit)
    at.switch_page("pages/accounts.py").run()
    assert not at.exception
    assert at.multiselect(key="new_departments").value == [unit]
    assert at.selectbox(key="new_role").value == "liaison"
