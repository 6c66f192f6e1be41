"""Following the work, place by place: an office sees its own place's tasks, reports, cycles, calendars, notices
and reminders and those of the places below it, never a sibling's; it changes only its own place's work.

The world (tests/place_world): 郑州市 with 金水区 and 二七区 below it, and its sibling 包头市, one office each;
bangong is an office of the whole database and sees everything as before places existed.
"""
from __future__ import annotations

import datetime as dt

import pytest

from duban.access import SYSTEM
from duban.errors import AccessDenied
from duban.jobs import digest
from duban.jobs.wording import OFFICE
from duban.services import (
    calendars,
    cycles,
    duty_report,
    evidence,
    notices,
    overview,
    reminder_rules,
    reports,
    review,
    task_views,
    update_requests,
)
from tests.place_world import actor, build_places
from tests.reports_world import PDF, TODAY

LATE = dt.date(2027, 2, 1)  # every deadline of the world has passed: each unit has red items to chase


@pytest.fixture
def w(db):
    return build_places(db)


@pytest.fixture
def filed(db, w):
    """One report waiting for review in each of 郑州市 (市民政局), 金水区 (区民政局) and 包头市 (市民政局)."""
    zz = reports.file_report(db, actor(db, "zz-minzheng"), w.base.shared, "郑州进展", 40, "推进中", TODAY)
    js = reports.file_report(db, actor(db, "js-minzheng"), w.js_task, "金水进展", 100, "已完成", TODAY,
                             evidence=[("金水佐证.pdf", PDF)])
    bt = reports.file_report(db, actor(db, "bt-minzheng"), w.base.only_c, "包头进展", 20, "推进中", TODAY)
    return {"zz": zz, "js": js, "bt": bt}


def zz_own(w) -> set[int]:
    """郑州市's own tasks (not those of the districts below it)."""
    return {w.base.shared, w.base.only_b, w.base.recurring, w.group_task}


def listed(db, name: str) -> set[int]:
    """The tasks the 任务 page lists for an account."""
    return {t.id for t in task_views.task_list(db, actor(db, name), TODAY, {})}


# ---- 总览 and the task list

def test_the_dashboard_and_task_list_count_only_the_places_an_office_sees(db, w):
    counted = {name: set(overview.task_ids(db, actor(db, name), TODAY))
               for name in ("bt-office", "zz-office", "js-office", "bangong")}
    assert counted["bt-office"] == {w.base.only_c}
    assert counted["zz-office"] == zz_own(w) | {w.js_task}
    assert counted["js-office"] == {w.js_task}
    assert counted["bangong"] == zz_own(w) | {w.js_task, w.base.only_c}
    for name, ids in counted.items():
        assert overview.overview(db, actor(db, name), TODAY)["total"] == len(ids)
        assert listed(db, name) == ids
    # a filter naming another place finds nothing, it does not widen the view
    assert overview.task_ids(db, actor(db, "bt-office"), TODAY, jurisdiction=w.zz) == []
    names = {j["name"] for j in overview.filter_options(db, actor(db, "bt-office"))["jurisdictions"]}
    assert names == {"包头市"}
    assert {p.label for p in overview.filter_options(db, actor(db, "js-office"))["plans"]} == {"金水区养老服务体系建设实施方案"}


def test_the_due_lists_name_each_task_with_its_own_place(db, w):
    items = overview.overview(db, actor(db, "zz-office"), TODAY)["due"]["90"]["items"]
    by_task = {i["task_id"]: i["jurisdiction"] for i in items}
    assert by_task[w.js_task] == "金水区" and by_task[w.base.shared] == "郑州市"
    assert w.base.only_c not in by_task


def test_the_place_rollup_counts_each_place_below_with_everything_under_it(db, w):
    rows = overview.place_rollup(db, actor(db, "zz-office"), TODAY)
    assert [r["label"] for r in rows][0] == "郑州市(本级)"
    by_label = {r["label"]: r for r in rows}
    assert set(by_label) == {"郑州市(本级)", "金水区", "二七区"}
    assert by_label["金水区"]["task_ids"] == [w.js_task] and by_label["金水区"]["tasks"] == 1
    assert by_label["二七区"]["tasks"] == 0 and by_label["二七区"]["on_time_rate"] is None
    own = by_label["郑州市(本级)"]
    assert set(own["task_ids"]) == zz_own(w)
    for r in rows:  # the lights are those of the dashboard, task for task
        assert r["红"] + r["黄"] + r["绿"] == r["tasks"]
    # 郑州's own overdue deadlines (2025-12-31, 2026-06-30) fell due and were not closed: nothing on time yet
    assert own["on_time_rate"] == 0.0
    # no place below: no roll-up; the whole-database office and a liaison get none either
    for name in ("bt-office", "js-office", "bangong", "js-minzheng"):
        assert overview.place_rollup(db, actor(db, name), TODAY) == []


