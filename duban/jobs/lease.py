"""A lease row per job, so that two processes (the app and a worker, or two app servers) never run one job at once.

The lease is short and renewed by a heartbeat while its holder works, so a holder that died (killed, power cut)
stops blocking the job within minutes; on the same machine a holder whose process is gone loses it at once.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from db import transaction
from db.queries import reminders as q

log = logging.getLogger("duban.jobs")

DEFAULT_TTL = 120  # seconds; renewed every TTL/4 while held, so only a dead holder lets it run out


def holder_gone(holder: str | None) -> bool:
    """Whether a holder id (host:pid:…) names a process on this machine that no longer exists."""
    parts = (holder or "").split(":")
    if len(parts) < 2 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by another account
        return False
    return False


def acquire(db: sqlite_utils.Database, job: str, holder: str, ttl: float = DEFAULT_TTL) -> bool:
    """Take the job's lease if it is free, expired, already ours, or held by a process that is gone."""
    now = time.time()
    with transaction(db):
        if q.take_lease(db, job, holder, now, now + ttl):
            return True
        current = q.lease(db, job)
        if current and holder_gone(current["holder"]):
            log.warning("任务 %s 的上一次运行进程(%s)已不存在,接管其运行权。", job, current["holder"])
            return q.take_lease_from(db, job, current["holder"], holder, now + ttl)
    return False


def release(db: sqlite_utils.Database, job: str, holder: str) -> None:
    """Give the lease back (only if we hold it)."""
    with transaction(db):
        q.release_lease(db, job, holder)


def _heartbeat(path: str | None, job: str, holder: str, ttl: float, stop: threading.Event) -> None:
    """Renew the lease every ttl/4 on a connection of its own until told to stop."""
    if not path:
        return
    from db import connect

    db = connect(path, migrate_schema=False)
    try:
        while not stop.wait(ttl / 4):
            try:
                with transaction(db):
                    if not q.renew_lease(db, job, holder, time.time() + ttl):
                        log.warning("任务 %s 的运行权已被接管。", job)
                        return
            except Exception:  # a busy moment: the next beat tries again, well before the lease runs out
                log.exception("任务 %s 的运行权未能续期", job)
    finally:
        db.conn.close()


@contextmanager
def held(db: sqlite_utils.Database, job: str, holder: str, ttl: float = DEFAULT_TTL) -> Iterator[bool]:
    """Yield whether we got the lease; renewed while the block runs, released when it ends."""
    got = acquire(db, job, holder, ttl)
    stop = threading.Event()
    beat = None
    if got:
        beat = threading.Thread(target=_heartbeat, args=(q.database_file(db), job, holder, ttl, stop),
                                name=f"lease-{job}", daemon=True)
        beat.start()
    try:
        yield got
    finally:
        if got:
            stop.set()
            beat.join(timeout=5)
            release(db, job, holder)
