"""`python -m duban serve`: N `streamlit run app.py` workers on loopback ports, nginx in front, the schedule once.

The workers run with DUBAN_SCHEDULER=0 and this process runs the overdue scan and reminders itself (the
job lease in the database keeps each job single anyway). Every second it looks at its children: a worker
or nginx that died is started again on the same port, so the proxy's configuration stays valid. SIGTERM or
SIGINT stops nginx first (no new requests), then the workers, then the schedule. What runs where is kept in
workers.json in the runtime folder, for `status` and for people.
"""
from __future__ import annotations

import ctypes
import datetime as dt
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import InputError
from duban.serve import nginx
from duban.services.serve_health import WORKERS_FILE, probe

log = logging.getLogger("duban.serve")

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
STOP_WAIT_SECONDS = 10
START_WAIT_SECONDS = 120
LIMIT_CHECK_SECONDS = 30
RESTART_BACKOFF = (1, 2, 5, 10, 30)  # seconds before the 1st, 2nd... restart of a worker that keeps dying
_PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: end when serve ends, even if serve is killed outright."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class Child:
    """One supervised process: a worker (port) or nginx (port None)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    port: int | None = None
    proc: subprocess.Popen | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=_die_with_parent)
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.alive():
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                pass

    def wait(self, deadline: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: worker count, where the proxy listens, the database, the runtime folder."""

    workers: int
    host: str
    port: int
    db_path: Path
    run_dir: Path
    scheduler: bool = True
    worker_ports: tuple[int, ...] = ()


