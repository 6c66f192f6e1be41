"""Dispatch (下达): a task given to a group of lower places (各县(市)区政府) becomes, on the office's
confirmation, one task of each lower place's own office, linked to it; the lower office accepts it and may
break it down; the upper task's roll-up reads each place's status, progress and light.

A lower office's task moves by its own reports and reviews like any other task; the upper office only reads
it (access.require_own_place). A task can also be given to a lower place by hand (上级交办, assign_down).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import departments as department_q
from db.queries import dispatch as q
from db.queries import places as place_q
from db.queries import tasks as task_q
from duban.access import SYSTEM, Actor, require_office, require_own_place
from duban.clock import now_text
from duban.clock import today as clock_today
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import status as rules
from duban.rules.places import group_level, level_of, lower_level
from duban.rules.records import Task
from duban.services import departments, reports, tasks
from duban.services.task_access import require_task_access
from duban.services.textinput import as_id, clean

WAITING, ACCEPTED = "待接收", "已接收"
SOURCE = "上级交办"
GOVERNMENT = "人民政府"  # the lead unit of a dispatched task: the lower place's government (金水区人民政府)


@dataclass(frozen=True)
class Target:
    """A lower place a task goes to, and the task it already received from it (if any)."""

    place_id: int
    name: str
    level: str | None = None
    child_task_id: int | None = None
    dispatch_state: str | None = None

    @property
    def dispatched(self) -> bool:
        return self.child_task_id is not None


@dataclass(frozen=True)
class PlaceProgress:
    """One lower place's share of a dispatched task: its task's state, status, progress and light."""

    place_id: int
    place: str
    task_id: int
    dispatch_state: str | None
    status: str
    progress: int
    light: str
    done: bool
    late: bool
    next_due: str | None = None


@dataclass(frozen=True)
class Summary:
    """The roll-up in one line: how many places are done of how many, and which are late."""

    done: int
    total: int
    late_places: tuple[str, ...] = ()
    done_places: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        done = f"(已完成:{'、'.join(self.done_places)})" if self.done_places else ""
        late = f",逾期:{'、'.join(self.late_places)}" if self.late_places else ""
        return f"{self.done}/{self.total} 个地区已完成{done}{late}"


@dataclass(frozen=True)
class Upper:
    """The upper task a lower place's task came from (visible: whether the reader may open it)."""

    task_id: int
    title: str
    number: str | None
    place: str | None
    visible: bool


@dataclass(frozen=True)
class DispatchView:
    """What a task's page shows of dispatch for one reader."""

    targets: tuple[Target, ...] = ()
    can_dispatch: bool = False
    progress: tuple[PlaceProgress, ...] = ()
    summary: Summary | None = None
    upper: Upper | None = None
    dispatch_state: str | None = None
    can_accept: bool = False
    can_break_down: bool = False
    read_only: bool = False  # a lower place's task seen from above
    parts: tuple[Task, ...] = ()
    own_departments: tuple[tuple[int, str], ...] = ()  # the place's departments, for its own units
    # the received task's report form, for its office: its lead units and the deadlines a report can be about
    report_units: tuple[dict, ...] = ()
    report_choices: tuple[dict, ...] = ()
    progress_now: int = 0


def _task(db: sqlite_utils.Database, actor: Actor, task_id: int) -> dict:
    """The task row, if the actor may read it."""
    return task_q.get(db, require_task_access(db, actor, task_id).task["id"])


def _level(place: dict, parent_level: str | None = None) -> str | None:
    return place["level"] or level_of(place["name"], parent_level)


def _targets(db: sqlite_utils.Database, task: dict) -> list[Target]:
    wanted = {group_level(u["name"]) for u in task_q.units(db, task["id"])} - {None}
    place_id = task["jurisdiction_id"]
    if not wanted or place_id is None:
        return []
    place = place_q.by_id(db, place_id)
    own_level = _level(place) if place else None
    received = {c["jurisdiction_id"]: c for c in q.children(db, task["id"])}
    out = []
    for child in place_q.children(db, place_id):
        level = _level(child, own_level)
        # a child at the group's level, or above it (its office passes the task further down), or of unknown level
        if level is None or level in wanted or any(lower_level(w, level) for w in wanted):
            got = received.get(child["id"])
            out.append(Target(child["id"], child["name"], level, got["id"] if got else None,
                              got["dispatch_state"] if got else None))
    return out


