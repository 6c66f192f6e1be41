"""Reading tasks (each with its units, next due date and light) and adding tasks that come from outside a plan."""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import departments as department_q
from db.queries import instances as inst_q
from db.queries import plans as plan_q
from db.queries import settings as settings_q
from db.queries import status as status_q
from db.queries import tasks as q
from duban.access import Actor, require_office, require_own_place, require_place
from duban.clock import now_text
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import status as rules
from duban.rules.instances import describe, expand_instances
from duban.rules.records import Deadline, Department, Instance, Task, from_row, many
from duban.services import cache
from duban.services.textinput import as_id, clean

SOURCES = ["规划", "议定事项", "领导批示", "上级交办", "其他"]
MAX_TITLE, MAX_BODY, MAX_NOTE = 500, 20000, 500


def warn_days(db: sqlite_utils.Database) -> int:
    """Days before a due date that the light turns yellow (setting warn_days, default 15)."""
    value = settings_q.setting(db, "warn_days")
    try:
        return int(value) if value else rules.DEFAULT_WARN_DAYS
    except ValueError:
        return rules.DEFAULT_WARN_DAYS


def _as_list(value) -> list | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str | int):
        return [value]
    return list(value)


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


@functools.lru_cache(maxsize=32768)
def light(next_due: str | None, last_done: str | None, status: str, progress: int | None, start_text: str | None,
          today: dt.date, warn: int) -> str:
    """A task's light by the status rule (rules.light_from_dates, as light_for reads instances), from its earliest
    open due date, its last finished due date and the plan's start (or the day it was added), as ISO text.
    Remembered: after a write the list and 总览 are computed afresh, and most tasks' inputs are unchanged."""
    return rules.light_from_dates(_date(next_due) if next_due else None, _date(last_done) if last_done else None,
                                  today, status=status, progress=progress or 0,
                                  start=_date(start_text) if start_text else None, warn_days=warn)


def light_of(next_due: str | None, last_done: str | None, row: dict, today: dt.date, warn: int) -> str:
    """The light of a task row (status, progress, period_start or created_at) from its due dates."""
    return light(next_due, last_done, row["status"], row["progress"], row.get("period_start") or row.get("created_at"),
                 today, warn)


def list_tasks(db: sqlite_utils.Database, actor: Actor, today: dt.date, **filters) -> list[Task]:
    """Tasks the actor may see, with units, next due date and light.

    Filters: plan_id, jurisdiction_id, jurisdiction (name), department_id (+ role 'lead'|'co'), status (one or
    several), light (one or several of 红/黄/绿), overdue (bool), q (text in title, body, number or unit names),
    source, meeting_id, due_before / due_after (next due date, inclusive), task_ids, include_removed.
    Each a records.Task: lead and co (names), departments (lead first, with their role), next_due and
    upcoming_due (ISO dates or None), light, overdue, overdue_count.
    """
    visible = None if actor.sees_all else tuple(sorted(actor.department_ids))
    places = None if actor.places is None else tuple(sorted(actor.places))
    include_removed = bool(filters.get("include_removed"))
    rows = _snapshot(db, visible, places, include_removed, today)
    if filters.get("department_id") not in (None, "") or filters.get("q"):
        wanted = q.matching_ids(db, {"department_id": filters.get("department_id"), "role": filters.get("role"),
                                     "q": filters.get("q"), "include_removed": include_removed})
        rows = [r for r in rows if r.id in wanted]
    try:
        equal = {k: (int(filters[k]) if k.endswith("_id") else filters[k])
                 for k in ("plan_id", "jurisdiction_id", "jurisdiction", "source", "meeting_id")
                 if filters.get(k) not in (None, "")}
        task_ids = {int(i) for i in filters["task_ids"]} if filters.get("task_ids") is not None else None
    except (TypeError, ValueError):
        raise InputError("筛选条件中的编号不正确。") from None
    if equal:
        rows = [r for r in rows if all(getattr(r, k) == v for k, v in equal.items())]
    if task_ids is not None:
        rows = [r for r in rows if r.id in task_ids]
    statuses = _as_list(filters.get("status"))
    if statuses:
        rows = [r for r in rows if r.status in statuses]
    lights = _as_list(filters.get("light"))
    overdue_filter = filters.get("overdue")
    due_before = _iso(filters.get("due_before"))
    due_after = _iso(filters.get("due_after"))
    out = []
    for row in rows:
        if lights and row.light not in lights:
            continue
        if overdue_filter is not None and row.overdue != bool(overdue_filter):
            continue
        next_due = row.next_due
        if due_before and (not next_due or next_due > due_before):
            continue
        if due_after and (not next_due or next_due < due_after):
            continue
        out.append(row)
    return out


