"""For reminder tests: a small known world of units, liaisons and deadlines, a real SMTP server and a real
HTTP server on loopback that record what they receive."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from tests.support import free_port

# ---- the world ------------------------------------------------------------------------------------


@dataclass
class World:
    a: int                  # 郑州市 市民政局: liaison account zz-a (a@zz.example.gov.cn) and the same unit address
    b: int                  # 郑州市 市卫健委: liaison account zz-b, unit address b-unit@zz.example.gov.cn
    c: int                  # 包头市 市民政局: no account, unit address c@bt.example.gov.cn
    user_a: int
    user_b: int
    office: int
    plan: int
    plan2: int
    tasks: dict[str, int] = field(default_factory=dict)
    inst: dict[str, int] = field(default_factory=dict)


def _id(db, sql, params=()):
    return db.conn.execute(sql, params).lastrowid


def make_world(db, office_email: str | None = "office@zz.example.gov.cn") -> World:
    """Three units in two cities, two liaison accounts and one office account; tasks are added per test."""
    with db.conn:
        zz = _id(db, "INSERT INTO jurisdictions (name) VALUES ('郑州市')")
        bt = _id(db, "INSERT INTO jurisdictions (name) VALUES ('包头市')")
        a = _id(db, "INSERT INTO departments (name, jurisdiction_id, liaison_name, liaison_email) VALUES (?,?,?,?)",
                ["市民政局", zz, "张伟", "a@zz.example.gov.cn"])
        b = _id(db, "INSERT INTO departments (name, jurisdiction_id, liaison_name, liaison_email) VALUES (?,?,?,?)",
                ["市卫健委", zz, "李娜", "b-unit@zz.example.gov.cn"])
        c = _id(db, "INSERT INTO departments (name, jurisdiction_id, liaison_name, liaison_email) VALUES (?,?,?,?)",
                ["市民政局", bt, "王芳", "c@bt.example.gov.cn"])
        ua = _id(db, "INSERT INTO users (username, display_name, password_hash, role, email) VALUES (?,?,?,?,?)",
                 ["zz-a", "张伟", "x", "liaison", "A@zz.example.gov.cn"])
        ub = _id(db, "INSERT INTO users (username, display_name, password_hash, role, email) VALUES (?,?,?,?,?)",
                 ["zz-b", "李娜", "x", "liaison", "b@zz.example.gov.cn"])
        office = _id(db, "INSERT INTO users (username, display_name, password_hash, role) VALUES (?,?,?,?)",
                     ["bangong", "办公室", "x", "office"])
        db.conn.execute("INSERT INTO user_departments (user_id, department_id) VALUES (?,?), (?,?)", [ua, a, ub, b])
        plan = _id(db, "INSERT INTO plans (jurisdiction_id, title, period_start, period_end) VALUES (?,?,?,?)",
                   [zz, "郑州市“一老一小”整体解决方案", "2024-01-01", "2027-12-31"])
        plan2 = _id(db, "INSERT INTO plans (jurisdiction_id, title, period_start, period_end) VALUES (?,?,?,?)",
                    [bt, "包头市养老服务体系建设规划", "2024-01-01", "2027-12-31"])
        if office_email:
            db.conn.execute("INSERT INTO settings (key, value) VALUES ('office_email', ?)", [office_email])
    return World(a=a, b=b, c=c, user_a=ua, user_b=ub, office=office, plan=plan, plan2=plan2)


def add_task(db, world: World, name: str, title: str, units: list[tuple[int, str]], due: str | dt.date,
             plan: int | None = None, state: str = "open", status: str = "推进中", progress: int = 30) -> int:
    """A task with one deadline instance; returns the instance id (also kept in world.inst[name])."""
    with db.conn:
        tid = _id(db, "INSERT INTO tasks (plan_id, seq, number, title, status, progress) VALUES (?,?,?,?,?,?)",
                  [plan or world.plan, len(world.tasks) + 1, f"({len(world.tasks) + 1})", title, status, progress])
        for pos, (department, role) in enumerate(units):
            db.conn.execute("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?,?,?,?)",
                            [tid, department, role, pos])
        dl = _id(db, "INSERT INTO deadlines (task_id, kind, due, phrase) VALUES (?,?,?,?)",
                 [tid, "once", str(due), f"{due}前完成"])
        iid = _id(db, "INSERT INTO instances (deadline_id, task_id, due, period_label, state) VALUES (?,?,?,?,?)",
                  [dl, tid, str(due), None, state])
    world.tasks[name] = tid
    world.inst[name] = iid
    return iid


def set_smtp(monkeypatch, port: int) -> None:
    monkeypatch.setenv("DUBAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DUBAN_SMTP_PORT", str(port))
    monkeypatch.setenv("DUBAN_SMTP_FROM", "duban@zz.example.gov.cn")
    monkeypatch.delenv("DUBAN_SMTP_USER", raising=False)
    monkeypatch.delenv("DUBAN_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("DUBAN_SMTP_TLS", raising=False)


# ---- a real SMTP server ---------------------------------------------------------------------------


@dataclass
class Mail:
    to: list[str]
    sender: str
    subject: str
    body: str


class _Handler:
    def __init__(self, box: list[Mail]) -> None:
        self.box = box

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = msg.get_body(("plain",))
        self.box.append(Mail(to=[t.lower() for t in envelope.rcpt_tos], sender=envelope.mail_from,
                             subject=str(msg["Subject"]), body=body.get_content() if body else ""))
        return "250 OK"


class SmtpSink:
    """aiosmtpd on 127.0.0.1; can be stopped and started again on the same port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mails: list[Mail] = []
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(_Handler(self.mails), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address.lower() in m.to]


@pytest.fixture(name="smtp")
def smtp_fixture(monkeypatch):
    """`smtp`: a running SMTP server that duban's mail settings (DUBAN_SMTP_*) point at for this test."""
    sink = SmtpSink().start()
    set_smtp(monkeypatch, sink.port)
    yield sink
    sink.stop()


# ---- a real HTTP server for robots --------------------------------------------------------------


class HookSink:
    """A loopback HTTP server that records JSON POSTs and answers like a robot (errcode 0 unless told)."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.reply: dict = {"errcode": 0, "errmsg": "ok"}
        self.status = 200
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                sink.posts.append({"path": self.path, "json": json.loads(raw.decode("utf-8")),
                                   "content_type": self.headers.get("Content-Type")})
                data = json.dumps(sink.reply).encode()
                self.send_response(sink.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> HookSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
