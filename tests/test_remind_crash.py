"""A `remind` killed mid-send: the rerun is not blocked, delivers nothing twice, and the dead run is closed."""
from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from db import connect
from tests.remind_world import add_task, make_world
from tests.support import ROOT, free_port


class _StallingHandler:
    """Keeps each message; after the second one it tells the test and withholds its reply until released."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, str, str]] = []
        self.accepted_second = threading.Event()
        self.release = threading.Event()
        self.stall = True

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append((envelope.rcpt_tos[0].lower(), str(msg["Subject"]), str(msg["Message-ID"])))
        if self.stall and len(self.mails) == 2:
            self.accepted_second.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 OK"


def _remind(db_path, port) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_SMTP_")}
    env.update(DUBAN_DB=str(db_path), DUBAN_SMTP_HOST="127.0.0.1", DUBAN_SMTP_PORT=str(port),
               DUBAN_SMTP_FROM="duban@zz.example.gov.cn")
    env.pop("DUBAN_TODAY", None)
    return subprocess.Popen([sys.executable, "-m", "duban", "remind", "--today", "2026-11-23"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_remind_killed_after_the_server_took_a_message_is_resumed_without_sending_it_twice(db_path):
    db = connect(db_path)
    world = make_world(db)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead"), (world.b, "co")], "2026-11-30")
    add_task(db, world, "late", "制定养老服务设施布局专项规划", [(world.c, "lead")], "2026-11-20", plan=world.plan2)
    db.conn.close()

    handler = _StallingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = _remind(db_path, port)
        try:
            assert handler.accepted_second.wait(60), first.stderr.read() if first.poll() is not None else "no mail"
            os.kill(first.pid, signal.SIGKILL)  # the server has the second message; the sender has not recorded it
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
            handler.release.set()
        assert first.returncode == -signal.SIGKILL
        interrupted = handler.mails[1]
        handler.stall = False

        again = _remind(db_path, port)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err  # the dead run's lease does not block the next one
    finally:
        controller.stop()

    delivered = Counter((to, subject) for to, subject, _ in handler.mails)
    assert delivered and max(delivered.values()) == 1, delivered  # nothing delivered twice
    assert {to for to, _, _ in handler.mails} == {"a@zz.example.gov.cn", "b-unit@zz.example.gov.cn",
                                                  "b@zz.example.gov.cn", "c@bt.example.gov.cn",
                                                  "office@zz.example.gov.cn"}
    assert len(set(m[2] for m in handler.mails)) == len(handler.mails)  # each message its own Message-ID

    db = connect(db_path)
    runs = [dict(r) for r in db.conn.execute("SELECT status, detail FROM job_runs WHERE job='remind' ORDER BY id")]
    assert runs[0]["status"] == "error" and "中断" in runs[0]["detail"]
    assert runs[-1]["status"] == "ok"
    stopped = [dict(r) for r in db.conn.execute("SELECT recipient, status, last_error FROM outbox WHERE channel='email' "
                                                "AND status <> 'sent'")]
    assert stopped == [{"recipient": interrupted[0], "status": "abandoned", "last_error": stopped[0]["last_error"]}]
    assert "中断" in stopped[0]["last_error"] and "未自动重发" in stopped[0]["last_error"]
    db.conn.close()


def test_a_held_lease_is_renewed_while_its_holder_works_and_a_gone_holder_loses_it(db):
    import time

    from db.queries import reminders as rq
    from duban.jobs import lease

    with lease.held(db, "remind", "somewhere:1:1:a", ttl=0.4) as got:
        assert got
        first = rq.lease(db, "remind")["expires_at"]
        deadline = time.monotonic() + 10
        while rq.lease(db, "remind")["expires_at"] == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rq.lease(db, "remind")["expires_at"] > first
        assert not lease.acquire(db, "remind", "other", ttl=60)
    assert rq.lease(db, "remind") is None

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    import socket

    assert lease.acquire(db, "overdue", f"{socket.gethostname()}:{gone.pid}:1:x", ttl=600)
    assert lease.acquire(db, "overdue", "next", ttl=600)  # its process is gone: the lease is free at once
