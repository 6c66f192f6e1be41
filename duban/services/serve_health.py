"""Reading a running `serve` from its runtime folder: which workers it has and whether each one answers."""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

WORKERS_FILE = "workers.json"


def run_dir_for(db_path: str | os.PathLike) -> Path:
    """The runtime folder serve uses beside a database: data/run for data/duban.db."""
    return Path(db_path).resolve().parent / "run"


def probe(host: str, port: int, path: str = "/_stcore/health", timeout: float = 2.0) -> dict:
    """GET one health address: {"ok": bool, "detail": the answer or the error}."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=timeout) as r:
            body = r.read(200).decode(errors="replace").strip()
            return {"ok": r.status == 200, "detail": body or str(r.status)}
    except OSError as e:
        return {"ok": False, "detail": str(getattr(e, "reason", e))}


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(run_dir: str | os.PathLike) -> dict | None:
    """workers.json as serve wrote it, or None when no serve runs from this folder."""
    path = Path(run_dir) / WORKERS_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if _alive(state.get("pid")) else None


def worker_health(run_dir: str | os.PathLike, timeout: float = 2.0) -> dict | None:
    """What `status` shows of a running serve: the proxy's /healthz and each worker's /_stcore/health.

    None when no serve runs from run_dir; else {"pid", "started_at", "proxy": {host, port, ok, detail},
    "workers": [{port, pid, restarts, ok, detail}, ...]}."""
    state = read_state(run_dir)
    if state is None:
        return None
    proxy = state["proxy"]
    host = "127.0.0.1" if proxy["host"] in ("0.0.0.0", "", "::") else proxy["host"]
    return {
        "pid": state["pid"],
        "started_at": state.get("started_at"),
        "proxy": {**proxy, **probe(host, proxy["port"], "/healthz", timeout)},
        "workers": [{**w, **probe("127.0.0.1", w["port"], timeout=timeout)} for w in state["workers"]],
    }
