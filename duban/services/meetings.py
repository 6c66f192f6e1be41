"""Joint meetings (联席会议, 领导小组例会): setting them up, with their plans and member units, and reading them back.

Proposing meetings from a plan's text is in meeting_proposals, asking for updates in update_requests, the reporting
periods in reporting_periods, packs in stored_packs, decisions and assigned tasks (交办) in decisions."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import meetings as q
from duban.access import Actor, require_office, require_overseer, require_place
from duban.errors import InputError, NotFound
from duban.rules.dates import cn_month
from duban.services import places
from duban.services.meeting_proposals import proposals
from duban.services.reminder_rules import meeting_request_days
from duban.services.textinput import as_date, as_id, clean

KINDS = ["联席会议", "领导小组例会", "其他"]
DEFAULT_REMIND_DAYS = 7
MAX_TITLE, MAX_NOTES = 200, 2000


def list_meetings(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every meeting of the places the actor sees, latest first, with counts of plans, member units and decisions."""
    require_overseer(actor, "会议")
    return q.meetings(db, places.visible_places(db, actor))


def get_meeting(db: sqlite_utils.Database, actor: Actor, meeting_id: int) -> dict:
    """One meeting with its plans, member units and the tasks its decisions became."""
    require_overseer(actor, "会议")
    row = q.meeting(db, as_id(meeting_id, "会议编号"))
    if row is None:
        raise NotFound("会议不存在。")
    require_place(actor, row["jurisdiction_id"])
    row["plans"] = q.meeting_plans(db, row["id"])
    row["units"] = q.meeting_units(db, row["id"])
    row["decisions"] = q.decision_tasks(db, row["id"])
    return row


def schedule(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """What the office plans meetings from: the meetings the plans call for, every meeting set up (held, today
    or coming), and the one to open first (the next to come, else the latest)."""
    rows = list_meetings(db, actor)
    iso = today.isoformat()
    for m in rows:
        m["state"] = "已召开" if m["date"] < iso else ("今天" if m["date"] == iso else "即将召开")
    coming = [m["id"] for m in sorted(rows, key=lambda m: m["date"]) if m["date"] >= iso]
    first = coming[0] if coming else (rows[0]["id"] if rows else None)
    return {"proposals": proposals(db, actor, today), "meetings": rows, "first": first}


def list_plans(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The plans a meeting can cover: those of the places the actor sees."""
    return q.plans(db, places.visible_places(db, actor))


def create_meeting(db: sqlite_utils.Database, actor: Actor, kind: str, date, plan_ids: list[int],
                   department_ids: list[int] | None = None, title: str | None = None,
                   remind_days: int | None = None, notes: str | None = None, deadline_id: int | None = None,
                   period_label: str | None = None, is_demo: bool = False) -> int:
    """Set up a meeting; without member units given, every unit answering for a task of its plans.

    The meeting belongs to the office's place (a whole-database office's: its plans' place); its plans and units
    are of the places the office sees."""
    require_office(actor)
    if kind not in KINDS:
        raise InputError(f"会议类型应为:{'、'.join(KINDS)}。")
    day = as_date(date, "会议日期")
    try:
        plan_ids = [int(p) for p in plan_ids or []]
        department_ids = [int(d) for d in department_ids] if department_ids is not None else None
        deadline_id = int(deadline_id) if deadline_id is not None else None
    except (TypeError, ValueError):
        raise InputError("规划、成员单位或期限的编号不正确。") from None
    if not plan_ids:
        raise InputError("请至少选择一个规划。")
    if remind_days is None:
        remind_days = default_remind_days(db)
    try:
        remind_days = int(remind_days)
    except (TypeError, ValueError):
        raise InputError("提前通知天数应为整数。") from None
    if not 0 <= remind_days <= 90:
        raise InputError("提前通知天数应在 0 到 90 天之间。")
    title = clean(title, "会议名称", MAX_TITLE)
    notes = clean(notes, "会议说明", MAX_NOTES)
    period_label = clean(period_label, "期次", MAX_TITLE) or None
    with transaction(db):
        visible = places.visible_places(db, actor)
        known = {p["id"]: p for p in q.plans(db, visible)}
        missing = [p for p in plan_ids if p not in known]
        if missing:
            raise InputError("规划不存在:" + "、".join(map(str, missing)))
        if deadline_id is not None:
            deadline_plan = q.deadline_plan(db, int(deadline_id))
            if deadline_plan is None or (deadline_plan and deadline_plan not in plan_ids):
                raise InputError(f"会议所依据的规划期限不存在或不属于所选规划:{deadline_id}")
        if department_ids is None:
            department_ids = q.plan_departments(db, plan_ids)
        department_ids = [int(d) for d in department_ids]
        if not department_ids:
            raise InputError("请至少选择一个成员单位。")
        found = {d["id"] for d in q.departments(db, department_ids, visible)}
        if set(department_ids) - found:
            raise InputError("成员单位不存在:" + "、".join(map(str, sorted(set(department_ids) - found))))
        if not title:
            juris = known[plan_ids[0]]["jurisdiction"] or ""
            title = f"{juris}{cn_month(day)}{kind}"
        meeting_id = q.insert_meeting(db, kind=kind, title=title, date=day.isoformat(), remind_days=remind_days,
                                      deadline_id=deadline_id, period_label=period_label,
                                      notes=notes or None, is_demo=is_demo, created_by=actor.user_id,
                                      jurisdiction_id=_meeting_place(actor, [known[p] for p in plan_ids]))
        q.set_meeting_plans(db, meeting_id, plan_ids)
        q.set_meeting_units(db, meeting_id, department_ids)
        audit.record(db, actor, "新建会议", "meeting", meeting_id,
                     {"kind": kind, "title": title, "date": day.isoformat(), "plans": plan_ids,
                      "units": len(department_ids), "deadline_id": deadline_id})
    return meeting_id


def _meeting_place(actor: Actor, plans: list[dict]) -> int | None:
    """The place a new meeting belongs to: the office's own, else (the whole database) its first plan's."""
    if actor.place_id is not None:
        return actor.place_id
    return min((p["jurisdiction_id"] for p in plans if p["jurisdiction_id"] is not None), default=None)


def default_remind_days(db: sqlite_utils.Database) -> int:
    """Days before a meeting that member units are asked for an update (the reminder rules', else 7)."""
    days = meeting_request_days(db)
    return days[0] if days else DEFAULT_REMIND_DAYS


def accept_proposal(db: sqlite_utils.Database, actor: Actor, proposal: dict, date=None) -> int:
    """Set up a proposed meeting (on its proposed date unless another is given)."""
    return create_meeting(db, actor, proposal["kind"], date or proposal["date"], [proposal["plan_id"]],
                          title=proposal["title"], deadline_id=proposal["deadline_id"],
                          period_label=proposal["period_label"],
                          notes=f"依据规划条款:{proposal['sentence'][:MAX_NOTES - 10]}")


# ---------------------------------------------------------------- demo
