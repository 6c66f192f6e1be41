"""In a real browser: a task titled with markdown image and HTML syntax is shown as those characters, and the
browser never asks the address hidden in it for anything."""
from __future__ import annotations

import pytest

from tests.conftest import DEMO_TODAY
from tests.support import browser_page, running_app

pytestmark = pytest.mark.browser
IMAGE_HOST = "127.0.0.1:9"
EVIL = f"![x](http://{IMAGE_HOST}/x.png) [点我](http://evil) <img src=http://{IMAGE_HOST}/y.png> **粗体** "


def test_a_title_with_an_image_link_fetches_nothing_and_reads_as_written(demo_db, demo_db_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=90_000)
    task_id = demo_db.conn.execute("SELECT task_id FROM reports ORDER BY id LIMIT 1").fetchone()[0]
    with demo_db.conn:
        demo_db.conn.execute("UPDATE tasks SET title = ? || title WHERE id=?", [EVIL, task_id])
        demo_db.conn.execute("UPDATE departments SET name = ? || name WHERE id IN "
                             "(SELECT department_id FROM task_units WHERE task_id=?)", [EVIL, task_id])
    demo_db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    asked: list[str] = []
    with running_app(demo_db_path, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as url, browser_page() as page:
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{url}/tasks?task={task_id}")
        page.get_by_label("用户名").fill("bangong")
        page.get_by_label("密码").fill("duban2026")
        page.get_by_role("button", name="登录").click()
        main = page.locator('[data-testid="stMain"]')
        heading = main.get_by_role("heading").filter(has_text="点我").first
        expect(heading).to_be_visible()
        assert "![x](" in heading.inner_text() and "<img" in heading.inner_text()
        expect(main.locator("img[src*='127.0.0.1:9']")).to_have_count(0)
        expect(main.locator("a[href='http://evil']")).to_have_count(0)
        expect(main.get_by_text("各单位最新进展报告")).to_be_visible()
        page.wait_for_load_state("networkidle")
    assert not [u for u in asked if IMAGE_HOST in u or "//evil" in u], asked
