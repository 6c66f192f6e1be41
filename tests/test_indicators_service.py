"""Indicators as the office and the departments use them: listing, reporting, correcting, demo data, the CLI."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db import connect
from duban.access import SYSTEM, Actor
from duban.demo import indicators as demo_indicators
from duban.errors import AccessDenied, InputError, NotFound
from duban.services import indicator_actuals, indicator_corrections, users
from duban.services import indicators as ind

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path("/work/shared/gold")
TODAY = dt.date(2026, 11, 22)
PASSWORD = "Duban-2026-ok"


def _department(db, jurisdiction_id: int, name: str) -> int:
    row = db.conn.execute("SELECT id FROM departments WHERE jurisdiction_id=? AND name=?",
                          [jurisdiction_id, name]).fetchone()
    if row:
        return row[0]
    return db.conn.execute("INSERT INTO departments (name, jurisdiction_id) VALUES (?,?)",
                           [name, jurisdiction_id]).lastrowid


def add_plan(db, jurisdiction: str, indicators: list[dict], title: str | None = None,
             period=("2021-01-01", "2025-12-31")) -> int:
    """Store a plan and its indicators the way the importer does (the gold extraction format)."""
    row = db.conn.execute("SELECT id FROM jurisdictions WHERE name=?", [jurisdiction]).fetchone()
    jid = row[0] if row else db.conn.execute("INSERT INTO jurisdictions (name) VALUES (?)", [jurisdiction]).lastrowid
    plan_id = db.conn.execute(
        "INSERT INTO plans (jurisdiction_id, title, period_start, period_end, source_name, source_hash) "
        "VALUES (?,?,?,?,?,?)", [jid, title, period[0], period[1], f"{jurisdiction}.txt", f"{jurisdiction}-{title}"],
    ).lastrowid
    for pos, i in enumerate(indicators):
        iid = db.conn.execute(
            "INSERT INTO indicators (plan_id, table_name, category, number, name, measure_unit, baseline, "
            "baseline_year, target, target_year, comparison, nature, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [plan_id, i.get("table"), i.get("category"), i.get("number"), i["name"], i.get("measure_unit"),
             i.get("baseline"), i.get("baseline_year"), i.get("target"), i.get("target_year"),
             i.get("comparison"), i.get("nature"), pos]).lastrowid
        for n, unit in enumerate(i.get("responsible") or []):
            db.conn.execute("INSERT INTO indicator_units (indicator_id, department_id, position) VALUES (?,?,?)",
                            [iid, _department(db, jid, unit), n])
    return plan_id


def build_gold_db(db, demo: bool = True) -> dict[str, int]:
    """The five seed plans' indicators (from the gold labels), demo accounts, and with demo the demo actuals."""
    plans = {}
    for path in sorted(GOLD.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        plans[g["jurisdiction"]] = add_plan(db, g["jurisdiction"], g["indicators"], g["title"],
                                            (g["period"]["start"], g["period"]["end"]))
    wuxi = db.conn.execute("SELECT id FROM jurisdictions WHERE name='巫溪县'").fetchone()[0]
    zz = db.conn.execute("SELECT id FROM jurisdictions WHERE name='郑州市'").fetchone()[0]
    users.create_user(db, None, "bangong", PASSWORD, "office")
    office = users.authenticate(db, "bangong", PASSWORD)
    users.create_user(db, office, "lingdao", PASSWORD, "leader")
    users.create_user(db, office, "wx-minzheng", PASSWORD, "liaison", [_department(db, wuxi, "县民政局")])
    users.create_user(db, office, "wx-weijian", PASSWORD, "liaison", [_department(db, wuxi, "县卫生健康委")])
    users.create_user(db, office, "zz-minzheng", PASSWORD, "liaison", [_department(db, zz, "市民政局")])
    db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('initialised', '1')")
    if demo:
        demo_indicators.seed(db, TODAY)
        db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', '1')")
    return plans


def _template(tmp_path_factory, demo: bool) -> Path:
    path = tmp_path_factory.mktemp("indicators") / "template.db"
    database = connect(path)
    build_gold_db(database, demo=demo)
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()
    return path


@pytest.fixture(scope="session")
def gold_template(tmp_path_factory):
    """The seed plans' indicators and accounts, built once per run (password hashing is slow on purpose)."""
    return _template(tmp_path_factory, demo=False)


@pytest.fixture(scope="session")
def gold_demo_template(tmp_path_factory):
    return _template(tmp_path_factory, demo=True)


def _copy(template: Path, db_path: Path):
    shutil.copy(template, db_path)
    return connect(db_path)


@pytest.fixture
def gold(gold_template, db_path):
    """A fresh copy: the seed plans' indicators with accounts and no actuals yet."""
    database = _copy(gold_template, db_path)
    yield database
    database.conn.close()


@pytest.fixture
def gold_demo(gold_demo_template, db_path):
    """A fresh copy with the demo actuals added."""
    database = _copy(gold_demo_template, db_path)
    yield database
    database.conn.close()


def actor(db, username: str) -> Actor:
    row = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()
    return users.actor_for(db, row[0])


def indicator_id(db, jurisdiction: str, name: str, table: bool = True) -> int:
    row = db.conn.execute(
        "SELECT i.id FROM indicators i JOIN plans p ON p.id=i.plan_id JOIN jurisdictions j ON j.id=p.jurisdiction_id "
        f"WHERE j.name=? AND i.name=? AND i.table_name IS {'NOT ' if table else ''}NULL", [jurisdiction, name]).fetchone()
    return row[0]


def count_actuals(db) -> int:
    return db.conn.execute("SELECT count(*) FROM indicator_actuals").fetchone()[0]


def test_indicators_are_listed_with_values_as_written(gold):
    rows = ind.list_indicators(gold, actor(gold, "bangong"), TODAY)
    assert len(rows) == sum(len(json.loads(p.read_text(encoding="utf-8"))["indicators"]) for p in GOLD.glob("*.json"))
    by_name = {(r["jurisdiction"], r["name"], r["table"] is not None): r for r in rows}
    nursing = by_name[("随州市", "护理型养老床位占比", True)]
    assert (nursing["baseline"], nursing["baseline_year"], nursing["target"], nursing["target_year"]) == \
        ("45.5%", 2020, "60%", 2025)
    assert nursing["measure_unit"] == "%"
    assert by_name[("郑州市", "基本养老保险参保率", True)]["target"] == "应保尽保"
    assert by_name[("郑州市", "基本养老保险参保率", True)]["baseline"] is None  # —— in the table
    assert all(r["light"] == "灰" and r["state"] == "待填报" for r in rows)


def test_filters_narrow_the_list(gold):
    office = actor(gold, "bangong")
    binding = ind.list_indicators(gold, office, TODAY, nature="约束性")
    assert binding and {r["nature"] for r in binding} == {"约束性"}
    childcare = ind.list_indicators(gold, office, TODAY, category="托育")
    assert childcare and {r["category"] for r in childcare} == {"托育"}
    health = gold.conn.execute("SELECT id FROM departments WHERE name='县卫生健康委'").fetchone()[0]
    by_unit = ind.list_indicators(gold, office, TODAY, department_id=health)
    assert by_unit and all("县卫生健康委" in r["units"] for r in by_unit)
    unmarked = ind.list_indicators(gold, office, TODAY, nature="未标注")
    assert unmarked and all(r["nature"] is None for r in unmarked)
    with pytest.raises(InputError):
        ind.list_indicators(gold, office, TODAY, course="sideways")


def test_liaison_reports_its_departments_indicator(gold):
    liaison = actor(gold, "wx-minzheng")
    iid = indicator_id(gold, "巫溪县", "护理型养老床位占比")  # 40 (2021) -> ≥60 (2025), 县民政局, 约束性
    indicator_actuals.report_actual(gold, liaison, iid, 2023, "45", "2023年民政统计年报", today=TODAY)
    item = ind.get_indicator(gold, liaison, iid, TODAY)
    assert (item["latest_actual"], item["latest_year"], item["light"], item["state"]) == ("45", 2023, "红", "进度滞后")
    assert item["history"][0]["department_name"] == "县民政局"
    assert item["history"][0]["source_note"] == "2023年民政统计年报"
    log = indicator_corrections.corrections(gold, actor(gold, "bangong"), iid)
    assert log[-1]["action"] == "填报指标实际值" and log[-1]["username"] == "wx-minzheng"


def test_liaison_cannot_report_another_departments_indicator(gold):
    liaison = actor(gold, "wx-minzheng")
    health_owned = indicator_id(gold, "巫溪县", "人均预期寿命")  # 县卫生健康委
    with pytest.raises(AccessDenied, match="本部门"):
        indicator_actuals.report_actual(gold, liaison, health_owned, 2024, "78", None, today=TODAY)
    no_units = indicator_id(gold, "巫溪县", "护理型养老床位占比", table=False)  # running text, no units
    with pytest.raises(AccessDenied, match="办公室"):
        indicator_actuals.report_actual(gold, liaison, no_units, 2024, "50%", None, today=TODAY)
    other_place = indicator_id(gold, "郑州市", "养老机构护理型养老床位占比")
    with pytest.raises(NotFound):
        indicator_actuals.report_actual(gold, liaison, other_place, 2024, "50%", None, today=TODAY)
    with pytest.raises(NotFound):
        ind.get_indicator(gold, liaison, other_place, TODAY)
    assert count_actuals(gold) == 0
    # what the liaison sees: its own jurisdiction's indicators, reportable only where its department answers
    rows = ind.list_indicators(gold, liaison, TODAY)
    assert {r["jurisdiction"] for r in rows} == {"巫溪县"}
    assert {r["can_report"] for r in rows if "县民政局" in r["units"]} == {True}
    assert {r["can_report"] for r in rows if "县民政局" not in r["units"]} == {False}


def test_office_reports_indicators_without_responsible_units(gold):
    iid = indicator_id(gold, "郑州市", "基本养老保险参保率")
    indicator_actuals.report_actual(gold, actor(gold, "bangong"), iid, 2025, "应保尽保", "市人社局", today=TODAY)
    row = ind.get_indicator(gold, SYSTEM, iid, TODAY)
    assert (row["state"], row["light"]) == ("已达标", "绿")


def test_leader_reads_everything_but_cannot_write(gold):
    leader = actor(gold, "lingdao")
    assert len(ind.list_indicators(gold, leader, TODAY)) > 100
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    with pytest.raises(AccessDenied):
        indicator_actuals.report_actual(gold, leader, iid, 2024, "55%", None, today=TODAY)
    with pytest.raises(AccessDenied):
        indicator_corrections.correct_indicator(gold, leader, iid, target="65%")
    assert count_actuals(gold) == 0
    assert ind.get_indicator(gold, leader, iid, TODAY)["can_report"] is False


@pytest.mark.parametrize("year, value, message", [
    (2027, "55%", "尚未到来"),
    (1800, "55%", "年份"),
    (2024, "", "请填写实际值"),
    (2024, "——", "请填写实际值"),
    (2024, "已实现", "数值"),
    (2024, "3所", "单位"),
    (2024, "5" * 50, "过长"),
    (2024, "-5%", "负数"),
    (2024, "-5", "负数"),
    (2024, "150%", "不能超过 100%"),
    (2024, "150", "不能超过 100%"),
    (2024, "1500‰", "不能超过 100%"),
    (2024, "100.5%", "不能超过 100%"),
])
def test_bad_reports_are_refused_with_a_reason_and_nothing_stored(gold, year, value, message):
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    with pytest.raises(InputError, match=message):
        indicator_actuals.report_actual(gold, actor(gold, "bangong"), iid, year, value, None, today=TODAY)
    assert count_actuals(gold) == 0


def test_a_negative_count_is_refused_and_a_full_percentage_is_accepted(gold):
    office = actor(gold, "bangong")
    with pytest.raises(InputError, match="负数"):
        indicator_actuals.report_actual(gold, office, indicator_id(gold, "随州市", "养老产业规模及增加值"), 2024, "-3.5亿", None,
                          today=TODAY)
    assert count_actuals(gold) == 0
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    indicator_actuals.report_actual(gold, office, iid, 2024, "100%", None, today=TODAY)
    indicator_actuals.report_actual(gold, office, iid, 2025, "0", None, today=TODAY)
    assert count_actuals(gold) == 2


def test_a_bare_number_is_stored_with_the_indicators_unit(gold):
    iid = indicator_id(gold, "随州市", "养老产业规模及增加值")  # 23.3亿 -> 40亿
    indicator_actuals.report_actual(gold, actor(gold, "bangong"), iid, 2024, "38.5", None, today=TODAY)
    assert ind.get_indicator(gold, SYSTEM, iid, TODAY)["latest_actual"] == "38.5亿"


def test_history_is_append_only(gold):
    import sqlite3

    office = actor(gold, "bangong")
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")  # 45.5% (2020) -> 60% (2025)
    indicator_actuals.report_actual(gold, office, iid, 2023, "52%", "初报", today=TODAY)
    indicator_actuals.report_actual(gold, office, iid, 2023, "55%", "更正:统计口径调整", today=TODAY)
    indicator_actuals.report_actual(gold, office, iid, 2022, "50%", None, today=TODAY)
    item = ind.get_indicator(gold, office, iid, TODAY)
    assert [(h["year"], h["value"], h["superseded"]) for h in item["history"]] == \
        [(2022, "50%", False), (2023, "52%", True), (2023, "55%", False)]
    assert (item["latest_actual"], item["state"]) == ("55%", "正常推进")  # the correction counts
    assert [p[0] for p in item["series"]["actuals"]] == [2022, 2023]
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        gold.conn.execute("UPDATE indicator_actuals SET value='60%'")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        gold.conn.execute("DELETE FROM indicator_actuals")
    assert count_actuals(gold) == 3
    # removing a whole plan still takes its indicators' history with it
    gold.conn.execute("DELETE FROM plans WHERE id=(SELECT plan_id FROM indicators WHERE id=?)", [iid])
    assert count_actuals(gold) == 0


def test_actuals_reported_for_a_later_year_are_ignored_when_looking_back(gold):
    office = actor(gold, "bangong")
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    indicator_actuals.report_actual(gold, office, iid, 2022, "52%", None, today=TODAY)  # 2022 expects 51.3%
    indicator_actuals.report_actual(gold, office, iid, 2025, "61%", None, today=TODAY)
    assert ind.get_indicator(gold, office, iid, TODAY)["state"] == "已达标"
    then = ind.get_indicator(gold, office, iid, dt.date(2023, 3, 1))
    assert (then["latest_year"], then["state"]) == (2022, "正常推进")


def test_office_corrects_an_indicator_and_the_audit_keeps_before_and_after(gold):
    office = actor(gold, "bangong")
    iid = indicator_id(gold, "巫溪县", "护理型养老床位占比", table=False)
    health = gold.conn.execute("SELECT id FROM departments WHERE name='县卫生健康委'").fetchone()[0]
    minzheng = gold.conn.execute("SELECT id FROM departments WHERE name='县民政局'").fetchone()[0]
    changed = indicator_corrections.correct_indicator(gold, office, iid, target="≥60%", baseline="40%", baseline_year="2021",
                                    nature="约束性", unit_ids=[minzheng], name="护理型养老床位占比")
    assert changed == {"target": "≥60%", "baseline": "40%", "baseline_year": 2021, "nature": "约束性",
                       "unit_ids": [minzheng]}
    entry = indicator_corrections.corrections(gold, office, iid)[-1]
    detail = json.loads(entry["detail"])
    assert entry["action"] == "修正指标"
    assert detail["before"] == {"target": "60%", "baseline": None, "baseline_year": None, "nature": None,
                                "unit_ids": []}
    assert detail["after"]["target"] == "≥60%"
    # now the department answers for it and may report it
    indicator_actuals.report_actual(gold, actor(gold, "wx-minzheng"), iid, 2023, "45%", None, today=TODAY)
    assert ind.get_indicator(gold, office, iid, TODAY)["light"] == "红"  # binding, behind 50% expected in 2023
    # the same values again change nothing and log nothing
    assert indicator_corrections.correct_indicator(gold, office, iid, target="≥60%", unit_ids=[minzheng]) == {}
    assert indicator_corrections.corrections(gold, office, iid)[-1]["action"] == "填报指标实际值"
    with pytest.raises(InputError, match="本规划所属地区"):
        other = gold.conn.execute("SELECT id FROM departments WHERE name='市民政局'").fetchone()[0]
        indicator_corrections.correct_indicator(gold, office, iid, unit_ids=[health, other])


@pytest.mark.parametrize("fields, message", [
    ({"nature": "强制性"}, "指标性质"),
    ({"category": "老年教育、托育服务与医养结合统筹推进类重点指标"}, "类别过长"),
    ({"name": "  "}, "名称"),
    ({"target_year": "二〇二五"}, "年份"),
    ({"baseline_year": 2030}, "不能晚于"),
    ({"plan_id": 3}, "不能修改"),
])
def test_bad_corrections_are_refused_and_nothing_changes(gold, fields, message):
    office = actor(gold, "bangong")
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    before = gold.conn.execute("SELECT * FROM indicators WHERE id=?", [iid]).fetchone()
    with pytest.raises(InputError, match=message):
        indicator_corrections.correct_indicator(gold, office, iid, target="70%", **fields)
    assert tuple(gold.conn.execute("SELECT * FROM indicators WHERE id=?", [iid]).fetchone()) == tuple(before)


def test_the_office_may_name_any_category_and_the_filter_offers_it(gold):
    office = actor(gold, "bangong")
    iid = indicator_id(gold, "随州市", "护理型养老床位占比")
    assert indicator_corrections.correct_indicator(gold, office, iid, category=" 医养结合 ") == {"category": "医养结合"}
    assert "医养结合" in ind.filter_options(gold, office)["categories"]
    assert [r["id"] for r in ind.list_indicators(gold, office, TODAY, category="医养结合")] == [iid]


def test_liaison_cannot_correct(gold):
    iid = indicator_id(gold, "巫溪县", "护理型养老床位占比")
    with pytest.raises(AccessDenied):
        indicator_corrections.correct_indicator(gold, actor(gold, "wx-minzheng"), iid, target="≥50")


def test_off_course_lists_binding_red_first_with_what_the_overview_needs(gold):
    office = actor(gold, "bangong")
    binding = indicator_id(gold, "巫溪县", "护理型养老床位占比")  # 约束性 40 -> ≥60
    expected = indicator_id(gold, "巫溪县", "人均预期寿命")  # 预期性 77.12 -> 79.3
    fine = indicator_id(gold, "巫溪县", "养老护理专业人才数")  # 预期性 100 -> 300
    indicator_actuals.report_actual(gold, office, expected, 2024, "77.5", None, today=TODAY)
    indicator_actuals.report_actual(gold, office, binding, 2024, "48", None, today=TODAY)
    indicator_actuals.report_actual(gold, office, fine, 2024, "260", None, today=TODAY)
    rows = ind.off_course(gold, office, TODAY)
    assert [r["id"] for r in rows] == [binding, expected]
    first = rows[0]
    assert {"name", "plan", "jurisdiction", "category", "baseline", "target", "target_year", "latest_actual",
            "nature", "light"} <= set(first)
    assert (first["name"], first["jurisdiction"], first["light"], first["latest_actual"], first["expected"]) == \
        ("护理型养老床位占比", "巫溪县", "红", "48", "55")
    assert rows[1]["light"] == "黄"
    wuxi = first["plan_id"]
    assert ind.off_course(gold, office, TODAY, plan_id=wuxi + 1) == []
    assert len(ind.off_course(gold, office, TODAY, plan_id=wuxi)) == 2


def test_demo_actuals_are_deterministic_and_mixed(gold_demo, tmp_path, gold_template):
    db = gold_demo
    other = _copy(gold_template, tmp_path / "other.db")
    assert demo_indicators.seed(other, TODAY) > 100
    values = "SELECT indicator_id, year, value FROM indicator_actuals ORDER BY id"
    assert db.conn.execute(values).fetchall() == other.conn.execute(values).fetchall()
    other.conn.close()
    assert demo_indicators.seed(db, TODAY) == 0  # a second run adds nothing
    rows = ind.list_indicators(db, SYSTEM, TODAY)
    counts = ind.summary(rows)
    assert counts["红"] >= 1 and counts["黄"] >= 5 and counts["绿"] >= 20 and counts["灰"] >= 1
    assert any(r["nature"] == "约束性" and r["light"] == "绿" for r in rows)
    # looking back from 2023, the straight-line judgement shows both sides of the path
    states = {r["state"] for r in ind.list_indicators(db, SYSTEM, dt.date(2023, 6, 1))}
    assert {"正常推进", "进度滞后"} <= states
    assert db.conn.execute("SELECT count(*) FROM indicator_actuals WHERE is_demo=0").fetchone()[0] == 0


def test_seeded_demo_database_carries_indicator_actuals(demo_db):
    rows = ind.list_indicators(demo_db, SYSTEM, TODAY)
    assert rows and ind.off_course(demo_db, SYSTEM, TODAY)
    assert ind.summary(rows)["绿"] > 0


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duban", "indicators", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_cli_prints_a_chinese_table(gold_demo, db_path):
    out = run_cli("--db", str(db_path), "--today", "2026-11-22")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split()[:4] == ["灯", "地区", "类别", "指标"]
    assert any("护理型养老床位占比" in line and "45.5%(2020)" in line for line in lines)
    assert "共 " in lines[-1] and "红 " in lines[-1]



def cli_lines(capsys, *args: str) -> list[str]:
    from duban.cli import main

    assert main(["indicators", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_cli_filters_off_course_and_by_plan(gold_demo, db_path, capsys):
    body = cli_lines(capsys, "--db", str(db_path), "--today", "2026-11-22", "--off-course")[1:-1]
    assert body and body[0].startswith("红") and all(line[0] in "红黄" for line in body)
    plan = gold_demo.conn.execute("SELECT id FROM plans p WHERE title LIKE '巫溪县%'").fetchone()[0]
    lines = cli_lines(capsys, "--db", str(db_path), "--today", "2026-11-22", "--plan", str(plan))
    assert {line.split()[1] for line in lines[1:-1]} == {"巫溪县"}
    assert cli_lines(capsys, "--db", str(db_path), "--today", "2026-11-22", "--plan", "999") == ["没有找到指标。"]


def test_cli_rejects_a_bad_date_in_chinese(db, db_path):
    out = run_cli("--db", str(db_path), "--today", "2026-13-40")
    assert out.returncode == 2
    assert "日期格式不正确" in out.stderr and "Traceback" not in out.stderr
