"""In a real browser: 金水区's office receives the task 郑州 dispatched, reports it done and closes it by its own
review; 郑州's office then sees 金水区 done (and 二七区 not) on its own task's 下级地区进展."""
from __future__ import annotations

import pytest

from duban.services import dispatch
from tests.place_world import PASSWORD, actor, build_places
from tests.reports_world import TODAY
from tests.support import browser_page, login_in_browser, logout_in_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]






def test_a_district_reports_its_dispatched_task_done_and_the_city_sees_it(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    world = build_places(db)
    dispatch.dispatch(db, actor(db, "zz-office"), world.group_task, today=TODAY)
    child = next(r.task_id for r in dispatch.rollup(db, actor(db, "zz-office"), world.group_task, TODAY)
                 if r.place == "金水区")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    with running_app(db_path) as url, browser_page() as page:
        # 金水区's office opens the task it received, accepts it and reports it done
        login_in_browser(page, url, "js-office", PASSWORD)
        page.goto(f"{url}/tasks?task={child}")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="推进县区养老服务中心全覆盖")).to_be_visible()
        expect(main.get_by_text("上级任务:郑州市")).to_be_visible()
        main.get_by_role("button", name="接收任务").click()
        expect(main.get_by_text("已接收任务")).to_be_visible()
        main.get_by_label("进展情况").fill("全区 12 个街道养老服务中心均已建成并投入运营。")
        main.get_by_label("完成百分比(%)").fill("100")
        main.get_by_text("已完成", exact=True).click()
        main.get_by_role("button", name="提交报告").click()
        expect(main.get_by_text("已提交第 1 号报告")).to_be_visible()

        # and closes it by its own review
        page.get_by_role("link", name="审核").click()
        expect(page.get_by_role("heading", name="审核")).to_be_visible()
        expect(page.get_by_text("全区 12 个街道养老服务中心均已建成并投入运营。")).to_be_visible()
        page.get_by_role("button", name="采纳").click()
        expect(page.get_by_text("没有待审核的报告。")).to_be_visible()
        logout_in_browser(page)

        # 郑州's office sees 金水区 done on its own task
        login_in_browser(page, url, "zz-office", PASSWORD)
        page.goto(f"{url}/tasks?task={world.group_task}")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="下级地区进展")).to_be_visible()
        expect(main.get_by_text("1/2 个地区已完成(已完成:金水区)")).to_be_visible()
        expect(main.locator('[data-testid="stDataFrame"]').last).to_be_visible()

    status = db.conn.execute("SELECT status, dispatch_state FROM tasks WHERE id=?", [child]).fetchone()
    assert tuple(status) == ("已销号", "已接收")
