"""Many logged-in sessions at once through `python -m duban serve`, driven over Streamlit's own websocket protocol.

Each session does what a browser does: fetch the start page (nginx gives it its route cookie), open
/_stcore/stream, ask for a script run (a rerun_script BackMsg), fill and submit the login form by the widget
ids the login page sent, then open its pages one after another from the navigation the app sent. A page
view is timed from the request to the script_finished ForwardMsg; an exception element, a run that does
not finish, a lost connection or a failed login counts as an error. Logging in is not timed: all sessions
log in first, then start their page views together.

    python -m benchmarks.load DB --workers 2 --sessions 50 --views 6
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEW_TIMEOUT = 120.0
PAGES = {"office": ("总览", "任务"), "liaison": ("我的任务", "任务")}
FINISHED_OK, FINISHED_EARLY_FOR_RERUN = 0, 2


@dataclasses.dataclass
class Outcome:
    """What one session saw: its page view times (s) and its errors."""

    views: list[float] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Run:
    """One script run as the browser would see it."""

    elements: list = dataclasses.field(default_factory=list)
    pages: dict[str, str] = dataclasses.field(default_factory=dict)  # page title -> page_script_hash
    exceptions: list[str] = dataclasses.field(default_factory=list)


def _back_msg(page_hash: str = "", widgets: list | None = None) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = ""
    state.page_script_hash = page_hash
    for w in widgets or []:
        state.widget_states.widgets.append(w)
    return msg.SerializeToString()


async def _script_run(ws, payload: bytes) -> Run:
    """Send a rerun request and read until the run (and any st.rerun it asks for) has finished."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(payload)
    run = Run()
    while True:
        raw = await asyncio.wait_for(ws.recv(), VIEW_TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            run.elements.append(element)
            if element.WhichOneof("type") == "exception":
                run.exceptions.append(element.exception.message[:200])
        elif kind == "navigation":
            run.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages if not p.is_hidden}
        elif kind == "script_finished":
            if msg.script_finished == FINISHED_EARLY_FOR_RERUN:
                run = Run(pages=run.pages)
                continue
            if msg.script_finished != FINISHED_OK:
                run.exceptions.append(f"脚本未正常结束:{msg.script_finished}")
            return run


def _login_widgets(run: Run, username: str, password: str) -> list:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    ids = {}
    for e in run.elements:
        kind = e.WhichOneof("type")
        if kind == "text_input" and e.text_input.label in ("用户名", "密码"):
            ids[e.text_input.label] = e.text_input.id
        elif kind == "button" and e.button.label == "登录":
            ids["登录"] = e.button.id
    if len(ids) != 3:
        raise RuntimeError("登录页上没有找到登录表单")
    return [WidgetState(id=ids["用户名"], string_value=username), WidgetState(id=ids["密码"], string_value=password),
            WidgetState(id=ids["登录"], trigger_value=True)]


async def _session(base: str, username: str, role: str, password: str, views: int, start: asyncio.Event,
                   logged_in: list, think: float, rng: random.Random) -> Outcome:
    from websockets.asyncio.client import connect

    out = Outcome()
    try:
        cookie = await asyncio.to_thread(_route_cookie, base)
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        async with connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie} if cookie else {},
                           max_size=None, open_timeout=VIEW_TIMEOUT, ping_interval=None, close_timeout=5) as ws:
            first = await _script_run(ws, _back_msg())
            home = await _script_run(ws, _back_msg(widgets=_login_widgets(first, username, password)))
            titles = [t for t in PAGES[role] if t in home.pages]
            if len(titles) != len(PAGES[role]):
                raise RuntimeError(f"{username} 登录后没有看到 {PAGES[role]}:{sorted(home.pages)}")
            logged_in.append(username)
            await start.wait()
            for n in range(views):
                began = time.perf_counter()
                run = await _script_run(ws, _back_msg(home.pages[titles[n % len(titles)]]))
                out.views.append(time.perf_counter() - began)
                out.errors += run.exceptions
                if think:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think)  # a person reads the page
    except Exception as e:  # every failure a user would notice counts as an error
        out.errors.append(f"{type(e).__name__}: {e}"[:200])
        logged_in.append(None)
    return out