def test_a_deadline_closed_on_time_below_counts_in_the_upper_offices_rollup(db, w, filed):
    review.accept(db, actor(db, "js-office"), filed["js"], TODAY)
    rows = {r["label"]: r for r in overview.place_rollup(db, actor(db, "zz-office"), TODAY)}
    assert rows["金水区"]["on_time_rate"] == 100.0 and rows["金水区"]["绿"] == 1


def test_the_overview_page_shows_the_places_below_only_to_an_office_with_places_below(db, w, monkeypatch):
    from tests.support import app_as

    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    at = app_as(db, "zz-office", "pages/overview.py")
    assert not at.exception
    assert "下级地区" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "按时完成率" in d.value.columns)
    assert list(table["地区"]) == ["郑州市(本级)", "二七区", "金水区"]
    assert list(table["任务数"]) == [4, 0, 1]
    at = app_as(db, "bt-office", "pages/overview.py")
    assert not at.exception
    assert "下级地区" not in [s.value for s in at.subheader]


# ---- reports, review, evidence

def test_the_review_queue_holds_only_the_reports_of_the_places_an_office_sees(db, w, filed):
    def queued(name):
        return {r["id"] for r in review.queue(db, actor(db, name))}

    assert queued("bt-office") == {filed["bt"]}
    assert queued("zz-office") == {filed["zz"], filed["js"]}
    assert queued("js-office") == {filed["js"]}
    assert queued("bangong") == set(filed.values())


def test_an_upper_office_cannot_accept_or_return_a_report_of_a_place_below(db, w, filed):
    zz = actor(db, "zz-office")
    with pytest.raises(AccessDenied, match="下级地区"):
        review.accept(db, zz, filed["js"], TODAY)
    with pytest.raises(AccessDenied, match="下级地区"):
        review.return_report(db, zz, filed["js"], "请补充材料", TODAY)
    with pytest.raises(AccessDenied, match="其他地区"):
        review.accept(db, actor(db, "bt-office"), filed["js"], TODAY)
    state = db.conn.execute("SELECT review_state FROM reports WHERE id=?", [filed["js"]]).fetchone()[0]
    assert state == "待审核"
    assert db.conn.execute("SELECT status FROM tasks WHERE id=?", [w.js_task]).fetchone()[0] == "已完成(待审核)"
    # its own office closes it; the upper office sees that in its record, the sibling does not
    assert review.accept(db, actor(db, "js-office"), filed["js"], TODAY) == "已销号"
    assert filed["js"] in {r["id"] for r in review.recent(db, zz)}
    assert review.recent(db, actor(db, "bt-office")) == []
    # and its own place's report it reviews as before
    review.return_report(db, zz, filed["zz"], "请写明进度", TODAY)


def test_an_office_files_no_report_on_a_lower_places_task_and_reads_no_siblings_evidence(db, w, filed):
    before = db.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    with pytest.raises(AccessDenied, match="下级地区"):
        reports.file_report(db, actor(db, "zz-office"), w.js_task, "代为填报", 50, "推进中", TODAY)
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == before
    evidence_id = reports.get_report(db, actor(db, "js-office"), filed["js"])["evidence"][0]["id"]
    assert evidence.read(db, actor(db, "zz-office"), evidence_id)[2] == PDF
    with pytest.raises(AccessDenied):
        evidence.read(db, actor(db, "bt-office"), evidence_id)
    with pytest.raises(AccessDenied):
        reports.task_reports(db, actor(db, "js-office"), w.base.shared)


# ---- reporting cycles

def test_cycles_are_seen_in_the_places_below_and_changed_only_by_their_own_place(db, w):
    with pytest.raises(AccessDenied, match="下级地区"):
        cycles.add_cycle(db, actor(db, "zz-office"), w.js_plan, "monthly", day=28)
    assert db.conn.execute("SELECT count(*) FROM report_cycles").fetchone()[0] == 0
    js_cycle = cycles.add_cycle(db, actor(db, "js-office"), w.js_plan, "monthly", day=28)
    zz_cycle = cycles.add_cycle(db, actor(db, "zz-office"), w.base.plan, "monthly", day=25)

    def seen(name):
        return {c.id for c in cycles.list_cycles(db, actor(db, name))}

    assert seen("zz-office") == {js_cycle, zz_cycle}
    assert seen("js-office") == {js_cycle}
    assert seen("bt-office") == set()
    assert seen("bangong") == {js_cycle, zz_cycle}
    assert {p.id for p in cycles.list_plans(db, actor(db, "bt-office"))} == {w.base.plan_bt}
    assert cycles.cycle_overview(db, actor(db, "zz-office"), js_cycle, TODAY)
    for name, cycle_id in (("bt-office", js_cycle), ("js-office", zz_cycle)):
        with pytest.raises(AccessDenied):
            cycles.cycle_overview(db, actor(db, name), cycle_id, TODAY)
    with pytest.raises(AccessDenied, match="下级地区"):
        cycles.set_active(db, actor(db, "zz-office"), js_cycle, False)
    assert cycles.list_cycles(db, actor(db, "js-office"))[0].active
    missing = {u.cycle.id for u in cycles.unreported(db, actor(db, "bt-office"), TODAY)}
    assert missing == set()
    assert {u.cycle.id for u in cycles.unreported(db, actor(db, "js-office"), TODAY)} <= {js_cycle}


