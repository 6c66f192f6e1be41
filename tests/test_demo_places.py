"""The demo's places: each seed city is its own office, and 郑州市's two districts received tasks from it,
broke them down and reported, so the city's roll-up shows one district done and one behind."""
from __future__ import annotations

import json

import pytest

from duban import demo
from duban.errors import AccessDenied
from duban.services import dispatch, meetings, places, tasks, users
from tests.conftest import DEMO_TODAY

CITIES = {"zz": "郑州市", "qz": "钦州市", "sz": "随州市", "wx": "巫溪县", "bt": "包头市"}
DISPATCHED = "推动养老托育市场提质扩容"


def actor(db, username):
    row = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()
    assert row, username
    return users.actor_for(db, row[0])


def place_id(db, name):
    return db.conn.execute("SELECT id FROM jurisdictions WHERE name=?", [name]).fetchone()[0]


def parent_task(db):
    return db.conn.execute("SELECT t.id FROM tasks t JOIN plans p ON p.id=t.plan_id JOIN jurisdictions j "
                           "ON j.id=p.jurisdiction_id WHERE j.name='郑州市' AND t.title=?", [DISPATCHED]).fetchone()[0]


def live_tasks_of(db, place):
    return {r[0] for r in db.conn.execute("SELECT id FROM tasks WHERE removed=0 AND jurisdiction_id=?",
                                          [place_id(db, place)])}


def given(db, place):
    """The tasks of a place given to it from above (id -> the upper task) and those it broke them into."""
    rows = db.conn.execute("SELECT id, parent_task_id, dispatch_state FROM tasks WHERE removed=0 AND jurisdiction_id=? "
                           "AND parent_task_id IS NOT NULL", [place_id(db, place)]).fetchall()
    received = {r["id"]: r["parent_task_id"] for r in rows if r["dispatch_state"] is not None}
    parts = {r["id"] for r in rows if r["parent_task_id"] in received}
    return received, parts


def test_the_places_tree_has_the_cities_under_provinces_and_two_districts_under_zhengzhou(demo_db):
    rows = {r["name"]: r for r in places.tree(demo_db)}
    assert rows["郑州市"]["parent_id"] == rows["河南省"]["id"] and rows["包头市"]["parent_id"] == rows["内蒙古自治区"]["id"]
    assert {r["name"] for r in places.children(demo_db, rows["郑州市"]["id"])} == {"金水区", "二七区"}
    assert rows["金水区"]["level"] == "county" and rows["郑州市"]["level"] == "city"
    assert all(places.children(demo_db, rows[c]["id"]) == [] for c in ("钦州市", "随州市", "巫溪县", "包头市"))


def test_the_accounts_file_gives_every_city_an_office_and_a_leader_with_its_place(demo_db):
    spec = json.loads(demo.ACCOUNTS_FILE.read_text(encoding="utf-8"))
    placed = {a["username"]: a["place"] for a in spec["accounts"] if a.get("place")}
    for prefix, city in CITIES.items():
        assert placed[f"{prefix}-bangong"] == city and placed[f"{prefix}-lingdao"] == city
        assert actor(demo_db, f"{prefix}-bangong").place_id == place_id(demo_db, city)
    assert placed["js-bangong"] == "金水区" and placed["eq-bangong"] == "二七区"
    # the whole-database office and leader stay as they were; the system administrator sees no plan
    assert actor(demo_db, "bangong").places is None and actor(demo_db, "lingdao").places is None
    assert tasks.list_tasks(demo_db, actor(demo_db, "xitong"), DEMO_TODAY) == []


@pytest.mark.parametrize("prefix", ["qz", "sz", "wx", "bt"])
def test_each_city_office_sees_only_its_own_plan(demo_db, prefix):
    city = CITIES[prefix]
    for username in (f"{prefix}-bangong", f"{prefix}-lingdao"):
        rows = tasks.list_tasks(demo_db, actor(demo_db, username), DEMO_TODAY)
        assert {r.id for r in rows} == live_tasks_of(demo_db, city), username
        assert rows and {r.jurisdiction for r in rows} == {city}
    plan = demo_db.conn.execute("SELECT p.id FROM plans p JOIN jurisdictions j ON j.id=p.jurisdiction_id "
                                "WHERE j.name=?", [city]).fetchone()[0]
    plan_tasks = {r[0] for r in demo_db.conn.execute("SELECT id FROM tasks WHERE plan_id=? AND removed=0", [plan])}
    assert plan_tasks <= live_tasks_of(demo_db, city)
    # another city's task is refused, not just left out of the list
    other = next(iter(live_tasks_of(demo_db, "郑州市")))
    with pytest.raises(AccessDenied):
        tasks.get_task(demo_db, actor(demo_db, f"{prefix}-bangong"), other, DEMO_TODAY)