class Supervisor:
    """Starts, watches and stops the workers, nginx and the schedule of one `serve`."""

    def __init__(self, options: ServeOptions) -> None:
        if options.workers < 1:
            raise InputError("工作进程数应至少为 1。")
        if not Path(nginx.NGINX).exists():
            raise InputError(f"未找到 nginx({nginx.NGINX}),请先安装:apt-get install nginx")
        self.o = options
        self.stopping = threading.Event()
        self.children: list[Child] = []
        self.proxy: Child | None = None
        self.scheduler = None
        self.upload_bytes = 0

    # ---- setup
    def _max_upload_bytes(self) -> int:
        from db import connect
        from duban.services import evidence

        db = connect(self.o.db_path)
        try:
            return evidence.max_bytes(db)
        finally:
            db.conn.close()

    def _cookie_secret(self) -> str:
        """One secret for every worker, kept across restarts, so a cookie signed by one worker holds in all."""
        path = self.o.run_dir / "cookie_secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return path.read_text().strip()

    def _worker_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"DUBAN_DB": str(self.o.db_path), "DUBAN_SCHEDULER": "0", "PYTHONUNBUFFERED": "1",
                    "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret()})
        return env

    def _worker(self, port: int) -> Child:
        upload_mb = str(nginx.body_limit_mb(self.upload_bytes))
        argv = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
                "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                "--server.maxUploadSize", upload_mb, "--server.enableXsrfProtection", "true"]
        return Child(f"worker-{port}", argv, self._worker_env(), self.o.run_dir / "logs" / f"worker-{port}.log",
                     port=port)

    def _settings(self) -> nginx.ProxySettings:
        return nginx.ProxySettings(self.o.host, self.o.port, tuple(c.port for c in self.children), self.o.run_dir,
                                   self.upload_bytes)

    def prepare(self) -> None:
        """Create the runtime folder, choose the ports, write and check nginx.conf."""
        (self.o.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.upload_bytes = self._max_upload_bytes()
        ports = list(self.o.worker_ports) or []
        while len(ports) < self.o.workers:
            port = free_port()
            if port not in ports and port != self.o.port:
                ports.append(port)
        self.children = [self._worker(p) for p in ports[: self.o.workers]]
        nginx.write(self._settings())
        if problem := nginx.test_config(self.o.run_dir):
            raise InputError(f"nginx 配置检查未通过:{problem}")
        self.proxy = Child("nginx", nginx.command(self.o.run_dir), dict(os.environ),
                           self.o.run_dir / "logs" / "nginx.out")

    # ---- state file
    def write_state(self) -> None:
        """workers.json: who serves where, for `status` (see duban.services.serve_health)."""
        state = {
            "pid": os.getpid(),
            "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "db": str(self.o.db_path),
            "proxy": {"host": self.o.host, "port": self.o.port, "pid": self.proxy.proc.pid if self.proxy.alive()
                      else None, "restarts": self.proxy.restarts},
            "workers": [{"port": c.port, "pid": c.proc.pid if c.alive() else None, "restarts": c.restarts,
                         "log": str(c.log_path)} for c in self.children],
            "scheduler": self.scheduler is not None,
        }
        tmp = self.o.run_dir / (WORKERS_FILE + ".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.o.run_dir / WORKERS_FILE)

    # ---- running
    def start(self) -> None:
        """Start every worker, nginx and the schedule; return once nginx answers /healthz."""
        self.prepare()
        for c in self.children:
            c.start()
        self.proxy.start()
        if self.o.scheduler:
            from duban.jobs import scheduler

            self.scheduler = scheduler.start(str(self.o.db_path))
        self.write_state()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_WAIT_SECONDS
        pending = list(self.children)
        while pending:
            pending = [c for c in pending if not probe("127.0.0.1", c.port)["ok"]]
            for c in pending:
                if not c.alive():
                    self.stop()
                    raise InputError(f"工作进程(端口 {c.port})启动失败,详见 {c.log_path}")
            if not self.proxy.alive():
                self.stop()
                raise InputError(f"nginx 启动失败,详见 {self.o.run_dir / 'logs' / 'error.log'}")
            if time.monotonic() > deadline:
                self.stop()
                raise InputError("工作进程在规定时间内没有就绪。")
            if pending:
                time.sleep(0.3)

    def check_once(self) -> None:
        """Start again whatever died (after a growing pause if it keeps dying); follow a new upload limit."""
        now = time.monotonic()
        changed = False
        for c in [*self.children, self.proxy]:
            if self.stopping.is_set() or c.alive():
                if c.alive() and c.restarts and now - c.started_at > 60:
                    c.next_start = 0.0
                continue
            if not c.next_start:
                code = c.proc.returncode if c.proc else None
                pause = RESTART_BACKOFF[min(c.restarts, len(RESTART_BACKOFF) - 1)]
                log.warning("%s 已退出(%s),%s 秒后重启", c.name, code, pause)
                c.next_start = now + pause
            elif now >= c.next_start:
                c.restarts += 1
                c.next_start = 0.0
                c.start()
                changed = True
        if changed:
            self.write_state()

    def follow_upload_limit(self) -> None:
        """The office may change the evidence limit on a page: rewrite nginx.conf and have nginx reload it."""
        try:
            limit = self._max_upload_bytes()
        except Exception:  # a busy database: try again next time
            return
        if limit != self.upload_bytes:
            self.upload_bytes = limit
            nginx.write(self._settings())
            self.proxy.stop(signal.SIGHUP)

    def run(self) -> None:
        """Supervise until SIGTERM/SIGINT (or stop() from another thread), then stop everything."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
            signal.signal(signal.SIGINT, lambda *_: self.stopping.set())
        last_limit_check = time.monotonic()
        try:
            while not self.stopping.wait(1):
                self.check_once()
                if time.monotonic() - last_limit_check > LIMIT_CHECK_SECONDS:
                    last_limit_check = time.monotonic()
                    self.follow_upload_limit()
        finally:
            self.stop()

    def stop(self) -> None:
        """nginx first (no new requests), then the workers, then the schedule; waits for all to end."""
        self.stopping.set()
        if self.proxy is not None:
            self.proxy.stop(signal.SIGQUIT)  # nginx: finish what is in flight, then exit
            self.proxy.wait(time.monotonic() + STOP_WAIT_SECONDS / 2)
        for c in self.children:
            c.stop()
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        for c in self.children:
            c.wait(deadline)
        if self.scheduler is not None:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)
            from duban.jobs import scheduler

            scheduler._started.pop(os.path.abspath(str(self.o.db_path)), None)
            self.scheduler = None
        state = self.o.run_dir / WORKERS_FILE
        state.unlink(missing_ok=True)


def serve(options: ServeOptions, ready=None) -> None:
    """Run the service until stopped; `ready(supervisor)` is called once nginx and every worker answer."""
    sup = Supervisor(options)
    sup.start()
    if ready is not None:
        ready(sup)
    sup.run()
