"""Importing a plan: everything in one transaction, the same file twice changes nothing, a revision shows its diff."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from duban.access import SYSTEM, Actor
from duban.errors import AccessDenied, InputError
from duban.services import plan_check, plan_import, plans, tasks

TODAY = dt.date(2026, 11, 22)


def sample() -> dict:
    """A small plan in the extraction format: three tasks, one indicator."""
    return {
        "source": "sample.txt", "jurisdiction": "样例市", "issuer": "样例市人民政府", "title": "样例市养老服务行动方案",
        "doc_number": "样政发〔2024〕1号", "published": "2024-03-01", "period": {"start": "2024-01-01", "end": "2026-12-31"},
        "tasks": [
            {"seq": 1, "path": ["二、重点任务", "(一)完善兜底保障"], "number": "1", "title": "动态调整基本养老服务清单",
             "lead": ["市民政局"], "lead_explicit": True, "units": ["市民政局", "市财政局", "市卫生健康委员会"],
             "deadlines": [{"kind": "recurring", "freq": "yearly", "month": 5, "day": 31, "phrase": "每年五月底前"}],
             "text": "每年五月底前动态调整基本养老服务清单。(市民政局牵头,市财政局、市卫生健康委员会配合)", "ongoing": False},
            {"seq": 2, "path": ["二、重点任务", "(一)完善兜底保障"], "number": "2", "title": "建设区域养老服务中心",
             "lead": [], "lead_explicit": False, "units": ["市民政局", "各区县政府"],
             "deadlines": [{"kind": "once", "due": "2025-12-31", "phrase": "2025年底前"}],
             "text": "2025年底前每个区县至少建成1所区域养老服务中心。", "ongoing": False},
            {"seq": 3, "path": ["三、保障措施"], "number": None, "title": "加强组织领导",
             "lead": ["市卫健委"], "lead_explicit": True, "units": ["市卫健委", "市民政局"], "deadlines": [],
             "text": "持续推进组织领导工作。", "ongoing": True},
        ],
        "indicators": [
            {"table": "表1", "category": "养老", "number": "1", "name": "养老机构护理型床位占比", "baseline": "45%",
             "baseline_year": 2023, "target": "60%", "target_year": 2026, "nature": "约束性", "responsible": ["市民政局"]},
        ],
    }


def counts(db) -> dict:
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("jurisdictions", "plans", "sections", "departments", "department_aliases", "tasks", "task_units",
                      "deadlines", "instances", "indicators", "indicator_units", "audit_log")}


def test_import_stores_the_whole_plan(db):
    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    plan = plans.get_plan(db, SYSTEM, plan_id)
    assert plan["title"] == "样例市养老服务行动方案" and plan["jurisdiction"] == "样例市"
    assert plan["period_start"] == "2024-01-01" and plan["period_end"] == "2026-12-31"
    assert [s["title"] for s in plan["sections"]] == ["二、重点任务", "(一)完善兜底保障", "三、保障措施"]
    rows = tasks.list_tasks(db, SYSTEM, TODAY, plan_id=plan_id)
    assert [r.title for r in rows] == ["动态调整基本养老服务清单", "建设区域养老服务中心", "加强组织领导"]
    first = tasks.get_task(db, SYSTEM, rows[0].id, TODAY)
    assert first.body.startswith("每年五月底前")
    assert [(u.name, u.role) for u in first.departments] == [
        ("市民政局", "lead"), ("市财政局", "co"), ("市卫生健康委员会", "co")]
    assert first.deadlines[0].phrase == "每年五月底前"
    assert [i.due for i in first.instances] == ["2024-05-31", "2025-05-31", "2026-05-31"]
    assert first.path == ("二、重点任务", "(一)完善兜底保障")
    # no lead written: the first unit leads
    second = tasks.get_task(db, SYSTEM, rows[1].id, TODAY)
    assert second.lead == ("市民政局",) and second.lead_explicit == 0
    # no deadline: one instance at the plan's end, kept as 持续推进
    third = tasks.get_task(db, SYSTEM, rows[2].id, TODAY)
    assert [i.due for i in third.instances] == ["2026-12-31"]
    assert third.deadlines[0].kind == "ongoing" and third.ongoing == 1
    ind = db.conn.execute("SELECT name, target, nature FROM indicators WHERE plan_id=?", [plan_id]).fetchone()
    assert tuple(ind) == ("养老机构护理型床位占比", "60%", "约束性")
    assert db.conn.execute("SELECT count(*) FROM indicator_units").fetchone()[0] == 1
    assert db.conn.execute("SELECT action FROM audit_log WHERE entity='plan' AND entity_id=?",
                           [plan_id]).fetchone()[0] == "导入规划"


def test_same_file_twice_changes_nothing(db):
    first = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    before = counts(db)
    check = plan_import.check_import(db, SYSTEM, sample(), "sample.txt", b"v1")
    assert check.kind == "unchanged" and "未作任何更改" in check.message
    assert plan_import.import_plan(db, SYSTEM, sample(), "again.txt", b"v1", TODAY) == first
    assert counts(db) == before


def test_departments_are_per_jurisdiction(db):
    plan_import.import_plan(db, SYSTEM, sample(), "a.txt", b"a", TODAY)
    other = sample()
    other["jurisdiction"] = "另一市"
    plan_import.import_plan(db, SYSTEM, other, "b.txt", b"b", TODAY)
    rows = db.conn.execute("SELECT count(*) FROM departments WHERE name='市民政局'").fetchone()[0]
    assert rows == 2


@pytest.mark.parametrize("breakage, message", [
    (lambda ex: ex.update(jurisdiction=""), "地区"),
    (lambda ex: ex.update(period={"start": "2024-01-01"}), "规划期"),
    (lambda ex: ex.update(period={"start": "2027-01-01", "end": "2026-12-31"}), "晚于"),
    (lambda ex: ex.update(tasks=[]), "任务"),
    (lambda ex: ex["tasks"][1].update(units=[]), "没有责任单位"),
    (lambda ex: ex["tasks"][2].update(deadlines=[{"kind": "once", "due": "2025-13-40"}]), "期限"),
    (lambda ex: ex["tasks"][0]["deadlines"][0].update(freq="weekly"), "周期"),
    (lambda ex: ex["indicators"][0].update(name=""), "指标"),
])
def test_bad_extraction_stores_nothing(db, breakage, message):
    ex = sample()
    breakage(ex)
    before = counts(db)
    with pytest.raises(InputError) as err:
        plan_import.import_plan(db, SYSTEM, ex, "bad.txt", b"bad", TODAY)
    assert message in str(err.value)
    assert counts(db) == before


def test_a_failure_half_way_rolls_everything_back(db, monkeypatch):
    from duban.services import plan_import as module

    def boom(*args, **kwargs):
        raise InputError("指标写入失败")

    monkeypatch.setattr(module, "store_indicators", boom)
    with pytest.raises(InputError):
        plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    assert counts(db)["plans"] == 0 and counts(db)["tasks"] == 0 and counts(db)["departments"] == 0


def test_only_the_office_imports(db):
    liaison = Actor(user_id=5, username="x", role="liaison", department_ids=frozenset({1}))
    with pytest.raises(AccessDenied):
        plan_import.import_plan(db, liaison, sample(), "sample.txt", b"v1", TODAY)


def revised() -> dict:
    ex = copy.deepcopy(sample())
    ex["tasks"][0]["title"] = "动态调整并公布基本养老服务清单"               # reworded
    ex["tasks"][0]["text"] = "每年五月底前动态调整并公布基本养老服务清单。(市民政局牵头,市财政局配合)"
    ex["tasks"][0]["units"] = ["市民政局", "市财政局"]                       # unit dropped
    ex["tasks"][1]["deadlines"] = [{"kind": "once", "due": "2026-06-30", "phrase": "2026年6月底前"}]  # deadline moved
    del ex["tasks"][2]                                                       # removed
    ex["tasks"].append({"seq": 3, "path": ["三、保障措施"], "number": None, "title": "强化资金保障",
                        "lead": ["市财政局"], "lead_explicit": True, "units": ["市财政局", "市民政局"],
                        "deadlines": [{"kind": "recurring", "freq": "quarterly", "phrase": "每季度"}],
                        "text": "每季度拨付运营补贴。", "ongoing": False})  # added
    return ex


def test_revision_diff_names_every_change(db):
    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    check = plan_import.check_import(db, SYSTEM, revised(), "sample-v2.txt", b"v2")
    assert check.kind == "revision" and check.plan_id == plan_id
    diff = check.diff
    assert [t["title"] for t in diff.added] == ["强化资金保障"]
    assert [t["title"] for t in diff.removed] == ["加强组织领导"]
    assert [(t["old_title"], t["new_title"]) for t in diff.reworded] == [
        ("动态调整基本养老服务清单", "动态调整并公布基本养老服务清单")]
    assert [t["title"] for t in diff.units_changed] == ["动态调整并公布基本养老服务清单"]
    assert diff.units_changed[0]["old"] == ["市民政局(牵头)", "市财政局(配合)", "市卫生健康委员会(配合)"]
    assert [t["title"] for t in diff.deadlines_changed] == ["建设区域养老服务中心"]
    text = "\n".join(diff.lines())
    assert "+ 新增任务" in text and "- 删除任务" in text and "2026年6月底前" in text


def test_revision_is_applied_only_when_confirmed(db):
    plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    before = counts(db)
    with pytest.raises(plan_import.RevisionNeeded) as err:
        plan_import.import_plan(db, SYSTEM, revised(), "sample-v2.txt", b"v2", TODAY)
    assert "修订版" in str(err.value) and err.value.diff.added
    assert counts(db) == before


def test_applied_revision_keeps_task_ids_history_and_reported_instances(db):
    from duban.services.status import change_status

    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    old = {r.title: r.id for r in tasks.list_tasks(db, SYSTEM, TODAY, plan_id=plan_id)}
    first_id, second_id, third_id = old["动态调整基本养老服务清单"], old["建设区域养老服务中心"], old["加强组织领导"]
    change_status(db, SYSTEM, first_id, "推进中", note="已启动")
    db.conn.execute("UPDATE instances SET state='closed', closed_at='2024-05-20' WHERE task_id=? AND due='2024-05-31'",
                    [first_id])
    assert plan_import.import_plan(db, SYSTEM, revised(), "sample-v2.txt", b"v2", TODAY, confirm_revision=True) == plan_id
    plan = plans.get_plan(db, SYSTEM, plan_id)
    assert plan["version"] == 2 and [v["version"] for v in plan["versions"]] == [1]
    rows = {r.title: r for r in tasks.list_tasks(db, SYSTEM, TODAY, plan_id=plan_id)}
    assert set(rows) == {"动态调整并公布基本养老服务清单", "建设区域养老服务中心", "强化资金保障"}
    assert rows["动态调整并公布基本养老服务清单"].id == first_id
    assert rows["建设区域养老服务中心"].id == second_id
    first = tasks.get_task(db, SYSTEM, first_id, TODAY)
    assert [h["new_status"] for h in first.history] == ["推进中"]
    assert [u.name for u in first.departments] == ["市民政局", "市财政局"]
    assert [(i.due, i.state) for i in first.instances][0] == ("2024-05-31", "closed")
    second = tasks.get_task(db, SYSTEM, second_id, TODAY)
    assert [i.due for i in second.instances] == ["2026-06-30"]
    assert second.deadlines[0].phrase == "2026年6月底前"
    removed = tasks.get_task(db, SYSTEM, third_id, TODAY)
    assert removed.removed == 1
    assert third_id in {r.id for r in tasks.list_tasks(db, SYSTEM, TODAY, include_removed=True)}
    # importing the new file again, or the old one, changes nothing
    before = counts(db)
    assert plan_import.import_plan(db, SYSTEM, revised(), "sample-v2.txt", b"v2", TODAY) == plan_id
    assert plan_import.check_import(db, SYSTEM, sample(), "sample.txt", b"v1").kind == "old_version"
    assert plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY) == plan_id
    assert counts(db) == before
    assert json.loads(db.conn.execute("SELECT detail FROM audit_log WHERE action='修订规划'").fetchone()[0])["新增任务"] == 1


def test_untitled_document_gets_a_stand_in_title(db):
    ex = sample()
    ex["title"] = None
    plan_id = plan_import.import_plan(db, SYSTEM, ex, "untitled.txt", b"u", TODAY)
    assert plans.get_plan(db, SYSTEM, plan_id)["title"] == "样例市规划(未注明标题)"


def _indicator(db, plan_id) -> dict:
    return dict(db.conn.execute("SELECT * FROM indicators WHERE plan_id=?", [plan_id]).fetchone())


def _indicator_units(db, indicator_id) -> list[str]:
    return [r[0] for r in db.conn.execute(
        "SELECT d.name FROM indicator_units u JOIN departments d ON d.id = u.department_id "
        "WHERE u.indicator_id=? ORDER BY u.position", [indicator_id])]


def _with_indicator(ex: dict, **changes) -> dict:
    ex = copy.deepcopy(ex)
    ex["indicators"][0].update(changes)
    return ex


def _correct(db, plan_id, **fields) -> int:
    from duban.services import indicator_corrections

    iid = _indicator(db, plan_id)["id"]
    assert indicator_corrections.correct_indicator(db, SYSTEM, iid, **fields)
    return iid


def test_a_revision_keeps_the_offices_corrections_of_an_indicator(db):
    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    health = db.conn.execute("SELECT id FROM departments WHERE name='市卫生健康委员会'").fetchone()[0]
    iid = _correct(db, plan_id, target="65%", nature="预期性", unit_ids=[health])
    # the revised document still says 60% / 约束性 / 市民政局 for it (unchanged there), but moves the baseline
    ex = _with_indicator(revised(), baseline="46%")
    check = plan_import.check_import(db, SYSTEM, ex, "sample-v2.txt", b"v2")
    assert check.diff.indicator_conflicts == []  # the document did not change what the office corrected
    plan_import.import_plan(db, SYSTEM, ex, "sample-v2.txt", b"v2", TODAY, confirm_revision=True)
    row = _indicator(db, plan_id)
    assert row["id"] == iid
    assert (row["target"], row["nature"], row["baseline"]) == ("65%", "预期性", "46%")
    assert _indicator_units(db, iid) == ["市卫生健康委员会"]


def test_a_revision_that_changes_a_corrected_field_shows_the_conflict_and_keeps_the_offices_value(db):
    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    iid = _correct(db, plan_id, target="65%")
    v2 = _with_indicator(sample(), target="62%", responsible=["市民政局", "市财政局"])
    v2["doc_number"] = "样政发〔2024〕2号"
    check = plan_import.check_import(db, SYSTEM, v2, "sample-v2.txt", b"v2")
    assert [(c["label"], c["office"], c["document"]) for c in check.diff.indicator_conflicts] == [
        ("目标值", "65%", "62%")]
    text = "\n".join(check.diff.lines())
    assert "养老机构护理型床位占比" in text and "新文件为 62%" in text and "保留办公室修正的 65%" in text
    assert check.diff.counts()["保留指标修正"] == 1
    plan_import.import_plan(db, SYSTEM, v2, "sample-v2.txt", b"v2", TODAY, confirm_revision=True)
    row = _indicator(db, plan_id)
    assert row["target"] == "65%"
    assert _indicator_units(db, iid) == ["市民政局", "市财政局"]  # not corrected: the document's units
    kept = db.conn.execute("SELECT detail FROM audit_log WHERE action='修订规划时保留指标修正' AND entity_id=?",
                           [iid]).fetchall()
    assert [json.loads(k[0]) for k in kept] == [{"document": {"target": "62%"}, "kept": {"target": "65%"}}]
    # the next version still says 62%: nothing new to show, the office's 65% stays
    v3 = copy.deepcopy(v2)
    v3["doc_number"] = "样政发〔2024〕3号"
    check = plan_import.check_import(db, SYSTEM, v3, "sample-v3.txt", b"v3")
    assert check.diff.indicator_conflicts == []
    plan_import.import_plan(db, SYSTEM, v3, "sample-v3.txt", b"v3", TODAY, confirm_revision=True)
    assert _indicator(db, plan_id)["target"] == "65%"


def test_an_indicator_whose_name_the_office_corrected_is_still_matched_and_keeps_its_actuals(db):
    from duban.services import indicator_actuals

    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    iid = _correct(db, plan_id, name="养老机构护理型床位占比(%)", unit_ids=[])
    indicator_actuals.report_actual(db, SYSTEM, iid, 2024, "50%", None, today=TODAY)
    responsible = db.conn.execute("SELECT count(*) FROM indicator_units WHERE indicator_id=?", [iid]).fetchone()[0]
    assert responsible == 0
    v2 = _with_indicator(sample(), responsible=["市卫健委"])
    v2["doc_number"] = "样政发〔2024〕2号"
    diff = plan_import.check_import(db, SYSTEM, v2, "sample-v2.txt", b"v2").diff
    assert [(c["label"], c["office"], c["document"]) for c in diff.indicator_conflicts] == [("责任单位", "无", "市卫生健康委员会")]
    plan_import.import_plan(db, SYSTEM, v2, "sample-v2.txt", b"v2", TODAY, confirm_revision=True)
    rows = db.conn.execute("SELECT id, name FROM indicators WHERE plan_id=?", [plan_id]).fetchall()
    assert [tuple(r) for r in rows] == [(iid, "养老机构护理型床位占比(%)")]
    assert _indicator_units(db, iid) == []
    assert db.conn.execute("SELECT count(*) FROM indicator_actuals WHERE indicator_id=?", [iid]).fetchone()[0] == 1


def test_a_corrected_indicator_the_revision_drops_is_kept_and_said_so(db):
    plan_id = plan_import.import_plan(db, SYSTEM, sample(), "sample.txt", b"v1", TODAY)
    iid = _correct(db, plan_id, target="65%")
    v2 = copy.deepcopy(sample())
    v2["indicators"] = [{"table": "表1", "category": "养老", "number": "2", "name": "每千名老年人拥有养老床位数",
                         "target": "40张", "target_year": 2026}]
    diff = plan_import.check_import(db, SYSTEM, v2, "sample-v2.txt", b"v2").diff
    assert [c["field"] for c in diff.indicator_conflicts] == [None]
    assert "新文件中已无此指标" in "\n".join(diff.lines())
    plan_import.import_plan(db, SYSTEM, v2, "sample-v2.txt", b"v2", TODAY, confirm_revision=True)
    names = {r[0]: r[1] for r in db.conn.execute("SELECT id, name FROM indicators WHERE plan_id=?", [plan_id])}
    assert names[iid] == "养老机构护理型床位占比" and "每千名老年人拥有养老床位数" in names.values()


def test_an_untitled_plan_is_named_after_its_file_when_the_name_is_in_words():
    assert plan_check.display_title({"title": None, "source": "临川市一老一小实施方案.docx", "jurisdiction": "临川市"}) \
        == "临川市一老一小实施方案"
    assert plan_check.display_title({"title": "", "source": "000_1133f5b9.txt", "jurisdiction": "临川市"}) \
        == "临川市规划(未注明标题)"
    assert plan_check.display_title({"title": "临川市养老服务规划", "source": "x.txt", "jurisdiction": "临川市"}) \
        == "临川市养老服务规划"
