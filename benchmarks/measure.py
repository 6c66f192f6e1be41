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
            counts[(r.status, r.light)] = counts.get((r.status, r.light), 0) + 1
        return counts
    return fallback


def naive_overview_counts(db, today: dt.date) -> dict:
    """The 总览's headline counts (by status and by light) the plain way: read every task and every deadline
    instance, and apply the light rule task by task in Python. Printed beside the real query for comparison."""
    from duban.rules import status as rules

    next_due: dict[int, str] = {}
    last_done: dict[int, str] = {}
    for task_id, due, state in db.conn.execute("SELECT task_id, due, state FROM instances"):
        if state == "open" and due < next_due.get(task_id, "9999"):
            next_due[task_id] = due
        elif state == "claimed" and due > last_done.get(task_id, ""):
            last_done[task_id] = due
    warn = tasks.warn_days(db)
    by_status: dict[str, int] = {}
    by_light: dict[str, int] = {}
    for row in db.conn.execute("SELECT t.id, t.status, t.progress, t.created_at, p.period_start FROM tasks t "
                               "LEFT JOIN plans p ON p.id = t.plan_id WHERE t.removed = 0"):
        row = dict(row)
        due = None if row["status"] == rules.CLOSED else next_due.get(row["id"])
        light = tasks.light_of(due, last_done.get(row["id"]), row, today, warn)
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
        by_light[light] = by_light.get(light, 0) + 1
    return {"by_status": by_status, "by_light": by_light}


def _one_script_cache() -> None:
    """AppTest compiles every page script afresh on each run; a live server compiles each once and keeps it.
    Page-run figures use one compiled-script cache, as the server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def page_run_ms(db_path: Path, username: str, today: dt.date, page_file: str = "overview.py") -> float | None:
    """Median of five runs of pages/<page_file> through AppTest as `username` (after a warm-up run)."""
    page = ROOT / "pages" / page_file
    if not page.exists():
        return None
    import logging

    from streamlit.testing.v1 import AppTest

    _one_script_cache()

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
    at.switch_page(f"pages/{page_file}").run()
    if at.exception:
        raise RuntimeError(f"{page_file} 页面运行出错:{at.exception}")
    at.run()
    times, cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if at.exception:
            raise RuntimeError(f"{page_file} 页面运行出错:{at.exception}")
    page_run_ms.cpu_ms = statistics.median(cpu)  # CPU time of the run: what it costs on a shared, busy machine
    return statistics.median(times)


def demo_page_runs(db_path: Path, today: dt.date) -> list[dict]:
    """Page-run times of 总览 and 任务 (the office) and 我的任务 (a liaison) on a demo database."""
    out = []
    for name, page, user in (("overview", "overview.py", "bangong"), ("tasks", "tasks.py", "bangong"),
                             ("my_tasks", "my_tasks.py", "zz-minzheng")):
        ms = page_run_ms(db_path, user, today, page)
        if ms is not None:
            out.append({"name": f"demo_{name}_page_run_ms", "value": round(ms, 1), "unit": "ms"})
            out.append({"name": f"demo_{name}_page_cpu_ms", "value": round(page_run_ms.cpu_ms, 1), "unit": "ms"})
    return out


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(db_path: Path, today: dt.date, username: str = "bangong") -> list[dict]:
    """Every figure, as {name, value, unit} rows."""
    db = connect(db_path)
    actor = users.actor_for(db, db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()[0])
    out = []
    run_query = overview_queries(db, actor, today)

    def fresh_query():
        vars(db).pop("_duban_results", None)  # as after a write: computed afresh, not from the cache
        vars(db).pop("_duban_task_snapshots", None)
        return run_query()

    query_ms, _ = _ms(fresh_query)
    out.append({"name": "overview_query_ms", "value": round(query_ms, 1), "unit": "ms"})
    naive_ms, _ = _ms(lambda: naive_overview_counts(db, today), repeat=3)
    out.append({"name": "overview_naive_full_scan_ms", "value": round(naive_ms, 1), "unit": "ms"})
    cached_ms, _ = _ms(run_query)
    out.append({"name": "overview_query_unchanged_db_ms", "value": round(cached_ms, 2), "unit": "ms"})

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
