"""Importing an extracted plan in one transaction: what the file is (new, already stored, a revision), then storing it."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import plans as q
from duban.access import Actor, require_office, require_own_place
from duban.errors import AccessDenied, InputError
from duban.services import places
from duban.services.plan_check import display_title, source_hash, validate
from duban.services.plan_diff import PlanDiff, compare
from duban.services.plan_indicators import store_indicators
from duban.services.plan_revision import apply_revision
from duban.services.plan_tasks import Sections, insert_task


class RevisionNeeded(InputError):
    """The file is a revised version of a stored plan; it is applied only once the office confirms the diff."""

    def __init__(self, plan_id: int, diff: PlanDiff) -> None:
        self.plan_id = plan_id
        self.diff = diff
        super().__init__(f"该文件是已导入规划《{diff.old_title}》的修订版,需确认变更后才会更新。")



@dataclass
class ImportCheck:
    """What importing a file would do, before anything is written."""

    kind: str  # new | unchanged | old_version | revision
    plan_id: int | None
    title: str
    message: str
    diff: PlanDiff | None = None



def check_import(db: sqlite_utils.Database, actor: Actor, extraction: dict, source_name: str,
                 source: bytes | str) -> ImportCheck:
    """Say whether a file is new, already imported, or a revision of a stored plan (with its diff); writes nothing."""
    require_office(actor)
    ex = validate(extraction)
    title = display_title(ex)
    stored = already_stored(db, actor, source)
    if stored is not None:
        return stored
    stored = _revised_plan(db, actor, ex)
    if stored:
        diff = compare(db, stored["id"], ex)
        return ImportCheck("revision", stored["id"], stored["title"], f"该文件是已导入规划《{stored['title']}》的修订版。",
                           diff)
    return ImportCheck("new", None, title, f"将导入新规划《{title}》:{len(ex['tasks'])} 项任务,"
                                            f"{len(ex['indicators'])} 个指标。")


def already_stored(db: sqlite_utils.Database, actor: Actor, source: bytes | str) -> ImportCheck | None:
    """The stored plan this very file is (the current or an earlier version), whatever could be read from it."""
    require_office(actor)
    digest = source_hash(source)
    same = q.by_hash(db, digest)
    if same and not actor.sees_place(same["jurisdiction_id"]):
        raise AccessDenied("该文件已作为其他地区的规划导入,未作任何更改。")
    if same:
        return ImportCheck("unchanged", same["id"], same["title"], f"《{same['title']}》已导入过(文件内容相同),未作任何更改。")
    old = q.version_by_hash(db, digest)
    if old and not actor.sees_place(q.get(db, old["plan_id"])["jurisdiction_id"]):
        raise AccessDenied("该文件已作为其他地区的规划导入,未作任何更改。")
    if old:
        return ImportCheck("old_version", old["plan_id"], old["title"],
                           f"该文件是《{old['title']}》的较早版本(第 {old['version']} 版),未作任何更改。")
    return None


def import_plan(db: sqlite_utils.Database, actor: Actor, extraction: dict, source_name: str,
                source_bytes: bytes | str, today: dt.date, *, confirm_revision: bool = False,
                is_demo: bool = False) -> int:
    """Store an extracted plan in one transaction and return its id.

    An office with a place imports plans of its own place and those below (a new lower place is put under its
    own); another place's plan is refused with nothing stored. The same file again changes nothing and returns
    the stored plan's id. A revised version of a stored plan
    (same jurisdiction and title, other content) raises RevisionNeeded with the diff, and is applied only
    with confirm_revision=True.
    """
    require_office(actor)
    ex = validate(extraction)
    digest = source_hash(source_bytes)
    with transaction(db):
        known = already_stored(db, actor, source_bytes)
        if known is not None:
            return known.plan_id
        stored = _revised_plan(db, actor, ex)
        if stored:
            diff = compare(db, stored["id"], ex)
            if not confirm_revision:
                raise RevisionNeeded(stored["id"], diff)
            return apply_revision(db, actor, stored["id"], ex, source_name, digest, today, diff=diff)
        return _insert_plan(db, actor, ex, source_name, digest, today, is_demo)


def _revised_plan(db: sqlite_utils.Database, actor: Actor, ex: dict) -> dict | None:
    """The stored plan a document is a revision of: the same place and title. The place is the one the actor
    may import into (another place's plan is refused); revising needs the plan to be of the actor's own place."""
    place = places.place_of_plan(db, actor, ex["jurisdiction"])
    stored = q.same_document(db, place["id"], ex.get("title")) if place is not None else None
    if stored is not None:
        require_own_place(actor, stored["jurisdiction_id"])
    return stored


def _insert_plan(db: sqlite_utils.Database, actor: Actor, ex: dict, source_name: str, digest: str,
                 today: dt.date, is_demo: bool) -> int:
    jid = places.settle_plan_place(db, actor, ex["jurisdiction"])
    plan_id = q.insert(
        db, jurisdiction_id=jid, title=display_title(ex), issuer=ex.get("issuer"), doc_number=ex.get("doc_number"),
        published=ex.get("published"), period_start=ex["period"]["start"], period_end=ex["period"]["end"],
        source_name=source_name, source_hash=digest, extraction=json.dumps(ex, ensure_ascii=False),
        is_demo=int(is_demo), imported_by=actor.user_id)
    sections = Sections(db, plan_id)
    start, end = dt.date.fromisoformat(ex["period"]["start"]), dt.date.fromisoformat(ex["period"]["end"])
    for t in ex["tasks"]:
        insert_task(db, plan_id, jid, ex["jurisdiction"], sections, t, start, end)
    store_indicators(db, plan_id, jid, ex)
    audit.record(db, actor, "导入规划", "plan", plan_id,
                 {"title": display_title(ex), "source": source_name, "hash": digest, "tasks": len(ex["tasks"]),
                  "indicators": len(ex["indicators"]), "today": today})
    return plan_id
