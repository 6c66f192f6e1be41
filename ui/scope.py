"""The plans and units a page offers in its choices: those of the places the logged-in account sees.

The lists come from the services that scope them (plans.list_plans, departments.list_departments), so an office
of one place is never offered a sibling place's plan or unit; `own_*` narrows them to the places it may change.
"""
from __future__ import annotations

import sqlite_utils

from duban.access import Actor
from duban.services import departments, plans


def plan_labels(db: sqlite_utils.Database, actor: Actor, own: bool = False) -> dict[int, str]:
    """The plans the actor sees (own=True: of its own place only), labelled "place · title"."""
    return {p["id"]: f"{p['jurisdiction'] or ''} · {p['title']}" for p in plans.list_plans(db, actor)
            if not own or actor.owns_place(p["jurisdiction_id"])}


def department_labels(db: sqlite_utils.Database, actor: Actor, own: bool = False) -> dict[int, str]:
    """The units the actor sees (own=True: of its own place only), labelled "place · name"."""
    return {d.id: f"{d.jurisdiction or ''} · {d.name}" for d in departments.list_departments(db, actor)
            if not own or actor.owns_place(d.jurisdiction_id)}


def own_plan_ids(db: sqlite_utils.Database, actor: Actor) -> set[int]:
    """The plans the actor's office changes: those of its own place (a lower place's plan is read-only to it)."""
    return set(plan_labels(db, actor, own=True))
