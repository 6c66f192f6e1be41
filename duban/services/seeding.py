"""First start: the five seed plans imported into a database never initialised (the demo adds to it: duban.demo)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import demo as q
from duban import clock
from duban.access import SYSTEM
from duban.extract import extract_file
from duban.services import places as place_s
from duban.services import plan_import
from duban.services import plans as plan_s

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "seed"


def seed_files() -> list[Path]:
    """The plan documents imported on first start."""
    return sorted(SEED_DIR.glob("*.txt"))


def extract_seed(path: Path) -> dict:
    """The extraction of one seed document."""
    return extract_file(path)


def import_seed_plans(db: sqlite_utils.Database, today: dt.date, is_demo: bool = False) -> list[int]:
    """Import every seed document; the plans' ids in file order."""
    return [plan_import.import_plan(db, SYSTEM, extract_seed(p), p.name, p.read_bytes(), today, is_demo=is_demo)
            for p in seed_files()]


def seed_places(db: sqlite_utils.Database) -> int:
    """Store the places the seed plans suggest (a district under its city, a city under its province); how many."""
    return place_s.adopt(db, SYSTEM, place_s.places_from_plans(db))


def is_initialised(db: sqlite_utils.Database) -> bool:
    """True once a first start has run on this database."""
    return q.get_meta(db, "initialised") == "1"


def already(db: sqlite_utils.Database) -> dict:
    """What a second first start reports: nothing changed, the plans there are, whether it holds the demo."""
    return {"already": True, "plans": [p["id"] for p in plan_s.list_plans(db, SYSTEM)], "demo": q.get_meta(db, "demo") == "1"}


def init(db: sqlite_utils.Database, today: dt.date | str | None = None) -> dict:
    """Import the seed plans, in one transaction; running it again changes nothing."""
    today = clock.today(today)
    with transaction(db):
        if is_initialised(db):
            return already(db)
        plan_ids = import_seed_plans(db, today)
        seed_places(db)
        q.set_meta(db, "initialised", "1")
        audit.record(db, SYSTEM, "初始化", "meta", None,
                     {"demo": False, "plans": plan_ids, "today": today, "failed_demo_parts": []})
    return {"already": False, "plans": plan_ids, "demo": False, "failed": []}
