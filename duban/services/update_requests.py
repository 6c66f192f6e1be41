"""Before a meeting: asking each member unit for an update N days ahead, and who has reported since."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import meetings as q
from duban.access import SYSTEM, Actor, require_office, require_own_place
from duban.errors import InputError, NotFound
from duban.services.meetings import get_meeting
from duban.services.messages import queue_message
from duban.services.reporting_periods import reporting_window
from duban.services.textinput import as_id


def send_update_requests(db: sqlite_utils.Database, today: dt.date, actor: Actor = SYSTEM,
                         meeting_id: int | None = None) -> list[dict]:
    """Ask each member unit of every meeting whose notice day has come (N days before it) for an update,
    once per unit and meeting; with meeting_id, that meeting now. An office with a place asks for its own place's
    meetings only. Returns what was sent."""
    require_office(actor)
    sent = []
    with transaction(db):
        if meeting_id is not None:
            m = q.meeting(db, as_id(meeting_id, "会议编号"))
            if m is None:
                raise NotFound("会议不存在。")
            require_own_place(actor, m["jurisdiction_id"])
            if m["date"] < today.isoformat():
                raise InputError("会议已经召开,不再通知报送。")
            due = [m]
        else:
            due = [m for m in q.meetings_between(db, today.isoformat(), (today + dt.timedelta(days=120)).isoformat())
                   if dt.date.fromisoformat(m["date"]) - dt.timedelta(days=m["remind_days"]) <= today
                   and actor.owns_place(m["jurisdiction_id"])]
        for m in due:
            asked = q.requests(db, m["id"])
            start = reporting_window(db, m, today)["start"]
            for department in q.meeting_units(db, m["id"]):
                if department["id"] in asked:
                    continue
                subject = f"请于{m['date']}前报送工作进展({m['title']})"
                body = (f"{department['name']}:\n{m['title']}定于{m['date']}召开。请登录督办系统,"
                        f"于会前报送本单位牵头及配合任务自{start}以来的工作进展、存在问题和需协调事项。")
                queue_message(db, department["id"], subject, body, f"meeting:{m['id']}:dept:{department['id']}", today)
                channel = "queued"
                q.insert_request(db, m["id"], department["id"], today.isoformat(), channel)
                sent.append({"meeting_id": m["id"], "department_id": department["id"], "channel": channel})
        if sent:
            audit.record(db, actor, "会前通知报送", "meeting", meeting_id,
                         {"today": today.isoformat(), "count": len(sent),
                          "meetings": sorted({s["meeting_id"] for s in sent})})
    return sent


def reporting_status(db: sqlite_utils.Database, actor: Actor, meeting_id: int, today: dt.date) -> dict:
    """For each member unit: whether it has reported in the meeting's reporting period, how often, when
    last, and when it was asked; whether the meeting is held, and the day units are asked for updates."""
    m = get_meeting(db, actor, meeting_id)
    w = reporting_window(db, m, today)
    department_ids = [u["id"] for u in m["units"]]
    plan_ids = [p["id"] for p in m["plans"]]
    stats = q.unit_report_stats(db, department_ids, plan_ids, w["window"], until=w["until"]) if department_ids else {}
    asked = q.requests(db, m["id"])
    rows = []
    for u in m["units"]:
        s = stats.get(u["id"])
        rows.append({"department_id": u["id"], "department": u["name"], "jurisdiction": u["jurisdiction"],
                     "reported": bool(s), "reports": s["n"] if s else 0, "last_report": s["last"] if s else None,
                     "asked_on": asked[u["id"]]["sent_on"] if u["id"] in asked else None})
    rows.sort(key=lambda r: (r["reported"], r["department_id"]))
    return {"meeting": m, "period": w["label"], "start": w["start"], "until": w["until"], "units": rows,
            "reported": sum(r["reported"] for r in rows), "missing": sum(not r["reported"] for r in rows),
            "held": m["date"] <= today.isoformat(),
            "notice_day": dt.date.fromisoformat(m["date"]) - dt.timedelta(days=m["remind_days"])}
