"""Reporting periods (报送期): the open period a report is filed in, and locking it when a meeting pack is built,
so the pack's figures stay those of the period and later reports go into the next one.

Each place's office keeps its own periods: its pack locks its own place's open period only, so a district's
pack never moves another city's reports into the next period. A place whose office has never locked a period
follows the periods of the nearest place above it that has, else the whole database's (place None), as every
database did before places kept periods of their own."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import meetings as q
from duban.access import Actor, require_office, require_overseer
from duban.clock import now_text
from duban.errors import InputError


def reporting_window(db: sqlite_utils.Database, meeting: dict, today: dt.date) -> dict:
    """The reports that count for a meeting: those of the reporting period of the meeting's place it falls in
    (for a meeting still ahead, the open period, up to today)."""
    place = q.period_place(db, meeting.get("jurisdiction_id"))
    locked = q.period_on(db, meeting["date"], place)
    if locked is not None and meeting["date"] <= today.isoformat():
        before = _previous(db, locked)
        return {"label": locked["label"], "start": locked["start"], "until": meeting["date"],
                "window": q.report_window(locked, before)}
    last = q.last_locked(db, place)
    start = (dt.date.fromisoformat(last["end"]) + dt.timedelta(days=1)).isoformat() if last else None
    opened = q.open_period(db, place)
    if opened is not None:
        start = opened["start"]
    return {"label": opened["label"] if opened else None, "start": start or "—",
            "until": min(meeting["date"], today.isoformat()), "window": q.report_window(None, last)}


def _previous(db: sqlite_utils.Database, period: dict) -> dict | None:
    place = period["jurisdiction_id"]
    earlier = [p for p in q.periods(db, place) if p["id"] < period["id"] and p["locked_at"]]
    return q.period(db, earlier[-1]["label"], place) if earlier else None


def _next_label(db: sqlite_utils.Database, start: dt.date, place: int | None) -> str:
    return f"{start.year}年第{q.labels_starting(db, f'{start.year}年第', place) + 1}期"


def _open(db: sqlite_utils.Database, today: dt.date, place: int | None) -> dict:
    """The place's open reporting period, started now if there is none."""
    row = q.open_period(db, place)
    if row is not None:
        return row
    last = q.last_locked(db, place)
    if last is not None:
        start = dt.date.fromisoformat(last["end"]) + dt.timedelta(days=1)
    else:
        first = q.first_report_day(db, place)
        # earlier reports still fall in this first period; it is named after the year it is opened in
        start = max(dt.date.fromisoformat(first), dt.date(today.year, 1, 1)) if first else today
        start = min(start, today)
    q.insert_period(db, _next_label(db, start, place), start.isoformat(), place)
    return q.open_period(db, place)


def open_period(db: sqlite_utils.Database, today: dt.date, place_id: int | None = None) -> dict:
    """The period a report filed now on a task of `place_id` belongs to (store its id and label on the report):
    the open period of the place whose periods the task's place follows."""
    with transaction(db):
        return _open(db, today, q.period_place(db, place_id))


def current_period(db: sqlite_utils.Database, today: dt.date, place_id: int | None = None) -> str:
    """The label of the reporting period a report filed now on a task of `place_id` belongs to (None: the whole
    database's)."""
    return open_period(db, today, place_id)["label"]


def list_periods(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The reporting periods of the actor's own place (None: the whole database's), the open one last."""
    require_overseer(actor, "会议")
    return q.periods(db, actor.place_id)


def find_period(db: sqlite_utils.Database, actor: Actor, label: str) -> dict | None:
    """The period of the actor's own place with this label (labels repeat across places)."""
    return q.period(db, label, actor.place_id)


def lock_period(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """The locked period of the actor's own place (None: the whole database's) a pack dated `today` belongs to:
    one already covering that day, else the open period, locked now with `today` as its end (reports filed
    from now on go into the next period). A place's first lock starts its own periods; other places' stay as
    they are."""
    require_office(actor)
    place = actor.place_id
    with transaction(db):
        existing = q.period_on(db, today.isoformat(), place)
        if existing is not None:
            return existing
        last = q.last_locked(db, place)
        if last is not None and today.isoformat() < last["end"]:
            raise InputError(f"{today} 早于已锁定的报送期,无法生成该日的会议材料。")
        row = _open(db, today, place)
        start = min(dt.date.fromisoformat(row["start"]), today)
        if start.isoformat() != row["start"]:
            q.set_period_start(db, row["id"], start.isoformat())
        q.lock_period(db, row["id"], today.isoformat(), now_text(), actor.user_id)
        audit.record(db, actor, "锁定报送期", "report_period", row["id"],
                     {"label": row["label"], "start": start.isoformat(), "end": today.isoformat(),
                      "jurisdiction_id": place})
        return q.period(db, row["label"], place)
