"""Departments' deadline calendars: which units' calendars a user may download, and the deadlines in one."""
from __future__ import annotations

import sqlite_utils

from db.queries import reminders as q
from duban.access import Actor, require_department, require_place
from duban.errors import NotFound


def _label(row: dict) -> str:
    return f"{row['jurisdiction']} {row['name']}" if row.get("jurisdiction") else row["name"]


def calendar_departments(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The units whose calendar the actor may download: a liaison's own; for the office and leaders every unit
    of their places (of every place, for an account of the whole database)."""
    rows = q.departments(db, actor.places)
    if not actor.sees_all:
        rows = [r for r in rows if r["id"] in actor.department_ids]
    return [{"id": r["id"], "name": r["name"], "label": _label(r)} for r in rows]


def department_deadlines(db: sqlite_utils.Database, actor: Actor, department_id: int) -> tuple[str, list[dict]]:
    """The unit's name (with its place) and every deadline instance of its tasks the actor may see; a liaison gets
    only its own units', an account with a place only its places' units and tasks."""
    require_department(actor, {department_id})
    department = q.department(db, department_id)
    if department is None:
        raise NotFound("单位不存在。")
    require_place(actor, department["jurisdiction_id"])
    return _label(department), q.department_instances(db, department_id, actor.places)
