"""`python -m duban serve`: workers behind nginx keep each browser on its worker, come back when they die,
and leave nothing running once stopped."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from duban.serve import nginx
from duban.services import serve_health as health
from tests.conftest import DEMO_TODAY
from tests.support import ROOT, browser_page, free_port, login_in_browser

PASSWORD = "duban2026"
needs_nginx = pytest.mark.skipif(not Path(nginx.NGINX).exists(), reason="nginx 未安装")


def _children(pid: int) -> set[int]:
    """pid and every process below it, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


@contextlib.contextmanager
def serving(db_path: Path, run_dir: Path, workers: int) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m duban serve` on a free port; yields the proxy's URL and the serve process."""
    port = free_port()
    env = {**os.environ, "DUBAN_TODAY": DEMO_TODAY.isoformat()}
    env.pop("DUBAN_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "duban", "serve", "--db", str(db_path), "--workers", str(workers),
                             "--port", str(port), "--run-dir", str(run_dir)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()  # printed once nginx and every worker answer
        assert "督办已启动" in line, line + proc.stdout.read()
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def _stop_and_check_all_gone(proc: subprocess.Popen, run_dir: Path) -> None:
    family = _children(proc.pid)
    assert len(family) >= 3  # serve, its workers, nginx (master and worker)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "督办已停止" in out
    deadline = time.monotonic() + 10
    while not all(_gone(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in family if not _gone(p)] == []
    assert health.worker_health(run_dir) is None


def test_the_proxy_configuration_keeps_a_browser_on_one_worker_and_passes_nginx_check(tmp_path):
    settings = nginx.ProxySettings("127.0.0.1", free_port(), (41001, 41002), tmp_path, 10 * 1024 * 1024)
    nginx.write(settings)
    text = (tmp_path / "nginx.conf").read_text()
    assert "hash $duban_route consistent;" in text
    assert "server 127.0.0.1:41001" in text and "server 127.0.0.1:41002" in text
    assert "client_max_body_size 11m;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert str(tmp_path.resolve()) in text and "/var/" not in text
    if Path(nginx.NGINX).exists():
        assert nginx.test_config(tmp_path) is None


@needs_nginx
def test_a_worker_that_dies_is_started_again_and_stop_ends_everything(demo_db_path, tmp_path):
    run_dir = tmp_path / "run"
    with serving(demo_db_path, run_dir, workers=1) as (url, proc):
        with urllib.request.urlopen(url + "/healthz", timeout=10) as r:
            assert r.read() == b"ok"
        status = health.worker_health(run_dir)
        assert status["proxy"]["ok"] and [w["ok"] for w in status["workers"]] == [True]
        first = status["workers"][0]
        os.kill(first["pid"], signal.SIGKILL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = health.worker_health(run_dir)
            w = status["workers"][0]
            if w["restarts"] == 1 and w["ok"]:
                break
            time.sleep(0.5)
        assert w["restarts"] == 1 and w["ok"] and w["pid"] != first["pid"] and w["port"] == first["port"]
        # `duban status` shows the office's IT the same, from the runtime folder beside the database
        shown = subprocess.run([sys.executable, "-m", "duban", "status", "--db", str(demo_db_path)], cwd=ROOT,
                               capture_output=True, text=True, timeout=60).stdout
        assert f"工作进程 端口 {w['port']}:正常,已重启 1 次" in shown and "多进程服务:代理" in shown
        _stop_and_check_all_gone(proc, run_dir)


def _logged_in_on(page, heading) -> None:
    """The page shows `heading`, after logging in again if this browser session's login did not carry over."""
    from playwright.sync_api import expect

    login = page.get_by_role("heading", name="督办 · 登录")
    expect(login.or_(heading)).to_be_visible()
    if login.is_visible():
        page.get_by_label("用户名").fill("bangong")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
    expect(heading).to_be_visible()


@needs_nginx
@pytest.mark.browser
def test_a_browser_logs_in_through_the_proxy_and_keeps_working_after_a_reload(demo_db, demo_db_path, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=90_000)
    task_id, title = demo_db.conn.execute("SELECT id, title FROM tasks ORDER BY id LIMIT 1").fetchone()
    run_dir = tmp_path / "run"
    with serving(demo_db_path, run_dir, workers=2) as (url, proc), browser_page() as page:
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("websocket", lambda ws: ws.on("socketerror", lambda e: problems.append(f"websocket: {e}")))
        login_in_browser(page, url, "bangong", PASSWORD)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="总览")).to_be_visible()
        expect(main.get_by_text("钦州市").first).to_be_visible()
        route = [c["value"] for c in page.context.cookies() if c["name"] == nginx.ROUTE_COOKIE]
        assert len(route) == 1

        page.goto(f"{url}/tasks?task={task_id}")
        _logged_in_on(page, main.get_by_role("heading", name=title))
        page.reload()
        _logged_in_on(page, main.get_by_role("heading", name=title))
        # the session still answers: following a link reruns the script on the same worker
        page.get_by_role("link", name="返回任务列表").click()
        expect(main.get_by_role("heading", name="任务", exact=True)).to_be_visible()
        expect(page.get_by_text("Connection error")).to_have_count(0)
        assert [c["value"] for c in page.context.cookies() if c["name"] == nginx.ROUTE_COOKIE] == route
        assert [p for p in problems if "websocket" in p.lower()] == []
        _stop_and_check_all_gone(proc, run_dir)
    expect.set_options(timeout=5_000)


@needs_nginx
def test_the_load_driver_logs_sessions_in_through_the_proxy_and_counts_their_page_views(demo_db_path):
    from benchmarks import load

    [result] = load.measure(demo_db_path, workers=1, sessions=3, views=2, env={"DUBAN_TODAY": DEMO_TODAY.isoformat()})
    assert result["errors"] == 0, result["first_errors"]
    assert result["views"] == 6 and result["p95_s"] >= result["p50_s"] > 0


@needs_nginx
def test_a_failed_login_counts_as_an_error_in_the_load(demo_db_path):
    import asyncio

    from benchmarks import load

    with load.serving(demo_db_path, 1, {"DUBAN_TODAY": DEMO_TODAY.isoformat()}) as base:
        result = asyncio.run(load.drive(base, [("bangong", "office")], "wrong-password", 1, 2))
    assert result["errors"] == 1 and result["views"] == 0
