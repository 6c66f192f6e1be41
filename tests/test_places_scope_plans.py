"""Plans, meetings, packs, indicators, 考核 and accounts by place: an office sees its place and those below,
changes only its own place's work, and sees nothing of a sibling place; the whole-database office as before."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from db.queries import places as places_q
from db.queries import plans as plan_q
from duban.access import SYSTEM
from duban.errors import AccessDenied, InputError
from duban.reports import meeting_pack as pack_report
from duban.services import (
    assessment,
    check,
    decisions,
    departments,
    import_review,
    indicator_actuals,
    indicator_corrections,
    indicators,
    liaison_accounts,
    meetings,
    places,
    plan_import,
    plan_revision,
    plans,
    stored_packs,
    users,
)
from tests.place_world import actor, build_places
from tests.reports_world import TODAY
from ui import scope as choices


@pytest.fixture
def world(db):
    w = build_places(db)
    w.zz_indicator = plan_q.insert_indicator(db, w.base.plan, {"name": "郑州养老床位数", "target": "100"}, 0)
    w.js_indicator = plan_q.insert_indicator(db, w.js_plan, {"name": "金水区养老床位数", "target": "10"}, 0)
    w.bt_indicator = plan_q.insert_indicator(db, w.base.plan_bt, {"name": "包头托位数", "target": "50"}, 0)
    w.zz_meeting = meetings.create_meeting(db, actor(db, "zz-office"), "联席会议", "2026-12-10", [w.base.plan])
    w.bt_meeting = meetings.create_meeting(db, actor(db, "bt-office"), "联席会议", "2026-12-11", [w.base.plan_bt])
    return w


def extraction(place: str, title: str) -> dict:
    """A one-task plan of a place, in the extraction format."""
    return {"source": f"{title}.txt", "jurisdiction": place, "issuer": f"{place}人民政府", "title": title,
            "doc_number": None, "published": "2026-01-01", "period": {"start": "2026-01-01", "end": "2027-12-31"},
            "tasks": [{"seq": 1, "path": ["重点任务"], "number": "1", "title": "建设社区食堂", "lead": ["区民政局"],
                       "lead_explicit": True, "units": ["区民政局"],
                       "deadlines": [{"kind": "once", "due": "2026-12-31", "phrase": "2026年底前"}],
                       "text": "2026年底前建设社区食堂。", "ongoing": False}],
            "indicators": []}


def counts(db) -> dict:
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("jurisdictions", "plans", "tasks", "departments")}


def _text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _section(docx: bytes, heading: str) -> tuple[str, str]:
    """The pack's text before a section heading, and from it to the end."""
    text = _text_in_order(docx)
    at = text.index(heading)
    return text[:at], text[at:]