# ---- calendars, notices, duty reports, meetings' requests

def test_calendars_offer_only_the_units_of_the_places_an_office_sees(db, w):
    def units(name):
        return {d["id"] for d in calendars.calendar_departments(db, actor(db, name))}

    assert units("bt-office") == {w.base.c}
    assert units("js-office") == {w.js_dept}
    assert {w.js_dept, w.eq_dept, w.base.a} <= units("zz-office") and w.base.c not in units("zz-office")
    assert {w.js_dept, w.base.c} <= units("bangong")
    with pytest.raises(AccessDenied):
        calendars.department_deadlines(db, actor(db, "bt-office"), w.js_dept)
    with pytest.raises(AccessDenied):
        calendars.department_deadlines(db, actor(db, "js-office"), w.base.a)
    _, rows = calendars.department_deadlines(db, actor(db, "zz-office"), w.js_dept)
    assert {r["task_id"] for r in rows} == {w.js_task}


def test_notices_list_and_are_issued_only_within_the_offices_places(db, w):
    def chased(name):
        return set(notices.levels_by_department(db, LATE, actor=actor(db, name)))

    assert chased("bt-office") == {w.base.c}
    assert chased("js-office") == {w.js_dept}
    assert w.js_dept in chased("zz-office") and w.base.c not in chased("zz-office")
    assert {w.js_dept, w.base.c, w.base.a} <= chased("bangong")
    with pytest.raises(AccessDenied):
        notices.classify(db, w.js_dept, LATE, actor=actor(db, "bt-office"))
    assert notices.classify(db, w.js_dept, LATE, actor=actor(db, "zz-office"))
    with pytest.raises(AccessDenied, match="下级地区"):
        notices.create_notice(db, actor(db, "zz-office"), w.js_dept, LATE)
    assert db.conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 0
    assert notices.create_notice(db, actor(db, "js-office"), w.js_dept, LATE).items


def test_a_duty_report_is_drafted_only_for_a_unit_of_the_offices_places(db, w):
    with pytest.raises(AccessDenied):
        duty_report.collect(db, actor(db, "bt-office"), w.js_dept, 2026, TODAY)
    with pytest.raises(AccessDenied):
        duty_report.collect(db, actor(db, "js-office"), w.base.a, 2026, TODAY)
    drafted = duty_report.collect(db, actor(db, "zz-office"), w.js_dept, 2026, TODAY)
    assert [t.id for t in drafted["lead"]] == [w.js_task]


def test_an_upper_office_does_not_ask_a_lower_places_meeting_for_updates(db, w):
    meeting = db.conn.execute("INSERT INTO meetings (kind, title, date, jurisdiction_id) "
                              "VALUES ('联席会议', '金水区联席会议', '2026-12-10', ?)", [w.js]).lastrowid
    with pytest.raises(AccessDenied, match="下级地区"):
        update_requests.send_update_requests(db, TODAY, actor(db, "zz-office"), meeting_id=meeting)
    assert update_requests.send_update_requests(db, TODAY, actor(db, "js-office"), meeting_id=meeting) == []


# ---- the reminder job's copies to the office

def test_each_office_account_gets_the_copy_of_reminders_about_its_places_tasks_only(db, w):
    on_day = next(r for r in reminder_rules.list_rules(db, SYSTEM) if r.kind == "on_day")
    reminder_rules.save_rule(db, SYSTEM, "on_day", 0, rule_id=on_day.id, copy_office=True, channels=("inapp",))
    # shared, recurring, group_task (郑州), js_task (金水区), only_c (包头) fall due; only_b (郑州) is overdue,
    # chased weekly with the office in copy
    due_day = dt.date(2026, 12, 31)
    messages = digest.decide_messages(db, due_day, channels={"inapp"}, dry_run=True)
    copies = {m.user_id: {i["task_id"] for i in m.items} for m in messages if m.kind == OFFICE}

    def copy(name):
        return copies.get(actor(db, name).user_id, set())

    assert copy("bt-office") == {w.base.only_c}
    assert copy("js-office") == {w.js_task}
    assert copy("zz-office") == zz_own(w) | {w.js_task}
    assert copy("bangong") == copy("zz-office") | {w.base.only_c}
    assert copy("eq-office") == set()
