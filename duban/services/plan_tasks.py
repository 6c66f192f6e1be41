"""Storing a plan's tasks: their sections by heading path, their responsible units and their deadlines."""
from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from db.queries import plans as q
from db.queries import tasks as task_q
from duban.services import departments as department_s
from duban.services.plan_check import stored_deadlines
from duban.services.tasks import store_deadlines


class Sections:
    """Sections of a plan keyed by heading path, created on first use."""

    def __init__(self, db: sqlite_utils.Database, plan_id: int) -> None:
        self.db, self.plan_id = db, plan_id
        self.ids: dict[tuple[str, ...], int] = {}
        rows = q.sections(db, plan_id)
        by_id = {r["id"]: r for r in rows}
        for r in rows:
            path, node = [], r
            while node:
                path.insert(0, node["title"])
                node = by_id.get(node["parent_id"])
            self.ids[tuple(path)] = r["id"]
        self.position = max((r["position"] for r in rows), default=0)

    def for_path(self, path: list[str]) -> int | None:
        """The section for a heading path, its missing levels created in order."""
        parent = None
        for level in range(1, len(path) + 1):
            key = tuple(path[:level])
            if key not in self.ids:
                self.position += 1
                self.ids[key] = q.insert_section(self.db, self.plan_id, parent, level, path[level - 1], self.position)
            parent = self.ids[key]
        return parent


def unit_rows(db: sqlite_utils.Database, jid: int, jurisdiction: str, t: dict) -> list[tuple[int, str]]:
    """(department id, role) in the order written; one row per department, lead if any mention is lead."""
    rows: dict[int, str] = {}
    for name in t["units"]:
        dep = department_s.ensure_department(db, jid, name)
        role = "lead" if name in t["lead"] else "co"
        if rows.get(dep) != "lead":
            rows[dep] = role
    return list(rows.items())


def insert_task(db: sqlite_utils.Database, plan_id: int, jid: int, jurisdiction: str, sections: Sections,
                t: dict, start: dt.date, end: dt.date) -> int:
    """Store one extracted task with its units, deadlines and instances over the plan period."""
    task_id = task_q.insert(
        db, plan_id=plan_id, jurisdiction_id=jid, section_id=sections.for_path(t["path"]), seq=t["seq"],
        number=t.get("number"), title=t["title"], body=t.get("text"), path=json.dumps(t["path"], ensure_ascii=False),
        lead_explicit=int(t["lead_explicit"]), ongoing=int(t["ongoing"]), source="规划")
    task_q.set_units(db, task_id, unit_rows(db, jid, jurisdiction, t))
    store_deadlines(db, task_id, stored_deadlines(t), start, end)
    return task_id
