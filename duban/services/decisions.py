"""After a meeting, and outside the plans: 议定事项 and assigned tasks (交办: 领导批示, 上级交办) become tracked tasks."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db.queries import meetings as q
from duban.access import Actor, require_office, require_overseer, require_own_place
from duban.errors import InputError, NotFound
from duban.rules.dates import cn_date
from duban.services import places
from duban.services.tasks import add_task
from duban.services.textinput import as_date, as_id

ASSIGNED_SOURCES = ["领导批示", "上级交办", "其他"]


def assigned_tasks(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """交办任务: tasks the office entered from a leader's instruction or a higher authority (of the places the
    actor sees), newest first."""
    require_overseer(actor, "会议")
    return q.assigned_tasks(db, places=places.visible_places(db, actor))


def _departments(lead_ids, co_ids) -> list[tuple[int, str]]:
    try:
        lead = [int(d) for d in (lead_ids or [])]
        co = [int(d) for d in (co_ids or []) if int(d) not in lead]
    except (TypeError, ValueError):
        raise InputError("责任单位的编号不正确。") from None
    if not lead:
        raise InputError("请至少指定一个牵头单位。")
    return [(d, "lead") for d in lead] + [(d, "co") for d in co]


def _due_phrase(due: dt.date) -> str:
    return f"{cn_date(due)}前"


def record_decision(db: sqlite_utils.Database, actor: Actor, meeting_id: int, title: str, lead_ids: list[int],
                    co_ids: list[int] | None, due, today: dt.date, body: str | None = None) -> int:
    """Record one 议定事项 of a meeting held: it becomes a tracked task of its units, due on its deadline."""
    require_office(actor)
    m = q.meeting(db, as_id(meeting_id, "会议编号"))
    if m is None:
        raise NotFound("会议不存在。")
    require_own_place(actor, m["jurisdiction_id"])
    if m["date"] > today.isoformat():
        raise InputError("会议尚未召开,召开后再录入议定事项。")
    due = as_date(due, "完成时限")
    return add_task(db, actor, title, _departments(lead_ids, co_ids),
                    [{"kind": "once", "due": due.isoformat(), "phrase": _due_phrase(due)}],
                    source="议定事项", source_note=f"{m['title']}({m['date']})", meeting_id=m["id"],
                    body=(body or "").strip() or None, today=today)


def add_assigned_task(db: sqlite_utils.Database, actor: Actor, source: str, title: str, lead_ids: list[int],
                  co_ids: list[int] | None, due, today: dt.date, source_note: str | None = None,
                  body: str | None = None) -> int:
    """Add a task from a leader's instruction (领导批示) or a higher authority (上级交办), carrying its source."""
    require_office(actor)
    if source not in ASSIGNED_SOURCES:
        raise InputError(f"任务来源应为:{'、'.join(ASSIGNED_SOURCES)}。")
    due = as_date(due, "完成时限")
    return add_task(db, actor, title, _departments(lead_ids, co_ids),
                    [{"kind": "once", "due": due.isoformat(), "phrase": _due_phrase(due)}],
                    source=source, source_note=(source_note or "").strip() or None, body=(body or "").strip() or None,
                    today=today)