def _snapshot(db: sqlite_utils.Database, visible: tuple[int, ...] | None, places: tuple[int, ...] | None,
              include_removed: bool, today: dt.date) -> list[Task]:
    """Every task the actor may see with its light, computed once per database state.

    A page rerun asks for the same list many times between writes; the key holds the database's state
    (`cache.data_version`: any commit by any connection, and this connection's own writes in a transaction),
    so any write anywhere computes the list afresh — also when each run has a connection of its own.
    """
    warn = warn_days(db)
    key = (cache.data_version(db), visible, places, include_removed, today, warn)
    snapshots = getattr(db, "_duban_task_snapshots", None)
    if snapshots is None:
        snapshots = {}
        try:
            db._duban_task_snapshots = snapshots
        except AttributeError:
            pass
    if key in snapshots:
        return snapshots[key]
    rows = _compute(db, visible, places, include_removed, today, warn)
    snapshots.clear()  # only the newest state is worth keeping
    snapshots[key] = rows
    return rows


def _compute(db: sqlite_utils.Database, visible: tuple[int, ...] | None, places: tuple[int, ...] | None,
             include_removed: bool, today: dt.date, warn: int) -> list[Task]:
    """Tasks and units in two queries, instances in one, the light of each by the status rules."""
    task_rows, departments_of = q.listing(db, {"visible_departments": visible, "visible_places": places,
                                               "include_removed": include_removed})
    summary = inst_q.summary(db, today.isoformat(), visible)
    juris_names: dict[int, str] | None = None
    out = []
    none = (None, None, 0, None)
    named: dict[tuple, Department] = {}  # one record per department and role, shared by its tasks
    for (task_id, plan_id, plan_title, period_start, jurisdiction_id, jurisdiction, seq, number, title, status,
         progress, source, source_note, meeting_id, ongoing, removed, created_at) in task_rows:
        next_due, last_done, overdue_count, upcoming_due = summary.get(task_id, none)
        if status == rules.CLOSED:
            next_due, overdue_count, upcoming_due = None, 0, None
        departments = departments_of.get(task_id, ())
        deps = tuple([named.get(u) or named.setdefault(u, Department(id=u[0], name=u[2], role=u[1],
                                                                     jurisdiction_id=u[3])) for u in departments])
        if jurisdiction_id is None and departments:
            if juris_names is None:
                juris_names = {j["id"]: j["name"] for j in plan_q.jurisdictions(db)}
            jurisdiction_id = departments[0][3]
            jurisdiction = juris_names.get(jurisdiction_id)
        out.append(many(Task, {
            "id": task_id, "plan_id": plan_id, "plan_title": plan_title, "period_start": period_start,
            "jurisdiction_id": jurisdiction_id, "jurisdiction": jurisdiction, "seq": seq, "number": number,
            "title": title, "status": status, "progress": progress, "source": source, "source_note": source_note,
            "meeting_id": meeting_id, "ongoing": ongoing, "removed": removed, "created_at": created_at,
            "lead": tuple([u[2] for u in departments if u[1] == "lead"]),
            "co": tuple([u[2] for u in departments if u[1] == "co"]),
            "departments": deps,
            "next_due": next_due, "upcoming_due": upcoming_due, "overdue": bool(overdue_count),
            "overdue_count": overdue_count or 0,
            "light": light(next_due, last_done, status, progress, period_start or created_at, today, warn)}))
    return out


def _iso(value) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _visible_task(db: sqlite_utils.Database, actor: Actor, task_id: int) -> dict:
    row = q.get(db, as_id(task_id, "任务编号"))
    if row is None:
        raise NotFound("任务不存在。")
    if not actor.sees_all and not (q.department_ids(db, row["id"]) & actor.department_ids):
        raise AccessDenied("该任务不属于您所在的部门,无权查看。")
    require_place(actor, row["jurisdiction_id"])
    return row


def can_see(db: sqlite_utils.Database, actor: Actor, task_id: int) -> bool:
    """Whether the actor may read this task (it exists, is of a place the actor sees and, for a liaison, is one
    of its departments')."""
    try:
        _visible_task(db, actor, task_id)
    except (NotFound, AccessDenied):
        return False
    return True


