"""The 指标 page as the office, a department liaison and a leader use it."""
from __future__ import annotations

import pytest

from duban.services import indicator_actuals, indicator_corrections
from duban.services import indicators as ind
from tests import test_indicators_service as data
from tests.support import app_as
from tests.test_indicators_service import TODAY, actor, indicator_id

# the seed plans' indicators, built once per run and copied for each test
gold_template, gold_demo_template = data.gold_template, data.gold_demo_template
gold, gold_demo = data.gold, data.gold_demo

PAGE = "pages/indicators.py"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())


@pytest.fixture
def reported(gold):
    """巫溪's binding 护理型养老床位占比 behind its path (红) and an expected indicator behind (黄)."""
    office = actor(gold, "bangong")
    indicator_actuals.report_actual(gold, office, indicator_id(gold, "巫溪县", "护理型养老床位占比"), 2023, "45", "年报", TODAY)
    indicator_actuals.report_actual(gold, office, indicator_id(gold, "巫溪县", "人均预期寿命"), 2023, "77.3", "年报", TODAY)
    indicator_actuals.report_actual(gold, office, indicator_id(gold, "巫溪县", "养老护理专业人才数"), 2023, "260", None, TODAY)
    return gold


def table(at):
    assert not at.exception
    frames = [d for d in at.dataframe if "灯" in d.value.columns]
    assert len(frames) == 1
    return frames[0].value


def row_of(df, name, nature):
    found = df[(df["指标"] == name) & (df["性质"] == nature)]
    assert len(found) == 1, found
    return found.iloc[0]


def test_binding_indicator_off_course_shows_red(reported):
    at = app_as(reported, "bangong", PAGE)
    df = table(at)
    nursing = row_of(df, "护理型养老床位占比", "约束性")
    assert nursing["灯"].endswith("红灯")
    assert (nursing["状态"], nursing["最新实际值"], nursing["应达值"]) == ("进度滞后", "45(2023年)", "50")
    assert row_of(df, "人均预期寿命", "预期性")["灯"].endswith("黄灯")
    assert row_of(df, "养老护理专业人才数", "预期性")["灯"].endswith("绿灯")
    assert df.iloc[0]["灯"].endswith("红灯")  # red first
    metrics = {m.label: m.value for m in at.metric}
    assert any("红灯" in label and value == "1" for label, value in metrics.items())
    assert len(at.get("plotly_chart")) == 2  # progress bars and the path of the selected indicator


def test_filters_by_nature_and_course(reported):
    at = app_as(reported, "lingdao", PAGE)
    at.selectbox(key="ind_nature").set_value("约束性").run()
    df = table(at)
    assert set(df["性质"]) == {"约束性"}
    at.selectbox(key="ind_course").set_value("off").run()
    df = table(at)
    assert list(df["指标"]) == ["护理型养老床位占比"]
    at.selectbox(key="ind_nature").set_value("全部").run()
    at.selectbox(key="ind_category").set_value("托育").run()
    assert not at.exception
    assert any("没有符合条件的指标" in i.value for i in at.info)


def test_filter_by_plan_and_responsible_unit(reported):
    at = app_as(reported, "bangong", PAGE)
    plans = ind.filter_options(reported, actor(reported, "bangong"))
    suizhou = next(p["id"] for p in plans["plans"] if "随州" in p["label"])
    at.selectbox(key="ind_plan").set_value(suizhou).run()
    assert set(table(at)["地区"]) == {"随州市"}
    at.selectbox(key="ind_plan").set_value(None).run()
    health = next(u["id"] for u in plans["units"] if "县卫生健康委" in u["label"])
    at.selectbox(key="ind_unit").set_value(health).run()
    assert set(table(at)["责任单位"]) == {"县卫生健康委"}


def test_liaison_reports_an_actual_through_the_form(reported):
    iid = indicator_id(reported, "巫溪县", "示范性老年友好社区")  # 县民政局, 5 (2021) -> 15 (2025)
    at = app_as(reported, "wx-minzheng", PAGE)
    assert set(table(at)["地区"]) == {"巫溪县"}
    at.selectbox(key="ind_pick").set_value(iid).run()
    at.number_input(key="ind_rep_year").set_value(2024)
    at.text_input(key="ind_rep_value").input("13")
    at.text_input(key="ind_rep_note").input("2024年民政统计年报")
    at.button(key="ind_rep_submit").click().run()
    assert not at.exception
    assert any("已填报 2024 年实际值" in s.value for s in at.success)
    item = ind.get_indicator(reported, actor(reported, "bangong"), iid, TODAY)
    assert (item["latest_actual"], item["latest_year"], item["state"]) == ("13", 2024, "正常推进")  # 2024 expects 12.5
    assert item["history"][-1]["username"] == "wx-minzheng"


