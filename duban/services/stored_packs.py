"""Meeting packs kept with their reporting period: building a pack locks the period and stores its figures, so
a pack rebuilt for that period, or downloaded again later, shows the same figures."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import meetings as q
from duban.access import Actor, require_office, require_overseer
from duban.errors import NotFound
from duban.services import meeting_pack
from duban.services.meeting_pack import PackFigures
from duban.services.plans import visible_plan
from duban.services.reporting_periods import find_period, list_periods, lock_period
from duban.services.textinput import as_id


@dataclass
class LockedFigures:
    """A pack's figures with the period they are locked in; `reused` when the period already held them."""

    data: PackFigures
    period: str
    reused: bool


def scope_key(plan_id: int | None, place_id: int | None = None) -> str:
    """How a pack's scope is named in the period's stored figures: all plans, or one; an office with a place
    keeps its packs under its place (place:3, place:3:plan:7), so one office never reuses another's."""
    key = "all" if plan_id is None else f"plan:{as_id(plan_id, '规划编号')}"
    if place_id is None:
        return key
    return f"place:{place_id}" + ("" if plan_id is None else f":{key}")


def _scope_plan(key: str, place_id: int | None) -> tuple[bool, int | None]:
    """Whether a stored scope key is this place's (None: the whole database's), and the plan it covers."""
    if place_id is None:
        if key.startswith("place:"):
            return False, None
        rest = key
    elif key == f"place:{place_id}":
        rest = "all"
    elif key.startswith(f"place:{place_id}:"):
        rest = key[len(f"place:{place_id}:"):]
    else:
        return False, None
    if rest == "all":
        return True, None
    if rest.startswith("plan:") and rest[5:].isdigit():
        return True, int(rest[5:])
    return False, None


def lock_figures(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None) -> LockedFigures:
    """The figures of the pack for `today`, locking the reporting period; the first pack of a scope in a period
    stores them, later ones reuse them (the office builds packs)."""
    require_office(actor)
    if plan_id is not None:
        visible_plan(db, actor, as_id(plan_id, "规划编号"))
    key = scope_key(plan_id, actor.place_id)
    with transaction(db):
        period = lock_period(db, actor, today)
        snapshot = json.loads(period["snapshot"] or "{}")
        reused = key in snapshot
        if reused:
            data = snapshot[key]
        else:
            data = meeting_pack.collect(db, actor, today, plan_id, period)
            snapshot[key] = data
            q.set_snapshot(db, period["id"], json.dumps(snapshot, ensure_ascii=False))
            audit.record(db, actor, "生成会议材料", "report_period", period["id"],
                         {"scope": key, "today": today.isoformat(), "summary": data["summary"]})
        return LockedFigures(data=data, period=period["label"], reused=reused)


def stored_figures(db: sqlite_utils.Database, actor: Actor, label: str, plan_id: int | None = None) -> PackFigures:
    """The figures stored when a locked period's pack of this scope was built (office and leaders)."""
    require_overseer(actor, "会议")
    period = find_period(db, actor, label)
    if period is None or not period["locked_at"]:
        raise NotFound("该报送期不存在或尚未锁定。")
    if plan_id is not None:
        visible_plan(db, actor, as_id(plan_id, "规划编号"))
    data = json.loads(period["snapshot"] or "{}").get(scope_key(plan_id, actor.place_id))
    if data is None:
        raise NotFound("该报送期没有生成过这一范围的会议材料。")
    return data


def pack_periods(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """The reporting periods, whether a pack built today would lock a new one (and which), and the locked
    periods whose packs can be downloaded again (office and leaders)."""
    periods = list_periods(db, actor)
    iso = today.isoformat()
    covered = any(p["locked_at"] and p["start"] <= iso <= (p["end"] or "") for p in periods)
    return {"periods": periods, "locks": not covered,
            "open": next((p["label"] for p in periods if not p["locked_at"]), None),
            "stored": [p["label"] for p in periods if p["locked_at"] and p["has_snapshot"]]}


def stored_scopes(db: sqlite_utils.Database, actor: Actor, label: str) -> list[int | None]:
    """The scopes a locked period holds a pack of for the actor's place: None for all plans, else a plan's id."""
    out = []
    for key in period_snapshot(db, actor, label):
        mine, plan_id = _scope_plan(key, actor.place_id)
        if mine:
            out.append(plan_id)
    return out


def period_snapshot(db: sqlite_utils.Database, actor: Actor, label: str) -> dict[str, PackFigures]:
    """The figures stored for a locked period, by scope (office and leaders)."""
    require_overseer(actor, "会议")
    period = find_period(db, actor, label)
    if period is None:
        raise NotFound("该报送期不存在。")
    return json.loads(period["snapshot"] or "{}")