def targets(db: sqlite_utils.Database, actor: Actor, task_id: int) -> list[Target]:
    """The lower places a task goes to: when its units include a group of lower places (各县(市)区政府,
    各乡镇(街道)), the places directly below the task's place at that level (or of unknown level), each with
    the task it already received."""
    return _targets(db, _task(db, actor, task_id))


def _government(db: sqlite_utils.Database, place: dict) -> int:
    return departments.ensure_department(db, place["id"], f"{place['name']}{GOVERNMENT}")


def _stamp(today: dt.date) -> str:
    return f"{today.isoformat()} {now_text()[11:]}"


def _insert_given(db: sqlite_utils.Database, place: dict, title: str, body: str | None, number: str | None,
                  source_note: str, parent_id: int | None, today: dt.date) -> int:
    """A task given to a lower place's office: led by that place's government, waiting to be accepted."""
    task_id = task_q.insert(db, plan_id=None, jurisdiction_id=place["id"], seq=task_q.max_seq(db, None) + 1,
                            number=number, title=title, body=body, path=None, lead_explicit=1, source=SOURCE,
                            source_note=source_note, parent_task_id=parent_id, dispatch_state=WAITING,
                            created_at=_stamp(today))
    task_q.set_units(db, task_id, [(_government(db, place), "lead")])
    return task_id


def dispatch(db: sqlite_utils.Database, actor: Actor, task_id: int, place_ids: Iterable[int] | None = None,
             today: dt.date | None = None) -> list[int]:
    """Give the task to each lower place it names (or to those of place_ids), once: one task per place, with the
    parent's title, text and deadlines, led by that place's government and waiting for its office to accept.
    Only the office of the task's own place; a place that already has the task gets no second one.
    Returns the new tasks' ids."""
    require_office(actor)
    today = today or clock_today()
    with transaction(db):
        parent = _task(db, actor, task_id)
        require_own_place(actor, parent["jurisdiction_id"])
        if parent["removed"]:
            raise InputError("该任务已从规划中移除,不能下达。")
        found = _targets(db, parent)
        if not found:
            raise InputError("该任务的责任单位中没有下级地区(如“各县(市)区政府”),无需下达。")
        by_id = {t.place_id: t for t in found}
        if place_ids is not None:
            try:
                wanted = [int(p) for p in place_ids]
            except (TypeError, ValueError):
                raise InputError("地区编号不正确。") from None
            strange = [p for p in wanted if p not in by_id]
            if strange:
                raise InputError("只能下达到该任务所属地区的直接下级地区。")
            chosen = [by_id[p] for p in dict.fromkeys(wanted)]
        else:
            chosen = found
        upper = parent["jurisdiction"] or ""
        what = f"{parent['number'] + ' ' if parent['number'] else ''}{parent['title']}"
        note = clean(f"{upper}下达:{what}", "任务来源说明", tasks.MAX_NOTE)
        created = []
        for target in chosen:
            if target.dispatched:
                continue
            child = _insert_given(db, place_q.by_id(db, target.place_id), parent["title"], parent["body"],
                                  parent["number"], note, parent["id"], today)
            q.copy_deadlines(db, parent["id"], child, today.isoformat())
            created.append(child)
        if created:
            audit.record(db, actor, "下达任务", "task", parent["id"],
                         {"title": parent["title"], "children": created,
                          "places": [t.name for t in chosen if not t.dispatched]})
    return created


def _received(db: sqlite_utils.Database, actor: Actor, task_id: int) -> dict:
    """A task given to the actor's own place from above, for its office to act on."""
    require_office(actor)
    task = _task(db, actor, task_id)
    if task["dispatch_state"] is None:
        raise InputError("该任务不是上级下达或交办的任务。")
    require_own_place(actor, task["jurisdiction_id"])
    return task


