"""Reading stored plans: the list, and one plan with its sections and earlier versions; and the one check of
whether an actor may read or change a plan, by the plan's place."""
from __future__ import annotations

import sqlite_utils

from db.queries import plans as q
from duban.access import Actor, require_own_place
from duban.errors import AccessDenied, NotFound
from duban.services import places


def list_plans(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every plan the actor sees, with jurisdiction, period, version and task counts: an office or leader with a
    place its own place's and those below, a liaison its own jurisdiction's, a whole-database account all."""
    rows = q.list_plans(db)
    allowed = places.visible_places(db, actor)
    return rows if allowed is None else [r for r in rows if r["jurisdiction_id"] in allowed]


def visible_plan(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> dict:
    """A plan the actor may read; NotFound or AccessDenied (Chinese) otherwise."""
    plan = q.get(db, int(plan_id))
    if plan is None:
        raise NotFound("规划不存在。")
    allowed = places.visible_places(db, actor)
    if allowed is not None and plan["jurisdiction_id"] not in allowed:
        raise AccessDenied("只能查看本地区的规划。")
    return plan


def own_plan(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> dict:
    """A plan the actor may change: one of its own place (a lower place's plan is read-only to it)."""
    plan = visible_plan(db, actor, plan_id)
    require_own_place(actor, plan["jurisdiction_id"])
    return plan


def get_plan(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> dict:
    """One plan with its sections and earlier versions (of a place the actor sees)."""
    plan = visible_plan(db, actor, plan_id)
    plan["sections"] = q.sections(db, plan_id)
    plan["versions"] = q.versions(db, plan_id)
    return plan
