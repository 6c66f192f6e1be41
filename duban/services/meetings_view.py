"""What the 会议 page shows: the meetings proposed and set up, who has reported before one, the reporting periods
and their stored packs, and the tasks assigned outside the plans."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from duban.access import Actor
from duban.clock import local_time
from duban.services import decisions, meetings, stored_packs, update_requests


def schedule(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """The meetings the plans call for, every meeting set up, and the one to open first."""
    return meetings.schedule(db, actor, today)


def accept_proposal(db: sqlite_utils.Database, actor: Actor, proposal: dict) -> int:
    """Set up a proposed meeting on its proposed date."""
    return meetings.accept_proposal(db, actor, proposal)


def reporting_status(db: sqlite_utils.Database, actor: Actor, meeting_id: int, today: dt.date) -> dict:
    """One meeting, its units, and which of them have reported in the period before it."""
    return update_requests.reporting_status(db, actor, meeting_id, today)


def send_update_requests(db: sqlite_utils.Database, actor: Actor, meeting_id: int, today: dt.date) -> list:
    """Ask the meeting's units not yet asked to report their progress now; those asked."""
    return update_requests.send_update_requests(db, today, actor, meeting_id=meeting_id)


def pack_periods(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """The reporting periods, each with the time it was locked in the office's time, and the packs stored."""
    found = stored_packs.pack_periods(db, actor, today)
    return dict(found, periods=[dict(p, locked_time=local_time(p["locked_at"])) for p in found["periods"]])


def assigned_tasks(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The tasks assigned outside the plans (leaders' instructions, higher offices)."""
    return decisions.assigned_tasks(db, actor)