def _text_in_order(docx: bytes) -> str:
    """Paragraphs and table cells in the order they appear in the document."""
    doc = Document(io.BytesIO(docx))
    out = []
    for block in doc.element.body.iterchildren():
        if block.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            out.append("\n".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return "\n".join(out)


def _sheets(xlsx: bytes) -> dict[str, str]:
    wb = load_workbook(io.BytesIO(xlsx))
    return {ws.title: "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
            for ws in wb.worksheets}


# ---------------------------------------------------------------- a sibling place sees nothing

def test_a_sibling_city_sees_no_plan_meeting_indicator_or_score_of_zhengzhou(db, world):
    bt = actor(db, "bt-office")
    assert [p["title"] for p in plans.list_plans(db, bt)] == ["包头市“一老一小”整体解决方案"]
    with pytest.raises(AccessDenied):
        plans.get_plan(db, bt, world.js_plan)
    assert [m["id"] for m in meetings.list_meetings(db, bt)] == [world.bt_meeting]
    with pytest.raises(AccessDenied):
        meetings.get_meeting(db, bt, world.zz_meeting)
    assert [r["name"] for r in indicators.list_indicators(db, bt, TODAY)] == ["包头托位数"]
    with pytest.raises(Exception, match="无权查看"):
        indicators.get_indicator(db, bt, world.js_indicator, TODAY)
    rows = assessment.evaluate(db, bt, "2026-01-01", "2026-11-22", TODAY)["rows"]
    assert {r["jurisdiction"] for r in rows} == {"包头市"}
    assert list(choices.plan_labels(db, bt).values()) == ["包头市 · 包头市“一老一小”整体解决方案"]
    assert {label.split(" · ")[0] for label in choices.department_labels(db, bt).values()} == {"包头市"}


def test_a_city_reads_its_district_plan_but_cannot_revise_it_or_correct_its_indicator(db, world):
    zz = actor(db, "zz-office")
    assert {p["title"] for p in plans.list_plans(db, zz)} == {"郑州市“一老一小”整体解决方案", "金水区养老服务体系建设实施方案"}
    assert plans.get_plan(db, zz, world.js_plan)["jurisdiction"] == "金水区"
    before = counts(db)
    with pytest.raises(AccessDenied, match="下级地区的工作,只能查看"):
        plan_revision.apply_revision(db, zz, world.js_plan, extraction("金水区", "金水区养老服务体系建设实施方案"),
                                     "v2.txt", b"v2", TODAY)
    with pytest.raises(AccessDenied, match="下级地区"):
        indicator_corrections.correct_indicator(db, zz, world.js_indicator, name="改名")
    with pytest.raises(AccessDenied, match="下级地区"):
        indicator_actuals.report_actual(db, zz, world.js_indicator, 2025, "5", today=TODAY)
    assert counts(db) == before
    assert indicators.get_indicator(db, zz, world.js_indicator, TODAY)["name"] == "金水区养老床位数"
    assert indicator_corrections.correct_indicator(db, zz, world.zz_indicator, name="郑州养老床位总数")
    js = actor(db, "js-office")
    assert indicator_corrections.correct_indicator(db, js, world.js_indicator, name="金水区床位数")


def test_a_meeting_belongs_to_the_office_that_sets_it_up_and_only_it_records_decisions(db, world):
    assert db.conn.execute("SELECT jurisdiction_id FROM meetings WHERE id=?", [world.zz_meeting]).fetchone()[0] == world.zz
    js = actor(db, "js-office")
    assert meetings.list_meetings(db, js) == []
    with pytest.raises(AccessDenied):
        decisions.record_decision(db, actor(db, "bt-office"), world.zz_meeting, "落实议定事项", [world.base.c], None,
                                  "2027-01-31", dt.date(2026, 12, 20))
    with pytest.raises(Exception, match="规划不存在"):  # another city's plan is not one a meeting can cover
        meetings.create_meeting(db, actor(db, "zz-office"), "联席会议", "2026-12-12", [world.base.plan_bt])


def test_overdue_deadlines_are_read_within_the_places(db, world):
    def overdue(username: str) -> set[str]:
        return {r["title"] for r in check.overdue_instances(db, TODAY, actor=actor(db, username))}
    assert overdue("zz-office") == {"推进医养结合机构建设", "开展养老机构安全检查"}
    assert overdue("bt-office") == set() and overdue("js-office") == set()
    assert overdue("bangong") == overdue("zz-office")
    assert len(check.overdue_instances(db, TODAY, 1, actor=actor(db, "zz-office"))) == 1


def test_the_assessment_ranks_only_the_own_place_units(db, world):
    zz_rows = assessment.evaluate(db, actor(db, "zz-office"), "2026-01-01", "2026-11-22", TODAY)["rows"]
    assert {r["jurisdiction"] for r in zz_rows} == {"郑州市"}
    js_rows = assessment.evaluate(db, actor(db, "js-office"), "2026-01-01", "2026-11-22", TODAY)["rows"]
    assert [(r["jurisdiction"], r["department"]) for r in js_rows] == [("金水区", "区民政局")]
    with pytest.raises(AccessDenied):
        assessment.save_rule(db, actor(db, "zz-office"), base=40)


# ---------------------------------------------------------------- the meeting pack

def test_a_city_pack_lists_its_tasks_and_its_districts_apart_and_no_sibling_task(db, world):
    pack = pack_report.build(db, actor(db, "zz-office"), TODAY)
    main, lower = _section(pack.docx, "九、下级地区任务")
    assert "建设社区嵌入式养老服务设施" in main and "推进医养结合机构建设" in main
    assert "新建街道综合养老服务中心" not in main
    assert "新建街道综合养老服务中心" in lower and "金水区" in lower
    assert "发展普惠托育服务" not in _text(pack.docx)
    assert pack.data["summary"]["tasks"] == 4  # 郑州's own four; 金水区's is listed apart, not counted
    sheets = _sheets(pack.xlsx)
    assert list(sheets) == ["工作台账", "下级地区任务"]
    assert "建设社区嵌入式养老服务设施" in sheets["工作台账"] and "新建街道综合养老服务中心" not in sheets["工作台账"]
    assert "新建街道综合养老服务中心" in sheets["下级地区任务"]
    assert all("发展普惠托育服务" not in text for text in sheets.values())


def test_a_district_pack_lists_only_the_district(db, world):
    zz_pack = pack_report.build(db, actor(db, "zz-office"), TODAY)
    pack = pack_report.build(db, actor(db, "js-office"), TODAY)  # the same locked period: its own figures
    text = _text(pack.docx)
    assert "新建街道综合养老服务中心" in text
    for other in ("建设社区嵌入式养老服务设施", "推进医养结合机构建设", "发展普惠托育服务"):
        assert other not in text
    assert pack.data["summary"]["tasks"] == 1 and pack.data["lower"] is None  # no place below 金水区
    assert "下级地区任务" not in text and list(_sheets(pack.xlsx)) == ["工作台账"]
    assert zz_pack.data["summary"]["tasks"] == 4
    assert sorted(stored_packs.stored_scopes(db, actor(db, "js-office"), pack.period), key=str) == [None]
    again = pack_report.stored(db, actor(db, "js-office"), pack.period)
    assert again.data["summary"]["tasks"] == 1


def test_the_whole_database_pack_is_as_before(db, world):
    pack = pack_report.build(db, actor(db, "bangong"), TODAY)
    text = _text(pack.docx)
    assert "发展普惠托育服务" in text and "新建街道综合养老服务中心" in text
    assert "下级地区任务" not in text and pack.data["lower"] is None
    assert list(_sheets(pack.xlsx)) == ["工作台账"]


# ---------------------------------------------------------------- importing by place

def test_a_city_office_cannot_import_a_sibling_city_plan_and_nothing_is_stored(db, world):
    zz = actor(db, "zz-office")
    before = counts(db)
    with pytest.raises(AccessDenied, match="“包头市”不是郑州市的下级地区"):
        plan_import.import_plan(db, zz, extraction("包头市", "包头市社区食堂建设方案"), "bt.txt", b"bt", TODAY)
    with pytest.raises(AccessDenied, match="包头市"):
        plan_import.check_import(db, zz, extraction("包头市", "包头市社区食堂建设方案"), "bt.txt", b"bt")
    assert counts(db) == before


def test_a_city_office_imports_a_new_district_plan_under_its_own_place(db, world):
    zz = actor(db, "zz-office")
    plan_id = plan_import.import_plan(db, zz, extraction("管城回族区", "管城回族区社区食堂建设方案"), "gc.txt", b"gc",
                                      TODAY)
    place = next(p for p in places.tree(db) if p["name"] == "管城回族区")
    assert place["parent_id"] == world.zz and place["level"] == "county"
    zz = actor(db, "zz-office")  # logged in again: the new district is among the places it sees
    assert plans.get_plan(db, zz, plan_id)["jurisdiction"] == "管城回族区"
    assert plan_id not in {p["id"] for p in plans.list_plans(db, actor(db, "bt-office"))}
    # an existing district below is found, not made again
    js_plan = plan_import.import_plan(db, zz, extraction("金水区", "金水区社区食堂建设方案"), "js.txt", b"js", TODAY)
    assert plans.get_plan(db, zz, js_plan)["jurisdiction_id"] == world.js


def test_a_city_import_never_takes_over_a_place_holding_another_office_work(db, world):
    # the whole database's office stored 包头's 高新区 plan at the top, not yet put under 包头市
    bt_plan = plan_import.import_plan(db, actor(db, "bangong"), extraction("高新区", "包头市高新区托育服务方案"),
                                      "bt-gx.txt", b"bt-gx", TODAY)
    bt_place = plans.get_plan(db, actor(db, "bangong"), bt_plan)["jurisdiction_id"]
    zz = actor(db, "zz-office")
    zz_plan = plan_import.import_plan(db, zz, extraction("高新区", "郑州市高新区社区食堂建设方案"), "zz-gx.txt",
                                      b"zz-gx", TODAY)
    zz = actor(db, "zz-office")
    assert plans.get_plan(db, zz, zz_plan)["jurisdiction_id"] != bt_place  # 郑州's own 高新区, made under 郑州市
    assert next(p for p in places.tree(db) if p["id"] == bt_place)["parent_id"] is None  # left where it was
    with pytest.raises(AccessDenied):
        plans.get_plan(db, zz, bt_plan)
    assert "包头市高新区托育服务方案" not in {p["title"] for p in plans.list_plans(db, zz)}


def test_a_name_two_cities_share_is_not_guessed_on_a_whole_database_import(db, world):
    places.add_place(db, SYSTEM, "金水区", world.bt)  # 包头 has a 金水区 too
    before = counts(db)
    with pytest.raises(InputError, match="有多个名为“金水区”的地区"):
        plan_import.import_plan(db, actor(db, "bangong"), extraction("金水区", "金水区社区食堂建设方案"), "js2.txt",
                                b"js2", TODAY)
    assert counts(db) == before


def test_the_import_review_reads_the_directory_of_the_place_the_plan_goes_to(db, world):
    ex = extraction("金水区", "金水区社区食堂建设方案")
    mine = import_review.review_tasks(db, ex, actor(db, "zz-office"))[0]
    assert not {"unit_new", "unit_new_here"} & {code for code, _, _ in mine.reasons}  # 金水区's 区民政局 is known
    refused = import_review.review_tasks(db, ex, actor(db, "bt-office"))[0]  # shown, refused only on saving
    assert "unit_new_here" in {code for code, _, _ in refused.reasons}


def test_a_district_office_cannot_import_its_city_plan(db, world):
    before = counts(db)
    with pytest.raises(AccessDenied, match="不是金水区的下级地区"):
        plan_import.import_plan(db, actor(db, "js-office"), extraction("郑州市", "郑州市社区食堂建设方案"), "zz.txt",
                                b"zz2", TODAY)
    assert counts(db) == before


def test_the_whole_database_office_imports_any_place_as_before(db, world):
    plan_id = plan_import.import_plan(db, actor(db, "bangong"), extraction("包头市", "包头市社区食堂建设方案"), "bt.txt",
                                      b"bt", TODAY)
    assert plans.get_plan(db, actor(db, "bangong"), plan_id)["jurisdiction_id"] == world.bt
    assert len(plans.list_plans(db, actor(db, "bangong"))) == 4
    assert {m["id"] for m in meetings.list_meetings(db, actor(db, "bangong"))} == {world.zz_meeting, world.bt_meeting}


# ---------------------------------------------------------------- accounts and departments

def test_a_city_office_manages_only_its_own_place_accounts(db, world):
    zz = actor(db, "zz-office")
    names = {u["username"] for u in users.list_users(db, zz)}
    assert {"zz-office", "zz-leader", "zz-minzheng", "zz-weijian"} <= names
    assert not names & {"bt-office", "bt-minzheng", "js-office", "js-minzheng", "bangong", "xitong"}
    with pytest.raises(AccessDenied, match="只能管理本地区的账号"):
        users.set_active(db, zz, "bt-minzheng", False)
    with pytest.raises(AccessDenied, match="本地区的部门"):
        users.create_user(db, zz, "js-new", "Another-pass-2026", "liaison", [world.js_dept])
    new = users.create_user(db, zz, "zz-office2", "Another-pass-2026", "office")
    assert users.actor_for(db, new).place_id == world.zz
    assert {d["id"] for d in users.list_departments(db, zz)} == {world.base.a, world.base.b, world.group_unit}
    assert len(users.list_users(db, actor(db, "bangong"))) > len(users.list_users(db, zz))
    assert liaison_accounts.places(db, zz) == {world.zz: "郑州市"}
    with pytest.raises(AccessDenied):
        liaison_accounts.check(db, zz, [], world.bt)


def test_a_city_office_changes_only_its_own_departments(db, world):
    zz = actor(db, "zz-office")
    with pytest.raises(AccessDenied, match="下级地区"):
        departments.set_liaison(db, zz, world.js_dept, "张三", "13800000000", None)
    with pytest.raises(AccessDenied):
        departments.add_alias(db, zz, world.base.c, "包头民政")
    departments.set_liaison(db, zz, world.base.a, "李四", "13900000000", None)
    assert departments.get_department(db, zz, world.base.a).liaison_name == "李四"


# ---------------------------------------------------------------- one name in many cities

def test_a_name_is_unique_under_one_parent_only(db, world):
    other = places.add_place(db, SYSTEM, "金水区", world.bt)
    assert {p["parent_id"] for p in places_q.named(db, "金水区")} == {world.zz, world.bt} and other != world.js
    assert places_q.by_name(db, "金水区") is None  # ambiguous: no guess
    assert places_q.by_name(db, "二七区")["id"] == world.eq  # unambiguous: found as before
    with pytest.raises(InputError, match="“郑州市”下已有名为“金水区”"):
        places.add_place(db, SYSTEM, "金水区", world.zz)
    # each city's office imports its own 金水区's plan
    zz_plan = plan_import.import_plan(db, actor(db, "zz-office"), extraction("金水区", "金水区食堂方案"), "a.txt", b"a",
                                      TODAY)
    bt_plan = plan_import.import_plan(db, actor(db, "bt-office"), extraction("金水区", "金水区食堂方案"), "b.txt", b"b",
                                      TODAY)
    assert plans.get_plan(db, actor(db, "zz-office"), zz_plan)["jurisdiction_id"] == world.js
    assert plans.get_plan(db, actor(db, "bt-office"), bt_plan)["jurisdiction_id"] == other
