"""In a real browser: a bookmarked page address right after a server start asks for the login and then opens
that page; a page outside the user's role says so in Chinese; text boxes show no English key hints."""
from __future__ import annotations

import pytest

from tests.conftest import DEMO_TODAY
from tests.support import browser_page, running_app

pytestmark = pytest.mark.browser
PASSWORD = "duban2026"


def _log_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_bookmarked_address_logs_in_and_opens_that_page(demo_db, demo_db_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=90_000)
    task_id, title = demo_db.conn.execute("SELECT id, title FROM tasks ORDER BY id LIMIT 1").fetchone()
    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        # the very first request this server answers is a page address, as from a bookmark or an e-mail
        page.goto(f"{url}/tasks?task={task_id}")
        expect(page.get_by_role("heading", name="督办 · 登录")).to_be_visible()
        expect(page.get_by_text("演示数据").first).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)  # no list of page files
        _log_in(page, "bangong")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name=title)).to_be_visible()
        assert f"task={task_id}" in page.url

        # typing in a text box shows no English "Press Enter to apply"
        page.get_by_role("link", name="返回任务列表").click()
        box = main.get_by_placeholder("任务名称、原文、编号或单位名称")
        box.click()
        box.press_sequentially("养老")
        expect(page.locator('[data-testid="InputInstructions"]')).to_be_hidden()
        expect(page.get_by_text("Press Enter")).to_be_hidden()

        # a liaison, in a fresh browser session, opening the office's 账号 page
        page.context.clear_cookies()
        page.goto(f"{url}/accounts")
        _log_in(page, "zz-minzheng")
        expect(main.get_by_text("您的账号无权查看“账号”页面")).to_be_visible()
        expect(page.get_by_role("link", name="我的任务")).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
    expect.set_options(timeout=5_000)


def test_the_open_tab_stays_open_after_an_action(demo_db_path):
    """提醒设置 › 催办单: generating a notice reruns the page, and the office is still on that tab."""
    from playwright.sync_api import expect

    from tests.support import login_in_browser

    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        login_in_browser(page, url, "bangong", PASSWORD)
        page.get_by_role("link", name="提醒设置", exact=True).first.click()
        page.get_by_role("tab", name="催办单").click()
        page.get_by_role("button", name="生成并编号").click()
        expect(page.get_by_role("button", name="下载", exact=False).first).to_be_visible(timeout=90_000)
        expect(page.get_by_role("tab", name="催办单")).to_have_attribute("aria-selected", "true")
