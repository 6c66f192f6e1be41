"""The figures of `python -m duban bench`: 总览 queries, overdue scan, one 总览 page run and peak memory."""
from __future__ import annotations

import datetime as dt
import importlib
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from db import connect
from duban.services import check, tasks, users

ROOT = Path(__file__).resolve().parent.parent


def _ms(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time of fn over `repeat` runs after one warm-up run, in milliseconds."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def overview_queries(db, actor, today: dt.date) -> Callable[[], object]:
    """The 总览's queries: the dashboard service when present, else the task list and its counts."""
    try:
        overview = importlib.import_module("duban.services.overview")
    except ModuleNotFoundError:
        overview = None
    if overview is not None and hasattr(overview, "overview"):
        return lambda: overview.overview(db, actor, today)

    def fallback():
        rows = tasks.list_tasks(db, actor, today)
        counts: dict = {}
        for r in rows:
            counts[(r["status"], r["light"])] = counts.get((r["status"], r["light"]), 0) + 1
        return counts
    return fallback


def page_run_ms(db_path: Path, username: str, today: dt.date) -> float | None:
    """One run of pages/overview.py through AppTest, logged in as the office (after a warm-up run)."""
    page = ROOT / "pages" / "overview.py"
    if not page.exists():
        return None
    import logging

    from streamlit.testing.v1 import AppTest

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    os.environ["DUBAN_DB"] = str(db_path)
    os.environ["DUBAN_TODAY"] = today.isoformat()
    from duban.services import sessions, users

    db = connect(db_path)
    user_id = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0]
    token, _ = sessions.start(db, users.actor_for(db, user_id))  # logged in as the login form does
    db.conn.execute("UPDATE users SET must_change_password = 0 WHERE id = ?", [user_id])
    db.conn.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["session_token"] = token
    at.run()
    at.switch_page("pages/overview.py").run()
    if at.exception:
        raise RuntimeError(f"总览页面运行出错:{at.exception}")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"总览页面运行出错:{at.exception}")
    return statistics.median(times)


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(db_path: Path, today: dt.date, username: str = "bangong") -> list[dict]:
    """Every figure, as {name, value, unit} rows."""
    db = connect(db_path)
    actor = users.actor_for(db, db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0])
    out = []
    query_ms, _ = _ms(overview_queries(db, actor, today))
    out.append({"name": "overview_query_ms", "value": round(query_ms, 1), "unit": "ms"})

    def cold_list():
        vars(db).pop("_duban_task_snapshots", None)  # as after a write: the list is computed afresh
        return tasks.list_tasks(db, actor, today)

    cold_ms, _ = _ms(cold_list, repeat=3)
    out.append({"name": "task_list_cold_ms", "value": round(cold_ms, 1), "unit": "ms"})
    warm_ms, _ = _ms(lambda: tasks.list_tasks(db, actor, today, light="红"), repeat=5)
    out.append({"name": "task_list_rerun_ms", "value": round(warm_ms, 1), "unit": "ms"})
    start = time.perf_counter()
    flagged = check.overdue_scan(db, today)
    out.append({"name": "overdue_scan_ms", "value": round((time.perf_counter() - start) * 1000, 1), "unit": "ms"})
    out.append({"name": "overdue_flagged", "value": len(flagged), "unit": "instances"})
    counts = {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("tasks", "reports")}
    db.conn.close()
    page_ms = page_run_ms(db_path, username, today)
    if page_ms is not None:
        out.append({"name": "overview_page_run_ms", "value": round(page_ms, 1), "unit": "ms"})
    out.append({"name": "peak_memory_mb", "value": round(peak_memory_mb(), 1), "unit": "MB"})
    out.append({"name": "tasks", "value": counts["tasks"], "unit": "tasks"})
    out.append({"name": "reports", "value": counts["reports"], "unit": "reports"})
    return out
