"""Import review on a real SQLite file: reasons to look at a task, typed and pasted rows read by the extractor's
rules, one deadline per distinct date, and what a saved plan still needs."""
from __future__ import annotations

import datetime as dt

import pytest

from db.queries import plans as plan_q
from duban.access import SYSTEM
from duban.errors import InputError
from duban.extract import extract_file, extract_text
from duban.services import cycles, import_input, plan_import, users
from duban.services import departments as department_s
from duban.services import import_review as review
from tests.conftest import ROOT

TODAY = dt.date(2024, 5, 1)
# a plan of the office's own making: one task states its date twice, one names no lead
PLAN = """临川市人民政府办公室关于印发临川市老年助餐服务行动方案的通知
临政办发〔2024〕9号
各县区人民政府,市政府各部门:
现将《临川市老年助餐服务行动方案》印发给你们,请认真贯彻执行。
临川市人民政府办公室
2024年3月1日
临川市老年助餐服务行动方案
一、重点任务
(一)建设社区助餐点。2025年底前,城市社区助餐点覆盖率达到60%;2025年底前,农村幸福食堂实现乡镇全覆盖。(责任单位:市民政局、市财政局)
(二)开展助餐补贴。每年12月底前完成补贴发放。(牵头单位:市民政局;配合单位:市财政局、市乡村振兴局)
"""


@pytest.fixture
def extraction():
    return extract_text(PLAN, "临川助餐.txt")


def test_a_date_stated_twice_is_one_deadline_in_the_tracker(db, extraction):
    twice = extraction["tasks"][0]
    assert [d["due"] for d in twice["deadlines"]] == ["2025-12-31", "2025-12-31"], "the extraction keeps both"
    plan_id = plan_import.import_plan(db, SYSTEM, extraction, "临川助餐.txt", PLAN, TODAY)
    task_id = db.conn.execute("SELECT id FROM tasks WHERE plan_id=? AND seq=1", [plan_id]).fetchone()[0]
    assert [tuple(r) for r in db.conn.execute("SELECT due, phrase FROM deadlines WHERE task_id=?", [task_id])] == [
        ("2025-12-31", "2025年底前")]
    assert [r[0] for r in db.conn.execute("SELECT due FROM instances WHERE task_id=?", [task_id])] == ["2025-12-31"]
    # two different dates stay two deadlines
    other = {**extraction, "title": "另一方案", "tasks": [{**twice, "deadlines": [
        {"kind": "once", "due": "2024-12-31", "phrase": "2024年底前"}, {"kind": "once", "due": "2025-12-31"}]}]}
    other_id = plan_import.import_plan(db, SYSTEM, other, "另一方案.txt", PLAN + "另", TODAY)
    assert db.conn.execute("SELECT count(*) FROM deadlines d JOIN tasks t ON t.id=d.task_id WHERE t.plan_id=?",
                           [other_id]).fetchone()[0] == 2


def test_units_typed_in_a_cell_are_split_and_completed_as_the_extractor_does():
    lead, units = import_input.normalise_units(["县教育局"], ["县教育局", "体育局、卫健委 各乡镇人民政府"], "临水县")
    assert lead == ["县教育局"]
    assert units == ["县教育局", "县体育局", "县卫健委", "各乡镇人民政府"]
    assert import_input.split_cell("各县、市、区人民政府") == ["各县、市、区人民政府"], "a group stays whole"
    assert import_input.normalise_units([], ["  "], "临水县") == ([], [])


