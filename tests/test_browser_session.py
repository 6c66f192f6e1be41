"""In a real browser against `streamlit run`: a login survives a refresh and a new tab, logout ends it in
every tab, an evidence address stops answering after logout, a disabled account's pending report is not stored."""
from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from duban.access import SYSTEM
from duban.services import reports, users
from tests.reports_world import PASSWORD, PDF, TODAY, actor, build
from tests.support import browser_page, login_in_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]




def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_a_refresh_and_a_new_tab_keep_the_login_and_logout_ends_it_everywhere(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    world = build(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    with running_app(db_path) as url, browser_page() as page:
        login_in_browser(page, url, "zz-minzheng", PASSWORD)
        expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
        cookie = next(c for c in page.context.cookies() if c["name"] == "duban_session")
        assert cookie["sameSite"] == "Lax"
        page.reload()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
        expect(page.get_by_role("heading", name="我的任务")).to_be_visible()

        # a link from a reminder mail, opened in a new tab, opens the task without another login
        other = page.context.new_page()
        other.goto(f"{url}/my_tasks?task={world.recurring}")
        expect(other.get_by_role("button", name="退出登录")).to_be_visible()
        title = db.conn.execute("SELECT title FROM tasks WHERE id=?", [world.recurring]).fetchone()[0]
        expect(other.get_by_role("heading", name=title)).to_be_visible()
        expect(other.get_by_text("Page not found")).to_have_count(0)

        page.get_by_role("button", name="退出登录").click()
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        assert db.conn.execute("SELECT count(*) FROM sessions WHERE revoked_at IS NULL").fetchone()[0] == 0
        # the other tab is logged out at its next click, and a refresh does not bring the login back
        other.bring_to_front()
        other.get_by_role("link", name="任务", exact=True).click()
        expect(other.get_by_role("button", name="登录", exact=True)).to_be_visible()
        page.reload()
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="退出登录")).to_have_count(0)


def test_an_evidence_address_is_refused_after_logout(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    world = build(db)
    reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "附验收单", 100, "已完成", TODAY,
                        evidence=[("验收单.pdf", PDF)])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    with running_app(db_path) as url, browser_page() as page:
        login_in_browser(page, url, "bangong", PASSWORD)
        page.get_by_role("link", name="审核").click()
        expect(page.get_by_text("附验收单")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name="验收单.pdf").click()
        media = download.value.url
        assert "/media/" in media
        assert open(download.value.path(), "rb").read() == PDF
        assert _status(media) == 200  # while logged in, the address answers
        page.get_by_role("button", name="退出登录").click()
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        assert _status(media) == 404


def test_an_evidence_address_stops_answering_after_the_browser_closed(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    world = build(db)
    reports.file_report(db, actor(db, "zz-minzheng"), world.shared, "附验收单", 100, "已完成", TODAY,
                        evidence=[("验收单.pdf", PDF)])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    with running_app(db_path, env={"DUBAN_EVIDENCE_LINK_SECONDS": "2"}) as url:
        with browser_page() as page:
            login_in_browser(page, url, "bangong", PASSWORD)
            page.get_by_role("link", name="审核").click()
            expect(page.get_by_text("附验收单")).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("button", name="验收单.pdf").click()
            media = download.value.url
            assert open(download.value.path(), "rb").read() == PDF
        # the browser is closed without logging out; the copied address soon answers nothing
        deadline = time.monotonic() + 60
        while _status(media) == 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _status(media) == 404


def test_a_disabled_accounts_pending_report_is_not_stored_and_its_text_is_kept(db, db_path, monkeypatch):
    from playwright.sync_api import expect

    build(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    text = "本期完成社区养老服务站验收两处,下一步推进第三处。"
    with running_app(db_path) as url, browser_page() as page:
        login_in_browser(page, url, "zz-minzheng", PASSWORD)
        page.get_by_label("进展情况").fill(text)
        users.set_active(db, SYSTEM, "zz-minzheng", False)  # the office disables the account meanwhile
        page.get_by_role("button", name="提交报告").click()
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        expect(page.get_by_text("账号已被停用或锁定")).to_be_visible()
        # the login page shows what was typed, so it can be copied
        expect(page.locator(".st-key-unsent_box").get_by_text(text)).to_be_visible()
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
