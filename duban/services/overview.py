"""What the 总览 dashboard shows: one call returning every count and list, for the tasks the actor may see."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from db.queries import overview as q
from db.queries import places as places_q
from duban.access import Actor
from duban.errors import DubanError, InputError
from duban.rules import status as rules
from duban.rules.rates import on_time_counts, on_time_rate, percent
from duban.rules.records import Department, Plan, from_row
from duban.services import cache, indicators, places, tasks

UPCOMING_DAYS = (30, 90)
LIST_LIMIT = 200
DUE_CHOICES = ("overdue",) + tuple(str(d) for d in UPCOMING_DAYS)


def _int_or_none(value: Any, what: str) -> int | None:
    if value in (None, "", "全部"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}编号不正确:{value!r}") from None


def task_filter(actor: Actor, *, plan: Any = None, jurisdiction: Any = None, department: Any = None,
                role: str | None = None, light: Any = None, status: str | None = None, due: Any = None,
                month: str | None = None) -> q.TaskFilter:
    """Check and normalise the dashboard filters; a liaison is always narrowed to its own departments, an
    account with a place to the tasks of its place and those below."""
    lights = (light,) if isinstance(light, str) else tuple(light or ())
    lights = tuple(x for x in lights if x)
    for x in lights:
        if x not in rules.LIGHTS:
            raise InputError(f"未知的灯色:{x!r},应为 红、黄 或 绿。")
    if status and status not in rules.STATUSES:
        raise InputError(f"未知的任务状态:{status!r}")
    if role and role not in ("lead", "co"):
        raise InputError(f"未知的责任类型:{role!r},应为 lead(牵头)或 co(配合)。")
    if due not in (None, "") and str(due) not in DUE_CHOICES:
        raise InputError(f"未知的时限筛选:{due!r}")
    if month:
        try:
            dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InputError(f"月份格式不正确:{month!r},应为 YYYY-MM。") from None
    return q.TaskFilter(
        visible_departments=None if actor.sees_all else frozenset(actor.department_ids),
        visible_places=actor.places,
        plan_id=_int_or_none(plan, "规划"),
        jurisdiction_id=_int_or_none(jurisdiction, "地区"),
        department_id=_int_or_none(department, "部门"),
        role=role or None,
        status=status or None,
        lights=lights,
        due=str(due) if due not in (None, "") else None,
        month=month or None,
    )


def _lit(db: sqlite_utils.Database, f: q.TaskFilter, today: dt.date) -> list[tuple[int, int | None, str, str]]:
    """(id, plan_id, status, light) of the tasks the filter selects, in plan and document order; the light is
    rules.light_for's (through tasks.light, as the task list has it), then the light filter applies."""
    warn = tasks.warn_days(db)
    out = []
    for task_id, plan_id, status, progress, next_due, last_done, start in q.light_inputs(
            db, f, q.params(today.isoformat(), rules.CLOSED)):
        light = tasks.light(next_due, last_done, status, progress, start, today, warn)
        if not f.lights or light in f.lights:
            out.append((task_id, plan_id, status, light))
    return out


def plan_label(plan: dict) -> str:
    """A plan's name for people: its title, else its jurisdiction and file name."""
    if plan.get("title"):
        return plan["title"]
    return f"{plan.get('jurisdiction') or ''}规划({plan.get('source_name') or plan.get('id')})"


def department_label(row: dict) -> str:
    """'郑州市 · 市民政局': department names repeat across jurisdictions."""
    return f"{row['jurisdiction']} · {row['name']}" if row.get("jurisdiction") else row["name"]


def filter_options(db: sqlite_utils.Database, actor: Actor) -> dict:
    """The plans (Plan records), jurisdictions ({id, name}) and departments (Department records) the filters
    offer this actor."""
    return cache.remember(db, ("filter_options", cache.actor_key(actor)), lambda: _filter_options(db, actor))


def _filter_options(db: sqlite_utils.Database, actor: Actor) -> dict:
    visible = None if actor.sees_all else frozenset(actor.department_ids)
    plans = q.plans(db, visible, actor.places)
    departments = q.departments_with_tasks(db, visible, actor.places)
    jurisdictions = q.jurisdictions(db, actor.places)
    if visible is not None:
        keep = {p["jurisdiction_id"] for p in plans} | {d["jurisdiction_id"] for d in departments}
        jurisdictions = [j for j in jurisdictions if j["id"] in keep]
    return {
        "plans": [from_row(Plan, p, label=plan_label(p)) for p in plans],
        "jurisdictions": jurisdictions,
        "departments": [from_row(Department, d, label=department_label(d)) for d in departments],
    }