def test_bad_value_is_refused_on_the_page_and_nothing_stored(reported):
    iid = indicator_id(reported, "巫溪县", "示范性老年友好社区")
    at = app_as(reported, "wx-minzheng", PAGE)
    at.selectbox(key="ind_pick").set_value(iid).run()
    at.text_input(key="ind_rep_value").input("差不多完成")
    at.button(key="ind_rep_submit").click().run()
    assert not at.exception
    assert any("请填写数值" in e.value for e in at.error)
    assert ind.get_indicator(reported, actor(reported, "bangong"), iid, TODAY)["history"] == []


def test_liaison_sees_no_form_for_another_departments_indicator(reported):
    iid = indicator_id(reported, "巫溪县", "人均预期寿命")  # 县卫生健康委
    at = app_as(reported, "wx-minzheng", PAGE)
    at.selectbox(key="ind_pick").set_value(iid).run()
    assert not at.exception
    assert not [w for w in at.text_input if w.key == "ind_rep_value"]
    assert any("责任单位填报" in c.value for c in at.caption)


def test_leader_reads_without_forms(reported):
    at = app_as(reported, "lingdao", PAGE)
    assert not at.exception
    assert not [w for w in at.text_input if (w.key or "").startswith(("ind_rep_", "ind_fix_"))]
    assert any("只读" in c.value for c in at.caption)


def test_office_corrects_the_target_through_the_form(reported):
    iid = indicator_id(reported, "巫溪县", "护理型养老床位占比")
    at = app_as(reported, "bangong", PAGE)
    at.selectbox(key="ind_pick").set_value(iid).run()
    at.text_input(key=f"ind_fix_target_{iid}").input("≥55")
    at.button(key=f"ind_fix_submit_{iid}").click().run()
    assert not at.exception
    assert any("已修正:目标值" in s.value for s in at.success)
    # 45 in 2023 against 40 -> 55 expects 47.5: still behind, still red
    assert row_of(table(at), "护理型养老床位占比", "约束性")["目标值"] == "≥55(2025年)"
    entry = indicator_corrections.corrections(reported, actor(reported, "bangong"), iid)[-1]
    assert entry["action"] == "修正指标" and "≥60" in entry["detail"]


def test_demo_page_shows_lights_of_every_colour(gold_demo):
    at = app_as(gold_demo, "bangong", PAGE)
    lights = {v.lstrip("●○ ")[0] for v in table(at)["灯"]}
    assert lights == {"红", "黄", "绿", "灰"}


@pytest.mark.browser
def test_browser_liaison_sees_red_and_reports_a_value(gold_demo, db_path):
    from playwright.sync_api import expect

    from tests.support import browser_page, login_in_browser, running_app

    with running_app(db_path, env={"DUBAN_TODAY": TODAY.isoformat()}) as url, browser_page() as page:
        login_in_browser(page, url, "wx-minzheng", data.PASSWORD)
        page.get_by_role("link", name="指标").click()
        expect(page.get_by_text("指标详情", exact=True)).to_be_visible()
        expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(2, timeout=30_000)
        # the liaison's first indicator is a binding one of its own department that missed its target
        expect(page.get_by_role("listitem").filter(has_text="灯色")).to_contain_text("红灯")
        expect(page.get_by_role("listitem").filter(has_text="类别 / 性质")).to_contain_text("约束性")
        page.get_by_label("实际值(单位:%)").fill("96.5")
        page.get_by_label("数据来源").fill("2025年民政统计年报")
        page.get_by_role("button", name="提交实际值").click()
        expect(page.get_by_text("已填报 2025 年实际值。")).to_be_visible()
        expect(page.get_by_role("listitem").filter(has_text="最新实际")).to_contain_text("96.5%(2025年)")
    rows = gold_demo.conn.execute("SELECT value, source_note FROM indicator_actuals WHERE is_demo=0").fetchall()
    assert [tuple(r) for r in rows] == [("96.5%", "2025年民政统计年报")]


def test_picked_indicator_outside_a_new_filter_falls_back_to_the_first_row(reported):
    iid = indicator_id(reported, "巫溪县", "人均预期寿命")
    at = app_as(reported, "bangong", PAGE)
    at.selectbox(key="ind_pick").set_value(iid).run()
    plans = ind.filter_options(reported, actor(reported, "bangong"))["plans"]
    at.selectbox(key="ind_plan").set_value(next(p["id"] for p in plans if "郑州" in p["label"])).run()
    assert not at.exception
    assert "郑州市" in at.selectbox(key="ind_pick").format_func(at.selectbox(key="ind_pick").value)