def test_zhengzhou_sees_its_own_tasks_and_its_districts_but_changes_only_its_own(demo_db):
    office = actor(demo_db, "zz-bangong")
    rows = tasks.list_tasks(demo_db, office, DEMO_TODAY)
    expected = live_tasks_of(demo_db, "郑州市") | live_tasks_of(demo_db, "金水区") | live_tasks_of(demo_db, "二七区")
    assert {r.id for r in rows} == expected
    assert {r.jurisdiction for r in rows} == {"郑州市", "金水区", "二七区"}
    assert not {r.id for r in rows} & live_tasks_of(demo_db, "包头市")
    # a district's task reads from above but is read-only there
    received = min(given(demo_db, "金水区")[0])
    assert tasks.get_task(demo_db, office, received, DEMO_TODAY).jurisdiction == "金水区"
    assert dispatch.view(demo_db, office, received, DEMO_TODAY).read_only
    before = demo_db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    with pytest.raises(AccessDenied):
        dispatch.break_down(demo_db, office, received, "市里替区里分解", [(1, "lead")])
    assert demo_db.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == before


def test_the_district_offices_see_their_received_tasks_and_break_downs_only(demo_db):
    zz_tasks = live_tasks_of(demo_db, "郑州市")
    for username, place, sibling in (("js-bangong", "金水区", "二七区"), ("eq-bangong", "二七区", "金水区")):
        office = actor(demo_db, username)
        rows = tasks.list_tasks(demo_db, office, DEMO_TODAY)
        assert {r.id for r in rows} == live_tasks_of(demo_db, place) and {r.jurisdiction for r in rows} == {place}
        received, parts = given(demo_db, place)
        assert len(received) == 3 and set(received.values()) <= zz_tasks
        assert parts and (set(received) | parts) <= {r.id for r in rows}
        for part in parts:  # each led by the district's own departments
            assert tasks.get_task(demo_db, office, part, DEMO_TODAY).units
            assert {r[0] for r in demo_db.conn.execute(
                "SELECT d.jurisdiction_id FROM task_units u JOIN departments d ON d.id=u.department_id "
                "WHERE u.task_id=?", [part])} == {place_id(demo_db, place)}
        with pytest.raises(AccessDenied):
            tasks.get_task(demo_db, office, next(iter(live_tasks_of(demo_db, sibling))), DEMO_TODAY)
        # the city's task it came from is named, but not open to the district
        upper = dispatch.upper(demo_db, office, min(received))
        assert upper.place == "郑州市" and not upper.visible
    # 二七区 has not accepted one of them yet; 金水区 has accepted all three
    waiting = dispatch.received(demo_db, actor(demo_db, "eq-bangong"), DEMO_TODAY)
    assert [r.title for r in waiting] == ["大力发展社区智慧养老托育服务"]
    assert dispatch.received(demo_db, actor(demo_db, "js-bangong"), DEMO_TODAY) == []


def test_the_roll_up_of_a_dispatched_task_shows_one_district_done_and_one_behind(demo_db):
    office = actor(demo_db, "zz-bangong")
    rollup = {p.place: p for p in dispatch.rollup(demo_db, office, parent_task(demo_db), DEMO_TODAY)}
    assert set(rollup) == {"金水区", "二七区"}
    assert rollup["金水区"].done and rollup["金水区"].status == "已销号" and not rollup["金水区"].late
    assert not rollup["二七区"].done and rollup["二七区"].late and rollup["二七区"].light == "红"
    summary = dispatch.summary(rollup.values())
    assert (summary.done, summary.total, summary.late_places) == (1, 2, ("二七区",))
    assert summary.text.startswith("1/2 个地区已完成") and "金水区" in summary.text and "逾期:二七区" in summary.text
    # 金水区's task was closed by its own office's review of its liaison's report
    row = demo_db.conn.execute(
        "SELECT u.username, r.review_state, r.created_at FROM reports r JOIN users u ON u.id=r.reviewed_by "
        "WHERE r.task_id=? AND r.claimed_status='已完成'", [rollup["金水区"].task_id]).fetchone()
    assert row["username"] == "js-bangong" and row["review_state"] == "已采纳"
    assert row["created_at"] < DEMO_TODAY.isoformat()


def test_the_demo_meetings_are_zhengzhous(demo_db):
    assert {r[0] for r in demo_db.conn.execute("SELECT jurisdiction_id FROM meetings")} == {place_id(demo_db, "郑州市")}
    assert len(meetings.list_meetings(demo_db, actor(demo_db, "zz-bangong"))) == 2
    assert meetings.list_meetings(demo_db, actor(demo_db, "qz-bangong")) == []


def test_every_district_department_has_a_liaison_and_the_district_liaisons_answer_for_theirs(demo_db):
    missing = demo_db.conn.execute(
        "SELECT d.name FROM departments d JOIN jurisdictions j ON j.id=d.jurisdiction_id "
        "WHERE j.name IN ('金水区','二七区') AND d.liaison_email IS NULL").fetchall()
    assert missing == []
    rows = tasks.list_tasks(demo_db, actor(demo_db, "js-minzheng"), DEMO_TODAY)
    assert rows and {r.jurisdiction for r in rows} == {"金水区"}


def test_every_part_of_the_demo_loaded(demo_db):
    detail = demo_db.conn.execute("SELECT detail FROM audit_log WHERE action='初始化'").fetchone()[0]
    assert json.loads(detail)["failed_demo_parts"] == []
