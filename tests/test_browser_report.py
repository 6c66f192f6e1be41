"""In a real browser: a liaison reports with an attachment, the office returns it, the liaison reads the reason."""
from __future__ import annotations

import pytest

from tests.reports_world import PASSWORD, PDF, TODAY, build
from tests.support import browser_page, login_in_browser, logout_in_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

REASON = "验收单缺少签章,请补充盖章扫描件。"






def test_report_return_and_reason_round_trip(db, db_path, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    build(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    attachment = tmp_path / "验收单.pdf"
    attachment.write_bytes(PDF)
    monkeypatch.setenv("DUBAN_TODAY", TODAY.isoformat())
    with running_app(db_path) as url, browser_page() as page:
        # the liaison files a report with an attachment
        login_in_browser(page, url, "zz-minzheng", PASSWORD)
        expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
        page.get_by_label("进展情况").fill("已建成社区嵌入式养老服务设施 3 处,<b>验收</b>完成。")
        page.get_by_text("已完成", exact=True).click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(attachment))
        expect(page.get_by_text("验收单.pdf").first).to_be_visible()
        page.get_by_role("button", name="提交报告").click()
        expect(page.get_by_text("已提交第 1 号报告(附 1 个文件)")).to_be_visible()
        logout_in_browser(page)

        # the office sees it in the queue, with the file, and returns it
        login_in_browser(page, url, "bangong", PASSWORD)
        page.get_by_role("link", name="审核").click()
        expect(page.get_by_role("heading", name="审核")).to_be_visible()
        expect(page.get_by_text("已建成社区嵌入式养老服务设施 3 处,<b>验收</b>完成。")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name="验收单.pdf").click()
        assert download.value.suggested_filename == "验收单.pdf"
        assert open(download.value.path(), "rb").read() == PDF
        page.get_by_label("退回原因(必填)").fill(REASON)
        page.get_by_role("button", name="退回", exact=True).click()
        # returning cannot be undone: the button first says what it will do
        expect(page.get_by_text("将第 1 号报告退回")).to_be_visible()
        page.get_by_role("button", name="确认退回").click()
        expect(page.get_by_text("已退回第 1 号报告")).to_be_visible()
        logout_in_browser(page)

        # the liaison reads the reason
        login_in_browser(page, url, "zz-minzheng", PASSWORD)
        expect(page.get_by_text(f"退回原因:{REASON}").first).to_be_visible()
        expect(page.get_by_text("被退回的报告(1)")).to_be_visible()

    row = db.conn.execute("SELECT review_state, review_note FROM reports").fetchone()
    assert tuple(row) == ("已退回", REASON)
