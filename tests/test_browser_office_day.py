"""The office's day in a real browser: an action's result shows where the user is looking, each 退回 box belongs
to its report, and the way back from a task keeps the list's filter."""
from __future__ import annotations

import re

import pytest

from duban.services import reports
from tests.conftest import DEMO_TODAY
from tests.reports_world import PASSWORD, PDF, TODAY, actor, build
from tests.support import browser_page, login_in_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]
DEMO_PASSWORD = "duban2026"




def _world_app(db, db_path, monkeypatch):
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    return running_app(db_path)


def test_the_report_form_shows_its_result_beside_the_button(db, db_path, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    build(db)
    attachment = tmp_path / "验收单.pdf"
    attachment.write_bytes(PDF)
    with _world_app(db, db_path, monkeypatch) as url, browser_page() as page:
        login_in_browser(page, url, "zz-minzheng", PASSWORD)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="我的任务")).to_be_visible()
        main.get_by_label("进展情况").fill("本月新建社区嵌入式养老服务设施 3 处。")
        main.get_by_label("需要协调的事项").fill("用地指标")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(attachment))
        expect(page.locator('[data-testid="stFileChip"]')).to_have_count(1)
        button = main.get_by_role("button", name="提交报告")
        button.click()

        said = main.get_by_text("已提交第 1 号报告(附 1 个文件)")
        expect(said).to_be_in_viewport()  # no scrolling to the top of the page to learn what happened
        near, where = button.bounding_box(), said.bounding_box()
        assert where["x"] > near["x"] + near["width"] and abs(where["y"] - near["y"]) < 60, (near, where)
        # the form is empty for the next report, its upload box too
        expect(main.get_by_label("进展情况")).to_have_value("")
        expect(main.get_by_label("需要协调的事项")).to_have_value("")
        expect(page.locator('[data-testid="stFileChip"]')).to_have_count(0)


def test_the_return_confirm_box_stays_on_its_report(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    world = build(db)
    first = reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "全部建成", 100, "已完成", TODAY)
    second = reports.file_report(db, actor(db, "zz-weijian"), world.only_b, "医养结合推进中", 40, "推进中", TODAY)
    with _world_app(db, db_path, monkeypatch) as url, browser_page() as page:
        login_in_browser(page, url, "bangong", PASSWORD)
        page.get_by_role("link", name="审核").click()
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="审核")).to_be_visible()
        page.locator(f".st-key-reason_{first} input").fill("验收单缺少签章")
        page.locator(f".st-key-return_box_{first}").get_by_role("button", name="退回").click()
        # the box that opens is this report's own
        expect(page.get_by_text(f"将第 {first} 号报告退回")).to_be_visible()
        expect(page.get_by_text(f"将第 {second} 号报告退回")).to_be_hidden()
        page.get_by_role("button", name="确认退回").click()
        expect(page.get_by_text(f"已退回第 {first} 号报告")).to_be_visible()
        # the returned report has left the queue and no box opened on the one now in its place
        expect(page.locator(f".st-key-return_box_{first}")).to_have_count(0)
        expect(page.locator(f".st-key-return_box_{second}")).to_be_visible()
        expect(page.get_by_text(f"将第 {second} 号报告退回")).to_be_hidden()
        expect(page.get_by_role("button", name="确认退回")).to_be_hidden()
    assert [r[0] for r in db.conn.execute("SELECT review_state FROM reports ORDER BY id")] == ["已退回", "待审核"]


def _open_first_row(page) -> None:
    """Tick the first row of the task list (the row marker left of the first cell), as a user picks a task; a
    table still being drawn may miss the click, so it is clicked again until the task opens."""
    from playwright.sync_api import expect

    grid = page.locator('[data-testid="stDataFrame"]').first
    for attempt in range(3):
        expect(grid).to_be_visible()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        try:
            expect(page).to_have_url(re.compile(r"task=\d+"), timeout=15_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_back_from_a_task_to_its_filtered_list(demo_db_path):
    from playwright.sync_api import expect

    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        login_in_browser(page, url, "bangong", DEMO_PASSWORD)
        page.get_by_role("link", name="任务", exact=True).click()
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="任务", exact=True)).to_be_visible()
        every = main.get_by_text(re.compile(r"共 \d+ 项任务")).first.inner_text()
        box = main.get_by_placeholder("任务名称、原文、编号或单位名称")
        box.fill("养老")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"q=%E5%85%BB%E8%80%81|q=养老"))
        expect(main.get_by_text(every)).to_have_count(0)  # the list is the filtered one now
        count = main.get_by_text(re.compile(r"共 \d+ 项任务")).first.inner_text()

        for way_back in ("link", "browser"):
            _open_first_row(page)
            expect(page).to_have_url(re.compile(r"task=\d+"))
            expect(main.get_by_role("link", name="返回任务列表")).to_be_visible()
            if way_back == "link":
                main.get_by_role("link", name="返回任务列表").click()
            else:
                page.go_back()
            expect(main.get_by_role("heading", name="任务", exact=True)).to_be_visible()
            expect(box).to_have_value("养老")
            expect(main.get_by_text(count).first).to_be_visible()
            assert "task=" not in page.url and re.search(r"q=(%E5%85%BB%E8%80%81|养老)", page.url), (way_back, page.url)


def test_the_assessment_table_fits_1280_and_its_toolbar_speaks_chinese(demo_db_path):
    from playwright.sync_api import expect

    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        login_in_browser(page, url, "bangong", DEMO_PASSWORD)
        page.get_by_role("link", name="考核").click()
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="考核", exact=True)).to_be_visible()
        table = main.locator('[data-testid="stDataFrame"]').first
        expect(table).to_be_visible()
        # every column is on the screen: no sideways scrolling to find a unit's score
        scroller = table.locator(".dvn-scroller").first
        widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1] + 1, widths
        table.hover()
        download = table.locator('[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]')
        download.hover()
        tip = page.locator('[data-testid="stTooltipContent"] p').first
        expect(tip).to_be_visible()
        shown = tip.evaluate("p => getComputedStyle(p, '::after').content")
        assert shown == '"下载为 CSV 文件"', shown
        assert tip.evaluate("p => getComputedStyle(p).fontSize") == "0px"  # the English text takes no room
