"""Demo report cycles: every plan reports monthly; the first also quarterly and before two joint meetings."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db.queries import cycles as q
from duban.access import SYSTEM
from duban.demo.facts import facts
from duban.services.cycles import add_cycle


def seed(db: sqlite_utils.Database, today: dt.date) -> None:
    """A 每月28日前 cycle per plan; the first plan also 每季度第1个月20日前 and before two joint meetings."""
    f = facts()["cycles"]
    for i, plan in enumerate(q.plans(db)):
        if q.cycles(db, plan["id"]):
            continue
        add_cycle(db, SYSTEM, plan["id"], "monthly", day=f["monthly"]["day"], note=f["monthly"]["note"], is_demo=True)
        if i == 0:
            add_cycle(db, SYSTEM, plan["id"], "quarterly", month=f["first_plan_quarterly"]["month"],
                      day=f["first_plan_quarterly"]["day"], is_demo=True)
            add_cycle(db, SYSTEM, plan["id"], "meeting", is_demo=True,
                      dates=[(today + dt.timedelta(days=m["in_days"]), m["note"]) for m in f["first_plan_meetings"]])