def _item(row: dict, today: dt.date) -> dict:
    due = dt.date.fromisoformat(row["due"])
    return {**row, "plan_label": plan_label({"title": row["plan_title"], "jurisdiction": row["jurisdiction"],
                                             "source_name": row["source_name"], "id": row["plan_id"]}),
            "days": (due - today).days}


def overview(db: sqlite_utils.Database, actor: Actor, today: dt.date, **filters: Any) -> dict:
    """Every figure of the dashboard for the tasks this actor may see, narrowed by the filters
    (plan, jurisdiction, department, role, light, status, due, month)."""
    f = task_filter(actor, **filters)  # bad input is refused before anything is looked up
    key = ("overview", cache.actor_key(actor), today, repr(sorted(filters.items())))
    return cache.remember(db, key, lambda: _overview(db, f, today))


def _overview(db: sqlite_utils.Database, f: q.TaskFilter, today: dt.date) -> dict:
    params = q.params(today.isoformat(), rules.CLOSED)
    windows = {str(d): (today + dt.timedelta(days=d)).isoformat() for d in UPCOMING_DAYS}
    lit = _lit(db, f, today)
    everything = q.is_everything(f)
    ids = None if everything else [t[0] for t in lit]
    red = [t[0] for t in lit if t[3] == rules.RED]

    by_status = {s: 0 for s in rules.STATUSES}
    by_light = {x: 0 for x in rules.LIGHTS}
    per_plan: dict[Any, dict] = {}
    for _, plan_id, status, light in lit:
        by_status[status] = by_status.get(status, 0) + 1
        by_light[light] += 1
        entry = per_plan.get(plan_id)
        if entry is None:
            entry = per_plan[plan_id] = {"plan_id": plan_id, "total": 0, **{x: 0 for x in rules.LIGHTS}}
        entry["total"] += 1
        entry[light] += 1

    per_dep: dict[int, dict] = {}
    for department_id, role, n, n_red in q.unit_counts(db, ids, red):
        entry = per_dep.setdefault(department_id, {"department_id": department_id, "lead": 0, "co": 0,
                                                   "red_lead": 0, "red_co": 0})
        entry[role] += n
        entry[f"red_{role}"] += n_red or 0

    rows = q.instance_totals(db, params, windows) if everything else q.instance_counts(db, ids, params, windows)
    months: dict[str, dict] = {}
    totals: dict[str, tuple[int, int]] = {}
    for r in rows:
        part = r["part"]
        if part == "m":
            month = r["k1"][:7]
            kind = "done" if r["k2"] != "open" else "overdue" if r["k1"] < params["today"] else "pending"
            entry = months.setdefault(month, {"month": month, "done": 0, "overdue": 0, "pending": 0})
            entry[kind] += r["n"]
        elif part == "x":  # open instances of a closed task: nothing is due any more
            month = r["k1"][:7]
            entry = months.setdefault(month, {"month": month, "done": 0, "overdue": 0, "pending": 0})
            entry["overdue" if r["k1"] < params["today"] else "pending"] -= r["n"]
            entry["done"] += r["n"]
        elif part == "o":
            totals[r["k1"]] = (r["n"] or 0, r["m"] or 0)

    plans = {p["id"]: p for p in q.plans(db, f.visible_departments, f.visible_places)}
    by_plan = []
    for pid, entry in per_plan.items():
        p = plans.get(pid)
        by_plan.append({**entry, "label": plan_label(p) if p else "其他来源任务",
                        "jurisdiction": p["jurisdiction"] if p else None})
    by_plan.sort(key=lambda e: (e["jurisdiction"] or "", e["plan_id"] or 0))

    names = {d["id"]: d for d in q.departments(db, list(per_dep))}
    by_department = []
    for dep_id, entry in per_dep.items():
        d = names.get(dep_id, {"name": str(dep_id), "jurisdiction": None})
        by_department.append({**entry, "name": d["name"], "jurisdiction": d["jurisdiction"],
                              "label": department_label(d)})
    by_department.sort(key=lambda e: (-(e["lead"] + e["co"]), e["label"]))

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    overdue = [_item(r, today) for r in q.due_items(db, ids, params, None, yesterday, LIST_LIMIT)]
    upcoming = [_item(r, today) for r in q.due_items(db, ids, params, params["today"],
                                                      windows[str(max(UPCOMING_DAYS))], LIST_LIMIT)]
    count, n_tasks = totals.get("overdue", (0, 0))
    due_lists = {"overdue": {"count": count, "tasks": n_tasks, "items": overdue}}
    for days in UPCOMING_DAYS:
        count, n_tasks = totals.get(str(days), (0, 0))
        due_lists[str(days)] = {"count": count, "tasks": n_tasks, "items": [i for i in upcoming if i["days"] <= days]}
    return {
        "today": params["today"],
        "warn_days": tasks.warn_days(db),
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_light": by_light,
        "by_plan": by_plan,
        "by_department": by_department,
        "by_month": [months[m] for m in sorted(months)],
        "due": due_lists,
    }


