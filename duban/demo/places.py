"""The demo's places: each seed city under its province, and 郑州市's two districts below it with their departments."""
from __future__ import annotations

import sqlite_utils

from db.queries import places as place_q
from duban.access import SYSTEM
from duban.demo.facts import facts
from duban.errors import InputError
from duban.rules.places import level_of
from duban.services import departments as department_s
from duban.services import places as place_s
from duban.services import seeding


def seed(db: sqlite_utils.Database) -> list[int]:
    """Store the places the plans suggest, the provinces above the seed cities and the districts below them
    (with their own departments); the districts' ids, in the order listed."""
    f = facts()["places"]
    seeding.seed_places(db)
    for city, province in f["provinces"].items():
        here = place_q.by_name(db, city)
        if here is None or here["parent_id"] is not None:
            continue
        top = place_q.by_name(db, province)
        top_id = top["id"] if top else place_s.add_place(db, SYSTEM, province)
        place_s.move_place(db, SYSTEM, here["id"], top_id)
    for row in place_q.all_places(db):  # the seed cities were stored from their plans without a level
        if row["level"] is None and level_of(row["name"]):
            place_q.set_level(db, row["id"], level_of(row["name"]))
    districts = []
    for city, below in f["districts"].items():
        parent = place_q.by_name(db, city)
        if parent is None:
            raise InputError(f"演示数据的地区不存在:{city}")
        for spec in below:
            here = next((c for c in place_q.children(db, parent["id"]) if c["name"] == spec["name"]), None)
            place_id = here["id"] if here else place_s.add_place(db, SYSTEM, spec["name"], parent["id"])
            for name in spec["departments"]:
                department_s.ensure_department(db, place_id, name)
            districts.append(place_id)
    return districts