def _route_cookie(base: str) -> str:
    """Fetch the start page as a browser does; the Cookie header to send back (nginx's route cookie)."""
    with urllib.request.urlopen(base + "/", timeout=VIEW_TIMEOUT) as r:
        r.read()
        cookies = [h.split(";", 1)[0] for h in r.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


async def drive(base: str, accounts: list[tuple[str, str]], password: str, sessions: int, views: int,
                think: float = 0.0) -> dict:
    """`sessions` sessions at once (accounts taken in turn), each `views` page views after all have logged in,
    one right after the other (think=0) or after a pause of about `think` seconds."""
    start, logged_in = asyncio.Event(), []
    rng = random.Random(2026)
    tasks = [asyncio.create_task(_session(base, *accounts[i % len(accounts)], password, views, start, logged_in,
                                          think, rng)) for i in range(sessions)]
    login_began = time.perf_counter()
    while len(logged_in) < sessions and time.perf_counter() - login_began < 600:
        await asyncio.sleep(0.05)
    login_s = time.perf_counter() - login_began
    began = time.perf_counter()
    start.set()
    outcomes = await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    times = sorted(t for o in outcomes for t in o.views)
    errors = [e for o in outcomes for e in o.errors]
    return {
        "sessions": sessions, "think_s": think, "views": len(times), "errors": len(errors), "first_errors": errors[:3],
        "login_all_s": round(login_s, 2), "wall_s": round(wall, 2),
        "p50_s": round(statistics.median(times), 3) if times else None,
        "p95_s": round(times[min(len(times) - 1, int(len(times) * 0.95))], 3) if times else None,
        "max_s": round(times[-1], 3) if times else None,
    }


@contextlib.contextmanager
def serving(db_path: Path, workers: int, env: dict | None = None) -> Iterator[str]:
    """`python -m duban serve --workers N` on free ports with its own runtime folder; yields the proxy URL."""
    from duban.serve.supervisor import free_port

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="duban-load-") as run_dir:
        proc = subprocess.Popen(
            [sys.executable, "-m", "duban", "serve", "--db", str(db_path), "--workers", str(workers), "--port",
             str(port), "--run-dir", run_dir, "--no-scheduler"],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            line = proc.stdout.readline()
            if "督办已启动" not in line:
                raise RuntimeError("serve 未能启动:" + line + proc.stdout.read()[-2000:])
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def demo_accounts() -> tuple[list[tuple[str, str]], str]:
    """The demo's office account and its liaisons (username, role) and their password."""
    data = json.loads((ROOT / "seed" / "demo_accounts.json").read_text(encoding="utf-8"))
    accounts = [(a["username"], a["role"]) for a in data["accounts"] if a["role"] in PAGES]
    return accounts, data["password"]


def measure(db_path: Path, workers: int, sessions: int = 50, views: int = 6, env: dict | None = None,
            thinks: tuple[float, ...] = (0.0,)) -> list[dict]:
    """Load figures for `workers` workers behind the proxy on the demo database at db_path, one per think time."""
    accounts, password = demo_accounts()
    with serving(db_path, workers, env) as base:
        drive_result = asyncio.run(drive(base, accounts, password, 4, 1))  # warm every worker's imports and caches
        if drive_result["errors"]:
            raise RuntimeError(f"预热失败:{drive_result['first_errors']}")
        return [{"workers": workers, **asyncio.run(drive(base, accounts, password, sessions, views, think))}
                for think in thinks]


def make_demo_db(path: Path, today) -> None:
    """A demo database (the five plans, the demo accounts and history) for the load."""
    from db import connect
    from duban import demo

    db = connect(path)
    demo.init(db, today=today)
    # the simulated people have already chosen their passwords: measure pages, not the first-login form
    db.conn.execute("UPDATE users SET must_change_password = 0")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="并发会话负载测试(经 serve 的 nginx 代理)")
    p.add_argument("db", help="演示数据库(不存在则创建)")
    p.add_argument("--workers", type=int, nargs="+", default=[2, 1])
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--views", type=int, default=6)
    p.add_argument("--today", default="2026-11-22")
    p.add_argument("--think", type=float, nargs="+", default=[0.0], help="每次浏览后的停顿(秒),可给多个")
    args = p.parse_args(argv)
    import datetime as dt

    path = Path(args.db)
    if not path.exists():
        make_demo_db(path, dt.date.fromisoformat(args.today))
    for n in args.workers:
        for row in measure(path, n, args.sessions, args.views, {"DUBAN_TODAY": args.today}, tuple(args.think)):
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