def test_an_edited_units_cell_is_stored_as_the_departments_it_names(db, extraction):
    """A 牵头 mark written in the 配合单位 cell makes that unit the lead; it is not part of a department's name."""
    rows = [{"序号": 1, "编号": "", "任务名称": "建设社区助餐点", "牵头单位": "", "配合单位": "市发展改革委(牵头)、市财政局",
             "_key": 0},
            {"序号": 2, "编号": "", "任务名称": "开展助餐补贴", "牵头单位": "", "配合单位": "市财政局、市乡村振兴局配合,市民政局牵头",
             "_key": 1}]
    corrected = review.apply_corrections(extraction, {}, rows, [], [])
    plan_id = plan_import.import_plan(db, SYSTEM, corrected, "临川助餐.txt", PLAN, TODAY)
    stored = {seq: {tuple(r) for r in db.conn.execute(
        "SELECT d.name, u.role FROM task_units u JOIN tasks t ON t.id=u.task_id JOIN departments d "
        "ON d.id=u.department_id WHERE t.plan_id=? AND t.seq=?", [plan_id, seq])}
        for seq in (1, 2)}
    assert stored[1] == {("市发展改革委", "lead"), ("市财政局", "co")}
    assert stored[2] == {("市民政局", "lead"), ("市财政局", "co"), ("市乡村振兴局", "co")}
    names = {r[0] for r in db.conn.execute("SELECT name FROM departments")}
    assert not any("牵头" in n or "配合" in n for n in names)
    # the same cells the extractor reads in a task table of a document give the same units
    table = extract_text(PLAN.replace(
        "(一)建设社区助餐点。2025年底前,城市社区助餐点覆盖率达到60%;2025年底前,农村幸福食堂实现乡镇全覆盖。(责任单位:市民政局、市财政局)",
        "(一)建设社区助餐点。2025年底前,城市社区助餐点覆盖率达到60%。(责任单位:市发展改革委(牵头)、市财政局)"),
        "临川助餐.txt")["tasks"][0]
    assert (table["lead"], table["units"]) == (["市发展改革委"], ["市发展改革委", "市财政局"])


def test_the_extractor_lists_of_every_seed_pass_unchanged():
    """Rows the office leaves alone are stored as the command line stores them."""
    for path in sorted((ROOT / "seed").glob("00*.txt")):
        ex = extract_file(path)
        for t in ex["tasks"]:
            assert import_input.normalise_units(t["lead"], t["units"], ex["jurisdiction"]) == (t["lead"], t["units"])


def test_rows_pasted_from_a_spreadsheet_become_tasks():
    pasted = ("序号\t牵头单位\t配合单位\t完成时限\n"  # a header row is skipped
              "开展适老化改造\t区住建局\t民政局\t2025年6月底前\n"
              '"培训养老护理员\n每年不少于200人"\t区人社局\t\t每年\n')
    tasks = import_input.tasks_from_paste(pasted, "东湖区", TODAY, first_seq=7)
    assert [t["seq"] for t in tasks] == [7, 8]
    assert tasks[0]["units"] == ["区住建局", "区民政局"] and tasks[0]["lead"] == ["区住建局"]
    assert tasks[0]["deadlines"] == [{"kind": "once", "due": "2025-06-30", "phrase": "2025年6月底前"}]
    assert tasks[1]["title"] == "培训养老护理员\n每年不少于200人" and tasks[1]["units"] == ["区人社局"]
    with pytest.raises(InputError, match="第 1 行.*没有牵头单位或配合单位"):
        import_input.tasks_from_paste("开展适老化改造\t\t\t2025年", "东湖区", TODAY)
    with pytest.raises(InputError, match="没有可加入的任务"):
        import_input.tasks_from_paste("\n\n", "东湖区", TODAY)


