"""The demo: on first start with --demo, the five seed plans, each city its own office (seed cities under their
provinces, 郑州市 with two districts below it), liaisons, accounts, a living history, tasks dispatched to the
districts and broken down there, indicator actuals, report cycles, meetings and delivered reminders, built from
the facts in seed/demo.json and seed/demo_accounts.json.

Everything the demo writes is derived from a seeded random generator and `today`, so the same date gives
the same database (tests rely on it).
"""
from __future__ import annotations

import datetime as dt
import random
import warnings
from collections.abc import Callable

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import demo as q
from duban import clock
from duban.access import SYSTEM
from duban.demo import cycles, districts, history, indicators, meetings, people, places, reminders
from duban.demo.facts import ACCOUNTS_FILE, demo_accounts, facts
from duban.services import seeding

__all__ = ["ACCOUNTS_FILE", "demo_accounts", "facts", "init"]

# the parts that build on the plans, people and history, in order; each may fail alone (see _run_parts)
PARTS: list[tuple[str, Callable[[sqlite_utils.Database, dt.date], object]]] = [
    ("下级地区任务", districts.seed), ("填报周期", cycles.seed), ("指标实际值", indicators.seed), ("会议", meetings.seed),
    ("提醒", reminders.seed)]


def init(db: sqlite_utils.Database, demo: bool = True, today: dt.date | str | None = None) -> dict:
    """First start with the demo (without it: the seed plans only); all in one transaction, a second run changes nothing."""
    if not demo:
        return seeding.init(db, today)
    today = clock.today(today)
    with transaction(db):
        if seeding.is_initialised(db):
            return seeding.already(db)
        plan_ids = seeding.import_seed_plans(db, today, is_demo=True)
        rng = random.Random(20260101)
        people.seed_liaisons(db, rng)
        district_ids = places.seed(db)
        people.seed_liaisons(db, random.Random(20260102), district_ids)
        users = people.seed_accounts(db)
        offices = people.place_offices(db, users)
        people.seed_extra_tasks(db, today)
        history.seed(db, rng, today, users, offices)
        q.backdate_overdue(db, today.isoformat())
        q.set_meta(db, "demo", "1")
        q.set_meta(db, "initialised", "1")
        failed = _run_parts(db, today)
        audit.record(db, SYSTEM, "初始化", "meta", None,
                     {"demo": True, "plans": plan_ids, "today": today, "failed_demo_parts": failed})
    return {"already": False, "plans": plan_ids, "demo": True, "failed": failed}


def _run_parts(db: sqlite_utils.Database, today: dt.date) -> list[str]:
    """Each part under a savepoint: a failing part is left out and named, so the app still starts with the rest."""
    failed = []
    for name, part in PARTS:
        db.conn.execute("SAVEPOINT demo_part")
        try:
            part(db, today)
        except Exception as e:  # noqa: BLE001 - one part's failure must not stop the first start
            db.conn.execute("ROLLBACK TO demo_part")
            failed.append(f"{name}: {type(e).__name__}: {e}")
            warnings.warn(f"演示数据 {name} 载入失败:{e}", RuntimeWarning, stacklevel=2)
        db.conn.execute("RELEASE demo_part")
    return failed
