"""Reading stored plans: the list, and one plan with its sections and earlier versions."""
from __future__ import annotations

import sqlite_utils

from db.queries import plans as q
from duban.access import Actor
from duban.errors import AccessDenied, NotFound
from duban.services import departments as department_s


def list_plans(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every plan with jurisdiction, period, version and task counts (a liaison: its own jurisdiction's)."""
    rows = q.list_plans(db)
    allowed = department_s.visible_jurisdictions(db, actor)
    return rows if allowed is None else [r for r in rows if r["jurisdiction_id"] in allowed]


def get_plan(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> dict:
    """One plan with its sections and earlier versions (a liaison: of its own jurisdiction)."""
    plan = q.get(db, plan_id)
    if plan is None:
        raise NotFound("规划不存在。")
    allowed = department_s.visible_jurisdictions(db, actor)
    if allowed is not None and plan["jurisdiction_id"] not in allowed:
        raise AccessDenied("只能查看本地区的规划。")
    plan["sections"] = q.sections(db, plan_id)
    plan["versions"] = q.versions(db, plan_id)
    return plan
