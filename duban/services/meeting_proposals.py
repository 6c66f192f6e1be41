"""Meetings proposed from the plans' text: the next meeting each recurring meeting deadline calls for."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db.queries import meetings as q
from duban.access import SYSTEM, Actor, require_overseer
from duban.rules.instances import expand_instances
from duban.rules.meeting_clauses import clause, meeting_kind, meeting_title
from duban.services import places
from duban.services.plans import visible_plan
from duban.services.textinput import as_id


def _occurrences(deadline: dict, today: dt.date) -> list[tuple[dt.date, str]]:
    spec = {"kind": "recurring", "freq": deadline["freq"], "month": deadline["month"], "day": deadline["day"]}
    return expand_instances(spec, dt.date(today.year - 1, 1, 1), dt.date(today.year + 2, 12, 31))


def propose_meetings(db: sqlite_utils.Database, plan_id: int, today: dt.date, *,
                     actor: Actor = SYSTEM) -> list[dict]:
    """The next meeting each of a plan's recurring meeting deadlines calls for (联席会议 一季度一次,
    领导小组例会 每半年一次 …), unless a meeting for that period is already set up (office and leaders)."""
    require_overseer(actor, "会议")
    visible_plan(db, actor, as_id(plan_id, "规划编号"))
    plan = q.plan(db, as_id(plan_id, "规划编号"))
    out = []
    for d in q.meeting_deadlines(db, plan["id"]):
        sentence, end = clause(d["body"] or d["title"] or "", d["phrase"] or "")
        kind = meeting_kind(sentence, end, d["freq"])
        if kind is None:
            continue
        occ = _occurrences(d, today)
        nxt = next(((due, label) for due, label in occ if due >= today), None)
        if nxt is None:
            continue
        due, label = nxt
        if q.meeting_for_deadline(db, d["id"], label):
            continue
        name = kind if kind != "其他" else ("全体成员会议" if "全体成员会议" in sentence else "工作会议")
        out.append({"plan_id": plan["id"], "plan_title": plan["title"], "deadline_id": d["id"], "task_id": d["task_id"],
                    "kind": kind, "title": meeting_title(plan["jurisdiction"], label, name, due), "date": due.isoformat(),
                    "period_label": label, "phrase": d["phrase"], "sentence": sentence.strip(), "freq": d["freq"]})
    return out


def proposals(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """Proposed meetings across every plan the office runs, soonest first: an office with a place proposes
    only its own place's (a lower place's office holds its own meetings)."""
    require_overseer(actor, "会议")
    own = None if actor.place_id is None else frozenset([actor.place_id])
    out = []
    for plan in q.plans(db, own if own is not None else places.visible_places(db, actor)):
        out += propose_meetings(db, plan["id"], today, actor=actor)
    return sorted(out, key=lambda p: (p["date"], p["plan_id"], p["kind"]))
