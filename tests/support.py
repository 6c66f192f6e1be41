"""Helpers for page tests: AppTest logged in as a user, and a real `streamlit run` for the browser."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _pages_come_from_app_py() -> None:
    """Make AppTest run app.py's frame on every run, as a live server does.

    app.py declares its pages with st.navigation, and the page files sit in a folder named pages/. AppTest decides
    afresh before every run, from that folder's presence alone, that this is a folder-based multipage app; after
    switch_page it would then run the page file by itself, without the frame (login check, sidebar, 演示数据 label,
    unread badge, 退出登录). A live server decides this once per process, and app.py's st.navigation settles it."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    if getattr(app_test.PagesManager, "declared_by_navigation", False):
        return

    class NavigationPagesManager(PagesManager):
        declared_by_navigation = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager = NavigationPagesManager


_pages_come_from_app_py()


def app_as(db, username: str | None, page: str | None = None, timeout: float = 60):
    """An AppTest of the app logged in as `username` (None: logged out), switched to `page` if given, run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    if username is not None:
        login_token(at, db, username)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def login_token(at, db, username: str) -> str:
    """Log `username` in on the server, as the login form does, and give the AppTest session its token."""
    from duban.services import sessions, users

    row = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()
    assert row, f"no user {username}"
    token, _ = sessions.start(db, users.actor_for(db, row[0]))
    at.session_state["session_token"] = token
    at.session_state["cookie_spent"] = True
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(db_path: Path, env: dict | None = None, timeout: float = 120) -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port against db_path; yield its base URL."""
    port = free_port()
    full_env = {**os.environ, "DUBAN_DB": str(db_path), **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError("streamlit exited: " + proc.stdout.read().decode(errors="replace")[-3000:])
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not answer on " + url)
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def browser_page() -> Iterator[object]:
    """A Playwright page in Debian's headless chromium, zh-CN, 1400x1000."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def login_in_browser(page, base_url: str, username: str, password: str) -> None:
    """Log in through the real form as a user would."""
    from playwright.sync_api import expect

    page.goto(base_url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=90_000)


def logout_in_browser(page) -> None:
    """Log out with the sidebar's button and wait for the login form."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
