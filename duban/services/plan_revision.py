"""Applying a confirmed revision: matched tasks keep their ids, reports and history."""
from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import instances as inst_q
from db.queries import plans as q
from db.queries import tasks as task_q
from duban.access import Actor, require_office
from duban.clock import now_text
from duban.errors import InputError
from duban.rules.instances import expand_instances
from duban.services.plan_check import display_title, source_hash, stored_deadlines, validate
from duban.services.plan_diff import PlanDiff, compare, deadline_key
from duban.services.plan_indicators import store_indicators
from duban.services.plan_tasks import Sections, insert_task, unit_rows
from duban.services.plans import own_plan


def apply_revision(db: sqlite_utils.Database, actor: Actor, plan_id: int, extraction: dict, source_name: str,
                   source_bytes: bytes | str, today: dt.date, diff: PlanDiff | None = None) -> int:
    """Apply a confirmed revision: matched tasks keep their ids, reports and history; dropped tasks are marked
    removed; new tasks are added; instances already reported on are kept. Only the plan's own place's office
    revises it (a lower place's plan is read-only to the office above)."""
    require_office(actor)
    ex = validate(extraction)
    digest = source_hash(source_bytes)
    with transaction(db):
        plan = own_plan(db, actor, plan_id)
        if q.by_hash(db, digest) and q.by_hash(db, digest)["id"] != plan_id:
            raise InputError("该文件已作为另一个规划导入。")
        diff = diff if diff is not None else compare(db, plan_id, ex)
        jid, jname = plan["jurisdiction_id"], ex["jurisdiction"]
        q.save_version(db, plan)
        q.update(db, plan_id, title=display_title(ex), issuer=ex.get("issuer"), doc_number=ex.get("doc_number"),
                 published=ex.get("published"), period_start=ex["period"]["start"], period_end=ex["period"]["end"],
                 source_name=source_name, source_hash=digest, extraction=json.dumps(ex, ensure_ascii=False),
                 version=plan["version"] + 1, imported_at=now_text(), imported_by=actor.user_id)
        start, end = dt.date.fromisoformat(ex["period"]["start"]), dt.date.fromisoformat(ex["period"]["end"])
        sections = Sections(db, plan_id)
        for task_id, j in diff.matches:
            t = ex["tasks"][j]
            task_q.update(db, task_id, section_id=sections.for_path(t["path"]), seq=t["seq"], number=t.get("number"),
                          title=t["title"], body=t.get("text") or task_q.get(db, task_id)["body"],
                          path=json.dumps(t["path"], ensure_ascii=False), lead_explicit=int(t["lead_explicit"]),
                          ongoing=int(t["ongoing"]))
            task_q.set_units(db, task_id, unit_rows(db, jid, jname, t))
            _revise_deadlines(db, task_id, stored_deadlines(t), start, end, today)
        for t in diff.removed:
            task_q.mark_removed(db, t["id"])
        for t in diff.added:
            insert_task(db, plan_id, jid, jname, sections, ex["tasks"][t["index"]], start, end)
        store_indicators(db, plan_id, jid, ex, actor)
        audit.record(db, actor, "修订规划", "plan", plan_id,
                     {"from_version": plan["version"], "to_version": plan["version"] + 1, "source": source_name,
                      "hash": digest, **diff.counts()})
    return plan_id


def _revise_deadlines(db: sqlite_utils.Database, task_id: int, new: list[dict], start: dt.date, end: dt.date,
                      today: dt.date) -> None:
    """Bring a task's deadlines and instances to the new version, keeping instances with the same due date."""
    old = task_q.deadlines(db, task_id)
    if [deadline_key(d) for d in old] == [deadline_key(d) for d in new]:
        ids = [d["id"] for d in old]
        stale: list[int] = []
    else:
        ids = [task_q.insert_deadline(db, task_id, d, pos) for pos, d in enumerate(new)]
        stale = [d["id"] for d in old]
    desired = [(deadline_id, due.isoformat(), label)
               for deadline_id, d in zip(ids, new, strict=True) for due, label in expand_instances(d, start, end)]
    existing = inst_q.of_task(db, task_id)
    by_due: dict[str, list[dict]] = {}
    for inst in existing:
        by_due.setdefault(inst["due"], []).append(inst)
    used: set[int] = set()
    to_insert = []
    for deadline_id, due, label in desired:
        same = next((i for i in by_due.get(due, []) if i["id"] not in used), None)
        if same:
            used.add(same["id"])
            inst_q.repoint(db, same["id"], deadline_id, label)
        else:
            to_insert.append((deadline_id, task_id, due, label))
    for inst in existing:
        if inst["id"] in used:
            continue
        if inst["state"] == "open" and not inst_q.is_referenced(db, inst["id"]):
            inst_q.delete(db, inst["id"])
        else:
            inst_q.repoint(db, inst["id"], None, None)
            if inst["state"] == "open":
                inst_q.set_state(db, inst["id"], "closed", today.isoformat())
    for deadline_id in stale:
        task_q.delete_deadline(db, deadline_id)
    inst_q.insert_many(db, to_insert)