def _own_units(db: sqlite_utils.Database, actor: Actor, place_id: int | None,
               units: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    units = tasks.normalise_units(units)
    ids = [d for d, _ in units]
    missing = set(ids) - department_q.existing_ids(db, ids)
    if missing:
        raise InputError("责任单位不存在:" + "、".join(str(m) for m in sorted(missing)))
    foreign = department_q.outside_place(db, ids, place_id)
    if foreign:
        raise InputError("责任单位应为本地区的部门:" + "、".join(foreign) + " 属于其他地区。")
    return units


def accept(db: sqlite_utils.Database, actor: Actor, child_task_id: int,
           units: Iterable[tuple[int, str]] | None = None) -> None:
    """The lower office accepts a task given to its place (待接收 -> 已接收), optionally naming its own units
    ((department_id, 'lead'|'co'), all of its own place) instead of its government."""
    with transaction(db):
        task = _received(db, actor, child_task_id)
        chosen = _own_units(db, actor, task["jurisdiction_id"], units) if units else None
        if chosen:
            task_q.set_units(db, task["id"], chosen)
        q.set_state(db, task["id"], ACCEPTED)
        audit.record(db, actor, "接收任务", "task", task["id"],
                     {"title": task["title"], "from": task["dispatch_state"], "units": chosen})


def break_down(db: sqlite_utils.Database, actor: Actor, child_task_id: int, title: str,
               units: Iterable[tuple[int, str]], deadlines: list[dict] | None = None,
               today: dt.date | None = None) -> int:
    """The lower office splits a task it received into a task of its own (its own units and deadlines, by default
    the received task's); accepting it first if it had not. Returns the new task's id."""
    with transaction(db):
        task = _received(db, actor, child_task_id)
        chosen = _own_units(db, actor, task["jurisdiction_id"], units)
        if deadlines is None:
            deadlines = [{k: d[k] for k in ("kind", "due", "freq", "month", "day", "phrase")}
                         for d in task_q.deadlines(db, task["id"])]
        if task["dispatch_state"] == WAITING:
            q.set_state(db, task["id"], ACCEPTED)
            audit.record(db, actor, "接收任务", "task", task["id"], {"title": task["title"], "from": WAITING})
        return tasks.add_task(db, actor, title, chosen, deadlines, SOURCE, source_note=f"分解自:{task['title']}",
                              today=today, parent_task_id=task["id"])


def assign_down(db: sqlite_utils.Database, actor: Actor, place_id: int, title: str, deadlines: list[dict],
                body: str | None = None, source_note: str | None = None, today: dt.date | None = None) -> int:
    """上级交办 by hand: an upper office gives a place below its own a task with its own time limit, led by that
    place's government and waiting for its office to accept. Returns the new task's id."""
    require_office(actor)
    today = today or clock_today()
    title = clean(title, "任务名称", tasks.MAX_TITLE)
    if not title:
        raise InputError("任务名称不能为空。")
    body = clean(body, "任务内容", tasks.MAX_BODY) or None
    deadlines = [tasks.normalise_deadline(d) for d in (deadlines or [])]
    if not deadlines:
        raise InputError("请为交办的任务规定完成时限。")
    with transaction(db):
        place = place_q.by_id(db, as_id(place_id, "地区编号"))
        if place is None:
            raise NotFound("地区不存在。")
        if not actor.sees_place(place["id"]) or place["id"] == actor.place_id:
            raise AccessDenied("只能向本地区的下级地区交办任务。")
        upper = place_q.by_id(db, actor.place_id)["name"] if actor.place_id is not None else "上级"
        note = clean(source_note, "任务来源说明", tasks.MAX_NOTE) or f"{upper}交办"
        task_id = _insert_given(db, place, title, body, None, note, None, today)
        end = dt.date(today.year + (1 if any(d["kind"] == "recurring" for d in deadlines) else 0), 12, 31)
        tasks.store_deadlines(db, task_id, deadlines, today, end)
        audit.record(db, actor, "上级交办", "task", task_id,
                     {"title": title, "place": place["name"], "deadlines": deadlines, "source_note": note})
    return task_id


def assignable_places(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The places below the actor's own that its office may give a task to by hand (id, name, depth), nearest
    first; none for anyone but the office of a place (the whole-database office names a place in assign_down)."""
    if not actor.is_office or actor.place_id is None:
        return []
    return place_q.descendants(db, actor.place_id)


def rollup(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> list[PlaceProgress]:
    """Per lower place the task was dispatched to: its task's state, status, progress, light, whether it is done
    (已销号, after the lower office's review) and late. Readable by anyone who sees the upper task."""
    parent = _task(db, actor, task_id)
    rows = q.children(db, parent["id"])
    if not rows:
        return []
    out = []
    for r in rows:
        # read for anyone who sees the parent (a liaison of the city may not see the district's own task);
        # one task at a time: a handful of places, each light by the one rule, as the task's own page shows it
        t = tasks.get_task(db, SYSTEM, r["id"], today)
        out.append(PlaceProgress(r["jurisdiction_id"], r["place"] or "", t.id, r["dispatch_state"], t.status,
                                 t.progress or 0, t.light, t.status == rules.CLOSED, t.overdue, t.next_due))
    return out


def summary(progress: Iterable[PlaceProgress]) -> Summary:
    """n places done of m, and the late ones."""
    rows = list(progress)
    return Summary(sum(p.done for p in rows), len(rows), tuple(p.place for p in rows if p.late),
                   tuple(p.place for p in rows if p.done))


def received(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[Task]:
    """Tasks given to the actor's own place from above that its office has not accepted yet (none for an account
    of the whole database, which has no place of its own)."""
    if not actor.sees_all or actor.place_id is None:
        return []
    ids = q.waiting(db, [actor.place_id])
    return tasks.list_tasks(db, actor, today, task_ids=ids) if ids else []


def upper(db: sqlite_utils.Database, actor: Actor, task_id: int) -> Upper | None:
    """The upper task a task was dispatched from (None: it came from no upper task of another place)."""
    task = _task(db, actor, task_id)
    if task["parent_task_id"] is None:
        return None
    parent = task_q.get(db, task["parent_task_id"])
    if parent is None or parent["jurisdiction_id"] == task["jurisdiction_id"]:
        return None
    return Upper(parent["id"], parent["title"], parent["number"], parent["jurisdiction"],
                 tasks.can_see(db, actor, parent["id"]))


def parts(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> list[Task]:
    """The tasks a place's office broke a received task down into."""
    ids = q.parts(db, _task(db, actor, task_id)["id"])
    return tasks.list_tasks(db, actor, today, task_ids=ids) if ids else []


def view(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> DispatchView:
    """Everything a task's page shows of dispatch for this reader."""
    task = _task(db, actor, task_id)
    owner = actor.is_office and actor.owns_place(task["jurisdiction_id"])
    found = tuple(_targets(db, task))
    progress = tuple(rollup(db, actor, task["id"], today))
    state = task["dispatch_state"]
    own: tuple = ()
    report_units: tuple = ()
    choices: tuple = ()
    if owner and state is not None:
        own = tuple((d.id, d.name) for d in departments.list_departments(db, actor, task["jurisdiction_id"]))
        if task["status"] != rules.CLOSED and not task["removed"]:
            report_units = tuple({"department_id": u["department_id"], "department_name": u["name"]}
                                 for u in task_q.units(db, task["id"]) if u["role"] == "lead")
            choices = tuple(reports.open_instances(db, actor, task["id"]))
    return DispatchView(
        targets=found, can_dispatch=owner and any(not t.dispatched for t in found) and not task["removed"],
        progress=progress, summary=summary(progress) if progress else None, upper=upper(db, actor, task["id"]),
        dispatch_state=state, can_accept=owner and state == WAITING, can_break_down=owner and state is not None,
        read_only=not actor.owns_place(task["jurisdiction_id"]),
        parts=tuple(parts(db, actor, task["id"], today)), own_departments=own, report_units=report_units,
        report_choices=choices, progress_now=task["progress"] or 0)
