"""Demo meetings: a joint meeting held (its pack's period locked, two decisions recorded) and one coming up,
both of the city whose plan names joint meetings."""
from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from db import transaction
from db.queries import meetings as q
from duban.access import SYSTEM
from duban.demo.facts import facts
from duban.rules.meeting_clauses import meeting_title
from duban.services import meeting_pack
from duban.services.decisions import record_decision
from duban.services.meeting_proposals import propose_meetings
from duban.services.meetings import create_meeting
from duban.services.reporting_periods import lock_period
from duban.services.stored_packs import scope_key


def _weekday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def seed(db: sqlite_utils.Database, today: dt.date) -> None:
    """The first plan that names joint meetings gets one already held (with decisions) and one to come."""
    f = facts()["meetings"]
    plan = next((p for p in q.plans(db) if propose_meetings(db, p["id"], today)), None)
    if plan is None:
        return
    proposal = next((p for p in propose_meetings(db, plan["id"], today) if p["kind"] == "联席会议"),
                    propose_meetings(db, plan["id"], today)[0])
    quarterly = proposal["freq"] == "quarterly"
    past = _weekday_before(today - dt.timedelta(days=f["held"]["days_ago"]))
    past_label = (f"{past.year}年第{(past.month - 1) // 3 + 1}季度" if quarterly else proposal["period_label"])
    past_id = create_meeting(db, SYSTEM, proposal["kind"], past, [plan["id"]],
                             title=meeting_title(plan["jurisdiction"], past_label, proposal["kind"], past),
                             deadline_id=proposal["deadline_id"] if quarterly else None,
                             period_label=past_label if quarterly else None, remind_days=f["held"]["remind_days"],
                             notes=f["held"]["notes"], is_demo=True)
    # the pack was built on the meeting day: that period is locked with its figures
    with transaction(db):
        period = lock_period(db, SYSTEM, past)
        data = meeting_pack.collect(db, SYSTEM, past, plan["id"], period)
        q.set_snapshot(db, period["id"], json.dumps({scope_key(plan["id"]): data}, ensure_ascii=False))
    departments = {d["name"]: d["id"] for d in q.departments(db, q.plan_departments(db, [plan["id"]]))}
    ids = list(departments.values())

    def department(spec: dict) -> int:
        return departments.get(spec["name"], ids[spec["else"] % len(ids)])

    for d in f["decisions"]:
        due = dt.date(today.year, 12, 31) if d.get("due_year_end") else past + dt.timedelta(days=d["due_days_after_meeting"])
        record_decision(db, SYSTEM, past_id, d["title"], [department(u) for u in d["lead"]],
                        [department(u) for u in d["co"]], due, today=past, body=d["body"])
    create_meeting(db, SYSTEM, proposal["kind"], _weekday_before(today + dt.timedelta(days=f["coming"]["in_days"])),
                   [plan["id"]], title=proposal["title"], deadline_id=proposal["deadline_id"],
                   period_label=proposal["period_label"], remind_days=f["coming"]["remind_days"],
                   notes=f["coming"]["notes"], is_demo=True)