def task_ids(db: sqlite_utils.Database, actor: Actor, today: dt.date, **filters: Any) -> list[int]:
    """The tasks behind a dashboard number: the same filters, the same light rule."""
    return [t[0] for t in _lit(db, task_filter(actor, **filters), today)]


OWN_PLACE = "(本级)"  # the roll-up's first row: the actor's own place, without the places below it


def place_rollup(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """For an office or leader of a place with places below: its own place's tasks (本级) first, then one row per
    place directly below, counted over that place and everything below it, each with its tasks, 红/黄/绿 counts
    and on-time rate (the same rules as every other figure); empty for anyone else."""
    if actor.place_id is None or not actor.sees_all:
        return []
    below = places.children(db, actor.place_id)
    if not below:
        return []
    key = ("place_rollup", cache.actor_key(actor), today)
    return cache.remember(db, key, lambda: _place_rollup(db, actor.place_id, below, today))


def _place_rollup(db: sqlite_utils.Database, own: int, below: list[dict], today: dt.date) -> list[dict]:
    groups = [(own, f"{places_q.by_id(db, own)['name']}{OWN_PLACE}", frozenset([own]))]
    groups += [(c["id"], c["name"], frozenset([c["id"], *(d["id"] for d in places.descendants(db, c["id"]))]))
               for c in below]
    instances: dict[int, list[dict]] = {}
    for i in q.place_instances(db, frozenset().union(*(g[2] for g in groups))):
        instances.setdefault(i["task_id"], []).append(i)
    iso = today.isoformat()
    rows = []
    for place_id, label, subtree in groups:
        lit = _lit(db, q.TaskFilter(visible_places=subtree), today)
        on_time = due = 0
        for task_id, _, status, _ in lit:
            done, fell_due = on_time_counts(instances.get(task_id, []), iso, status == rules.CLOSED)
            on_time, due = on_time + done, due + fell_due
        rows.append({"place_id": place_id, "label": label, "own": place_id == own, "tasks": len(lit),
                     **{x: sum(1 for t in lit if t[3] == x) for x in rules.LIGHTS},
                     "on_time_rate": percent(on_time_rate(on_time, due)), "task_ids": [t[0] for t in lit]})
    return rows


def dashboard(db: sqlite_utils.Database, actor: Actor, today: dt.date, **filters: Any) -> dict:
    """What the 总览 page shows: every figure of `overview`, the filter choices, the indicators off course
    (for the chosen plan and jurisdiction; off_course_error says why they could not be read) and the data
    version the charts are cached under."""
    options = filter_options(db, actor)
    data = overview(db, actor, today, **filters)
    off, error = [], None
    try:
        off = indicators.off_course(db, actor, today, plan_id=filters.get("plan"))
    except DubanError as e:
        error = str(e)
    if "jurisdiction" in filters:
        name = {j["id"]: j["name"] for j in options["jurisdictions"]}.get(filters["jurisdiction"])
        off = [r for r in off if r.get("jurisdiction") == name]
    return {**data, "options": options, "off_course": off, "off_course_error": error,
            "version": cache.data_version(db)}


def chart_plans(by_plan: list[dict], limit: int) -> tuple[list[dict], list[dict]]:
    """The dashboard's plans, each with its full label (place · plan), and those the chart has room for: all of
    them, or, when there are more than `limit`, those with most red lights (then most tasks)."""
    plans = [{**p, "full_label": f"{p['jurisdiction']} · {p['label']}" if p["jurisdiction"] else p["label"]}
             for p in by_plan]
    charted = plans if len(plans) <= limit else sorted(plans, key=lambda p: (-p["红"], -p["total"]))[:limit]
    return plans, charted


def ranked_departments(by_department: list[dict]) -> list[dict]:
    """The departments, those leading most tasks first (then most co-operating, then by name)."""
    return sorted(by_department, key=lambda d: (-d["lead"], -d["co"], d["label"]))