def get_task(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> Task:
    """One task in full: body, path, departments (lead first, with liaisons), deadlines with their phrases and
    due dates, instances, status history, light and next due date."""
    row = _visible_task(db, actor, task_id)
    departments = q.units(db, row["id"])
    if row["jurisdiction_id"] is None and departments:
        row["jurisdiction_id"] = departments[0]["jurisdiction_id"]
        row["jurisdiction"] = next((j["name"] for j in plan_q.jurisdictions(db) if j["id"] == row["jurisdiction_id"]),
                                   None)
    closed = row["status"] == rules.CLOSED
    instances = tuple(from_row(Instance, i, overdue=rules.is_overdue(
        rules.Instance(dt.date.fromisoformat(i["due"]), i["state"]), today) and not closed)
        for i in inst_q.of_task(db, row["id"]))
    dues: dict[int | None, list[str]] = {}
    for i in instances:
        dues.setdefault(i.deadline_id, []).append(i.due)
    open_dues = [i.due for i in instances if i.state == "open"] if not closed else []
    done_dues = [i.due for i in instances if i.state != "open"]
    next_due = min(open_dues) if open_dues else None
    return from_row(
        Task, row, progress=row["progress"] or 0, path=tuple(json.loads(row["path"]) if row.get("path") else ()),
        departments=tuple(from_row(Department, u, id=u["department_id"]) for u in departments),
        lead=tuple(u["name"] for u in departments if u["role"] == "lead"),
        co=tuple(u["name"] for u in departments if u["role"] == "co"),
        deadlines=tuple(from_row(Deadline, d, rule=describe(d), dues=tuple(dues.get(d["id"], ())))
                        for d in q.deadlines(db, row["id"])),
        instances=instances, history=tuple(status_q.history(db, row["id"])),
        next_due=next_due, upcoming_due=min((d for d in open_dues if d >= today.isoformat()), default=None),
        light=light_of(next_due, max(done_dues) if done_dues else None, row, today, warn_days(db)),
        overdue=any(i.overdue for i in instances), overdue_count=sum(i.overdue for i in instances))


def task_department_ids(db: sqlite_utils.Database, task_id: int) -> set[int]:
    """The departments answering for a task (for other services' access checks)."""
    return q.department_ids(db, task_id)


def normalise_deadline(d: dict) -> dict:
    """A deadline dict checked and in stored form (dates as ISO text), or InputError in Chinese."""
    if not isinstance(d, dict):
        raise InputError("期限格式不正确。")
    kind = d.get("kind") or "once"
    out = {"kind": kind, "phrase": d.get("phrase")}
    if kind == "once":
        due = d.get("due")
        if not due:
            raise InputError("一次性期限需要填写日期。")
        try:
            out["due"] = due.isoformat() if isinstance(due, dt.date) else dt.date.fromisoformat(str(due)[:10]).isoformat()
        except ValueError:
            raise InputError(f"期限日期不正确:{due}") from None
    elif kind == "recurring":
        freq = d.get("freq") or "yearly"
        if freq not in ("yearly", "semiannual", "quarterly", "monthly"):
            raise InputError(f"未知的周期:{freq}")
        month, day = d.get("month"), d.get("day")
        try:
            month = int(month) if month not in (None, "") else None
            day = int(day) if day not in (None, "") else None
        except (TypeError, ValueError):
            raise InputError("周期期限的月、日应为数字。") from None
        limit = {"yearly": 12, "semiannual": 6, "quarterly": 3, "monthly": 12}[freq]
        if month is not None and not 1 <= month <= limit:
            raise InputError(f"周期期限的月份超出范围:{month}")
        if day is not None and not 1 <= day <= 31:
            raise InputError(f"周期期限的日期超出范围:{day}")
        if freq == "yearly" and month is None:
            month = 12
        out.update(freq=freq, month=month, day=day)
    elif kind not in ("ongoing", "plan_end"):
        raise InputError(f"未知的期限类型:{kind}")
    return out


def normalise_units(units: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """A task's units as (department id, 'lead'|'co'): numbers, known roles, each unit once, and a lead (the first
    unit written when none is named, as plans do)."""
    try:
        units = [(int(d), role) for d, role in units]
    except (TypeError, ValueError):
        raise InputError("责任单位的编号不正确。") from None
    if not units:
        raise InputError("请至少指定一个责任单位。")
    if any(role not in ("lead", "co") for _, role in units):
        raise InputError("责任单位的角色应为牵头(lead)或配合(co)。")
    seen: set[int] = set()
    units = [(d, r) for d, r in units if not (d in seen or seen.add(d))]
    if not any(r == "lead" for _, r in units):
        units[0] = (units[0][0], "lead")
    return units


def store_deadlines(db: sqlite_utils.Database, task_id: int, deadlines: list[dict], period_start: dt.date,
                    period_end: dt.date) -> None:
    """Store a task's deadlines and their instances (no deadline: one instance at the period's end)."""
    rows = []
    for pos, d in enumerate(deadlines):
        deadline_id = q.insert_deadline(db, task_id, d, pos)
        rows += [(deadline_id, task_id, due.isoformat(), label)
                 for due, label in expand_instances(d, period_start, period_end)]
    if not deadlines:
        deadline_id = q.insert_deadline(db, task_id, {"kind": "plan_end", "phrase": None}, 0)
        rows += [(deadline_id, task_id, due.isoformat(), label)
                 for due, label in expand_instances(None, period_start, period_end)]
    inst_q.insert_many(db, rows)


def add_task(db: sqlite_utils.Database, actor: Actor, title: str, departments: Iterable[tuple[int, str]],
             deadlines: list[dict], source: str, source_note: str | None = None, meeting_id: int | None = None,
             plan_id: int | None = None, body: str | None = None, today: dt.date | None = None,
             parent_task_id: int | None = None) -> int:
    """Add a task from a meeting decision, a leader's instruction (领导批示) or a higher authority (上级交办);
    parent_task_id names the task it breaks down (services.dispatch).

    Instances fall inside the plan's period; without a plan, from today to the end of next year
    (a task with no deadline falls due at the end of this year)."""
    from duban.clock import today as clock_today

    require_office(actor)
    title = clean(title, "任务名称", MAX_TITLE)
    if not title:
        raise InputError("任务名称不能为空。")
    body = clean(body, "任务内容", MAX_BODY) or None
    source_note = clean(source_note, "任务来源说明", MAX_NOTE) or None
    if source not in SOURCES:
        raise InputError(f"任务来源应为:{'、'.join(SOURCES)}。")
    try:
        departments = [(int(d), role) for d, role in departments]
        meeting_id = int(meeting_id) if meeting_id is not None else None
        plan_id = int(plan_id) if plan_id is not None else None
    except (TypeError, ValueError):
        raise InputError("责任单位、会议或规划的编号不正确。") from None
    departments = normalise_units(departments)
    deadlines = [normalise_deadline(d) for d in (deadlines or [])]
    today = today or clock_today()
    with transaction(db):
        missing = {d for d, _ in departments} - department_q.existing_ids(db, [d for d, _ in departments])
        if missing:
            raise InputError("责任单位不存在:" + "、".join(str(m) for m in sorted(missing)))
        if meeting_id is not None and not q.meeting_exists(db, meeting_id):
            raise InputError(f"会议不存在:{meeting_id}")
        if plan_id is not None:
            plan = plan_q.get(db, plan_id)
            if plan is None:
                raise NotFound("规划不存在。")
            start, end = dt.date.fromisoformat(plan["period_start"]), dt.date.fromisoformat(plan["period_end"])
            place_id = plan["jurisdiction_id"]
        else:
            place_id = actor.place_id if actor.place_id is not None else \
                department_q.place_of(db, next(d for d, r in departments if r == "lead"))
            start = today
            end = dt.date(today.year + (1 if any(d["kind"] == "recurring" for d in deadlines) else 0), 12, 31)
        require_own_place(actor, place_id)
        foreign = department_q.outside_place(db, [d for d, _ in departments], place_id)
        if foreign and actor.place_id is not None:
            raise InputError("责任单位应为本地区的部门:" + "、".join(foreign) + " 属于其他地区。")
        # the day it was assigned is a business date (the light measures progress from it): from `today`
        task_id = q.insert(db, plan_id=plan_id, jurisdiction_id=place_id, seq=q.max_seq(db, plan_id) + 1, title=title, body=body,
                           path=None, lead_explicit=1, source=source, source_note=source_note, meeting_id=meeting_id,
                           parent_task_id=parent_task_id, created_at=f"{today.isoformat()} {now_text()[11:]}")
        q.set_units(db, task_id, departments)
        store_deadlines(db, task_id, deadlines, start, end)
        audit.record(db, actor, "新增任务", "task", task_id,
                     {"title": title, "source": source, "source_note": source_note, "units": departments,
                      "deadlines": deadlines, "meeting_id": meeting_id, "plan_id": plan_id})
    return task_id
