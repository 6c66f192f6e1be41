"""A lease row per job, so that two processes (the app and a worker, or two app servers) never run one job at once."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from db import transaction
from db.queries import reminders as q

DEFAULT_TTL = 30 * 60  # seconds; a holder that died loses the lease after this


def acquire(db: sqlite_utils.Database, job: str, holder: str, ttl: float = DEFAULT_TTL) -> bool:
    """Take the job's lease if it is free, expired or already ours."""
    now = time.time()
    with transaction(db):
        return q.take_lease(db, job, holder, now, now + ttl)


def release(db: sqlite_utils.Database, job: str, holder: str) -> None:
    """Give the lease back (only if we hold it)."""
    with transaction(db):
        q.release_lease(db, job, holder)


@contextmanager
def held(db: sqlite_utils.Database, job: str, holder: str, ttl: float = DEFAULT_TTL) -> Iterator[bool]:
    """Yield whether we got the lease; it is released when the block ends."""
    got = acquire(db, job, holder, ttl)
    try:
        yield got
    finally:
        if got:
            release(db, job, holder)