def test_each_task_says_why_it_may_need_a_look(db, extraction):
    jid = plan_q.ensure_jurisdiction(db, "临川市")
    department_s.ensure_department(db, jid, "市民政局")
    elsewhere = plan_q.ensure_jurisdiction(db, "石门市")
    department_s.ensure_department(db, elsewhere, "市财政局")
    # the keys the extractor may add: per-task flags and plan-level meta_flags
    extraction["tasks"][1]["flags"] = [{"code": "prefix_restored", "detail": "乡村振兴局 → 市乡村振兴局"}]
    extraction["meta_flags"] = [{"code": "place_guessed", "detail": "由发文机关推定为临川市"}]
    rows = review.review_tasks(db, extraction, SYSTEM)
    first, second = rows
    assert [c for c, _, _ in first.reasons] == ["lead_guessed", "unit_new_here"]
    assert first.labels == ["牵头单位为推定", "本地区新单位(其他地区已有)"]
    assert "市财政局" in first.details
    assert [c for c, _, _ in second.reasons] == ["unit_new", "unit_new_here", "prefix_restored"]
    assert "市乡村振兴局" in second.reasons[0][2]
    assert review.plan_reasons(extraction) == [("place_guessed", "地区为推定", "由发文机关推定为临川市")]
    assert review.reason_counts(rows)["本地区新单位(其他地区已有)"] == 2
    # an extractor flag already saying the lead was guessed is not doubled
    extraction["tasks"][0]["flags"] = [{"code": "lead_guessed", "detail": "取第一个单位"}]
    assert [c for c, _, _ in review.review_tasks(db, extraction, SYSTEM)[0].reasons].count("lead_guessed") == 1


def test_after_an_import_the_checklist_names_what_is_missing_until_it_is_done(db, extraction):
    plan_id = plan_import.import_plan(db, SYSTEM, extraction, "临川助餐.txt", PLAN, TODAY)
    cl = review.plan_checklist(db, SYSTEM, plan_id)
    assert [u["name"] for u in cl.no_account] == ["市民政局", "市财政局", "市乡村振兴局"]
    assert [u["name"] for u in cl.no_contact] == ["市民政局", "市财政局", "市乡村振兴局"]
    assert not cl.has_cycle and not cl.done
    ids = {u["name"]: u["department_id"] for u in cl.no_account}
    users.create_user(db, None, "bangong", "Duban-2026-ok", "office")
    users.create_user(db, SYSTEM, "lc-minzheng", "Duban-2026-ok", "liaison", [ids["市民政局"]], None, "mz@linchuan.cn")
    users.create_user(db, SYSTEM, "lc-caizheng", "Duban-2026-ok", "liaison", [ids["市财政局"]])
    department_s.set_liaison(db, SYSTEM, ids["市乡村振兴局"], "李华", "0795-1234567", None)
    cl = review.plan_checklist(db, SYSTEM, plan_id)
    assert [u["name"] for u in cl.no_account] == ["市乡村振兴局"]
    assert [u["name"] for u in cl.no_contact] == ["市财政局"], "an account without e-mail is no contact"
    cycles.add_cycle(db, SYSTEM, plan_id, "monthly", day=25)
    assert review.plan_checklist(db, SYSTEM, plan_id).has_cycle


def test_the_checklist_leaves_out_groups_no_one_office_answers_for(db):
    text = PLAN.replace("(牵头单位:市民政局;配合单位:市财政局、市乡村振兴局)",
                        "(牵头单位:市民政局;配合单位:各县区人民政府、各县(市)区政府、各乡镇(街道)、县级有关部门)")
    extraction = extract_text(text, "临川助餐.txt")
    units = {u for t in extraction["tasks"] for u in t["units"]}
    assert {"各县区人民政府", "各乡镇(街道)", "县级有关部门"} <= units
    plan_id = plan_import.import_plan(db, SYSTEM, extraction, "临川助餐.txt", text, TODAY)
    cl = review.plan_checklist(db, SYSTEM, plan_id)
    assert [u["name"] for u in cl.no_account] == ["市民政局", "市财政局"]
    assert [u["name"] for u in cl.no_contact] == ["市民政局", "市财政局"]


@pytest.mark.parametrize(("name", "group"), [
    ("各县区", True), ("各县(市)区政府", True), ("各乡镇(街道)", True), ("县级有关部门", True), ("有关单位", True),
    ("市民政局", False), ("县民政局", False), ("乡镇卫生院", False)])
def test_a_group_of_units_is_told_by_the_extractors_own_mark(name, group):
    from duban.extract.units import is_group

    assert is_group(name) is group
