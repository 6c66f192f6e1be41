"""总览 in a real browser: the office logs in on the demo, sees all five places, and a number opens its tasks."""
from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO_TODAY
from tests.support import browser_page, login_in_browser, running_app

PLACES = ("钦州市", "随州市", "巫溪县", "郑州市", "包头市")


@pytest.mark.browser
def test_the_office_finds_every_place_on_the_overview_and_follows_a_number(demo_db_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)  # a busy machine may take a while to run the first page
    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        login_in_browser(page, url, "bangong", "duban2026")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="总览")).to_be_visible()
        for place in PLACES:
            expect(main.get_by_text(place).first).to_be_visible()

        red_card = main.locator('[data-testid="stColumn"]').filter(has_text="查看红灯任务").last
        red = int(red_card.locator('[data-testid="stMetricValue"]').inner_text())
        assert red > 0
        red_card.get_by_text("查看红灯任务").click()
        expect(main.get_by_role("heading", name="任务", exact=True)).to_be_visible()
        expect(main.get_by_text(re.compile(rf"共 {red} 项任务"))).to_be_visible()
        assert "light=" in page.url
        # still logged in: the link kept the session
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
