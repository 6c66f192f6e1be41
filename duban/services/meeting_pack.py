"""The joint-meeting pack's figures (联席会议材料): every count and list the pack and the ledger show, read from
the database in one pass as JSON-ready data, so a locked period can store them and render them again."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

import sqlite_utils

from db.queries import meetings as q
from db.queries import places as places_q
from duban.access import Actor, require_office
from duban.rules import instances as instance_rules
from duban.rules import status as rules
from duban.rules.dates import add_months
from duban.rules.instances import describe
from duban.rules.names import ROLE_NAMES
from duban.rules.rates import on_time_counts, on_time_rate, percent
from duban.services import assessment
from duban.services.indicators import off_course
from duban.services.plans import visible_plan
from duban.services.reports import RETURNED
from duban.services.tasks import list_tasks


class Summary(TypedDict):
    """The pack's 总体情况 figures."""

    tasks: int
    closed: int
    in_progress: int
    pending_review: int
    not_started: int
    overdue: int
    coordination: int
    on_time: int
    due: int
    red: int
    yellow: int
    green: int
    on_time_rate: float | None


class PackFigures(TypedDict):
    """What a meeting pack says, as stored with its reporting period (plain JSON, so it survives storing)."""

    today: str
    plan_id: int | None
    plan_title: str | None
    jurisdiction: str | None
    title: str
    meeting: dict | None
    period: dict | None
    summary: Summary
    departments: list[dict]
    overdue: list[dict]
    coordination: list[dict]
    indicators: list[dict] | None
    upcoming: list[dict]
    upcoming_end: str
    decisions: list[dict]
    assessment: dict
    ledger: list[dict]
    # the tasks of the places below the office's own, listed apart (None: no place below, or the whole database)
    lower: list[dict] | None
    lower_ledger: list[dict] | None


EXCERPT = 80
UPCOMING_MONTHS = 3


def _excerpt(text: str | None, limit: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _returned_mark(report: dict) -> str:
    """A returned report is never passed off as progress: the pack says it was returned."""
    return "(已退回)" if report.get("review_state") == RETURNED else ""


def deadline_text(deadlines: list[dict], instances: list[dict]) -> str:
    """完成时限 as the plan wrote it, with the computed date where there is one."""
    every = [i["due"] for i in instances]
    parts = [instance_rules.deadline_text(d, [i["due"] for i in instances if i["deadline_id"] == d["id"]] or every)
             for d in deadlines]
    if not parts and instances:
        parts.append(instance_rules.deadline_text({"kind": "plan_end"}, every))
    return ";".join(parts)


def collect(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None,
            period: dict | None = None) -> PackFigures:
    """Every figure and list the pack and the ledger show, as plain JSON-ready data (the office builds packs).

    An office with a place counts, ranks and lists its own place's tasks; the tasks of the places below it are
    listed apart (`lower`), and a sibling's never appear (the task list is read within the office's places)."""
    require_office(actor)
    if plan_id is not None:
        visible_plan(db, actor, plan_id)
    iso = today.isoformat()
    window = q.report_window(period)
    scope = q.scope_tasks(db, plan_id)
    meta = {t["id"]: t for t in scope}
    visible_tasks = list_tasks(db, actor, today, task_ids=list(meta)) if meta else []
    tasks = [t for t in visible_tasks if actor.owns_place(t.jurisdiction_id)]
    has_lower = actor.place_id is not None and bool(set(actor.places or ()) - {actor.place_id})
    below = [t for t in visible_tasks if not actor.owns_place(t.jurisdiction_id)] if has_lower else None
    deadlines: dict[int, list[dict]] = defaultdict(list)
    for d in q.scope_deadlines(db, plan_id):
        deadlines[d["task_id"]].append(d)
    instances: dict[int, list[dict]] = defaultdict(list)
    for i in q.scope_instances(db, plan_id):
        instances[i["task_id"]].append(i)
    latest: dict[tuple[int, int], dict] = {}
    for r in q.scope_latest_reports(db, plan_id, window):
        latest[(r["task_id"], r["department_id"])] = r
    jurisdiction_of = {(u["task_id"], u["department_id"]): u["jurisdiction"] for u in q.scope_units(db, plan_id)}
    deadline_by_id = {d["id"]: d for ds in deadlines.values() for d in ds}

    summary = {"tasks": 0, "closed": 0, "in_progress": 0, "pending_review": 0, "not_started": 0, "overdue": 0,
               "coordination": 0, "on_time": 0, "due": 0, "red": 0, "yellow": 0, "green": 0}
    status_key = {rules.CLOSED: "closed", rules.IN_PROGRESS: "in_progress", rules.DONE_PENDING: "pending_review",
                  rules.NOT_STARTED: "not_started", rules.NEEDS_COORDINATION: "coordination"}
    light_key = {rules.RED: "red", rules.YELLOW: "yellow", rules.GREEN: "green"}
    departments: dict[int, dict] = {}
    overdue, coordination, decisions, ledger = [], [], [], []
    upcoming_end = add_months(today, UPCOMING_MONTHS).isoformat()
    upcoming = []

    def progress_of(t, u) -> str:
        r = latest.get((t.id, u.id))
        if not r:
            return "暂无报送"
        text = (f"[{r['reported_on']}] {_excerpt(r['progress_text'], 200)}"
                + (f"(进度{r['percent']}%)" if r.get("percent") is not None
                   and f"{r['percent']}%" not in (r["progress_text"] or "") else ""))
        return text + _returned_mark(r)

    def origin_of(t, m) -> str:
        if t.source == "规划":
            return m["plan_title"] or ""
        if m["meeting_title"]:
            return f"{t.source}:{m['meeting_title']}({m['meeting_date']})"
        return f"{t.source}" + (f":{m['source_note']}" if m["source_note"] else "")

    def ledger_row(n: int, t, u, when: str, origin: str) -> dict:
        return {"seq": n, "task_id": t.id, "title": (f"{t.number}. " if t.number else "") + t.title,
                "lead": "、".join(t.lead) or "—", "unit": u.name, "role": ROLE_NAMES[u.role],
                "deadline": when, "progress": progress_of(t, u), "status": t.status, "light": t.light,
                "origin": origin, "jurisdiction": t.jurisdiction}

    for n, t in enumerate(tasks, start=1):
        m = meta[t.id]
        closed = t.status == rules.CLOSED
        insts = instances[t.id]
        on_time, due = on_time_counts(insts, iso, closed)
        summary["tasks"] += 1
        summary[status_key.get(t.status, "in_progress")] += 1
        summary[light_key[t.light]] += 1
        summary["overdue"] += bool(t.overdue)
        summary["on_time"] += on_time
        summary["due"] += due
        lead = "、".join(t.lead) or "—"
        reports = [latest[(t.id, u.id)] for u in t.departments if (t.id, u.id) in latest]
        newest = max(reports, key=lambda r: (r["reported_on"], r["id"])) if reports else None
        when = deadline_text(deadlines[t.id], insts)
        origin = origin_of(t, m)

        for u in t.departments:
            d = departments.setdefault(u.id, {
                "id": u.id, "name": u.name, "jurisdiction": jurisdiction_of.get((t.id, u.id)),
                "led": 0, "shared": 0, "closed": 0, "overdue": 0, "on_time": 0, "due": 0, "last_report": None})
            d["led" if u.role == "lead" else "shared"] += 1
            d["closed"] += closed
            d["overdue"] += bool(t.overdue)
            if u.role == "lead":
                d["on_time"] += on_time
                d["due"] += due
            r = latest.get((t.id, u.id))
            if r and (d["last_report"] is None or r["reported_on"] > d["last_report"]):
                d["last_report"] = r["reported_on"]
            ledger.append(ledger_row(n, t, u, when, origin))

        if t.overdue:
            late = min((i for i in insts if i["state"] == "open" and i["due"] < iso), key=lambda i: i["due"], default=None)
            dl = deadline_by_id.get(late["deadline_id"]) if late else None
            phrase = (dl.get("phrase") or describe(dl)) if dl else when
            overdue.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction, "lead": lead,
                            "phrase": phrase or "规划期末", "due": late["due"] if late else t.next_due,
                            "days": (today - dt.date.fromisoformat(late["due"])).days if late else None,
                            "report": (_excerpt(newest["progress_text"]) + _returned_mark(newest)) if newest else "暂无报送",
                            "report_date": newest["reported_on"] if newest else None,
                            "report_unit": next((u.name for u in t.departments
                                                 if newest and u.id == newest["department_id"]), None)})

        if not closed:
            asked = [r for r in reports if (r.get("coordination_need") or "").strip()
                     or r["claimed_status"] == rules.NEEDS_COORDINATION]
            names = {u.id: u.name for u in t.departments}
            for r in asked:
                coordination.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "unit": names.get(r["department_id"], ""),
                                     "need": _excerpt(r.get("coordination_need") or r["progress_text"], 120),
                                     "of": (r.get("coordination_from") or "").strip() or "领导小组办公室",
                                     "date": r["reported_on"]})
            if t.status == rules.NEEDS_COORDINATION and not asked:
                coordination.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "unit": lead, "need": "任务状态为需协调,尚未说明具体事项", "of": "—", "date": None})
            for i in insts:
                if i["state"] == "open" and iso <= i["due"] <= upcoming_end:
                    dl = deadline_by_id.get(i["deadline_id"])
                    upcoming.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "lead": lead, "due": i["due"], "period_label": i["period_label"],
                                     "phrase": (dl.get("phrase") or describe(dl)) if dl else "", "status": t.status})

        if t.source != "规划":
            decisions.append({"task_id": t.id, "title": t.title, "source": t.source, "origin": origin,
                              "units": "、".join(u.name for u in t.departments), "due": min((i["due"] for i in insts), default=None),
                              "status": t.status, "light": t.light})

    lower: list[dict] | None = None if below is None else []
    lower_ledger: list[dict] | None = None if below is None else []
    for n, t in enumerate(sorted(below or [], key=lambda t: (t.jurisdiction or "", t.id)), start=1):
        when = deadline_text(deadlines[t.id], instances[t.id])
        lower.append({"seq": n, "task_id": t.id, "jurisdiction": t.jurisdiction, "title": t.title,
                      "lead": "、".join(t.lead) or "—", "deadline": when, "status": t.status, "light": t.light,
                      "overdue": bool(t.overdue)})
        lower_ledger += [ledger_row(n, t, u, when, t.jurisdiction or "") for u in t.departments]

    summary["on_time_rate"] = percent(on_time_rate(summary["on_time"], summary["due"]))
    department_rows = sorted(departments.values(),
                             key=lambda d: (d["jurisdiction"] or "", -d["led"], -d["shared"], d["id"]))
    plan = q.plan(db, plan_id) if plan_id is not None else None
    # the assessment in the pack covers the year so far; each unit's 按时完成率 in section 二 is the same figure
    start = dt.date(today.year, 1, 1).isoformat()
    scores = _assessment(db, actor, start, iso, today, plan_id)
    rate_of = {r["department_id"]: r["completion_rate"] for r in scores["rows"]}
    for d in department_rows:
        d["on_time_rate"] = rate_of.get(d["id"])
    overdue.sort(key=lambda o: (o["due"] or "", o["task_id"]))
    upcoming.sort(key=lambda u: (u["due"], u["task_id"]))
    coordination.sort(key=lambda c: (c["date"] or "", c["task_id"]), reverse=True)

    return {
        "today": iso,
        "plan_id": plan_id,
        "plan_title": plan["title"] if plan else None,
        "jurisdiction": plan["jurisdiction"] if plan else None,
        "title": _title(plan, None if plan or actor.place_id is None else _place_name(db, actor.place_id)),
        "meeting": _next_meeting(db, actor, today, plan_id),
        "period": {"label": period["label"], "start": period["start"], "end": period["end"]} if period else None,
        "summary": summary,
        "departments": department_rows,
        "overdue": overdue,
        "coordination": coordination,
        "indicators": _indicators(db, actor, today, plan_id),
        "upcoming": upcoming,
        "upcoming_end": upcoming_end,
        "decisions": decisions,
        "assessment": scores,
        "ledger": ledger,
        "lower": lower,
        "lower_ledger": lower_ledger,
    }


def _title(plan: dict | None, place: str | None = None) -> str:
    if plan:
        return f"《{plan['title']}》重点任务推进情况"
    return f"{place or ''}重点任务推进情况汇总"


def _place_name(db: sqlite_utils.Database, place_id: int) -> str | None:
    row = places_q.by_id(db, place_id)
    return row["name"] if row else None


def _next_meeting(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None) -> dict | None:
    """The next meeting within six months of the office's own place (of the plan, when the pack is of one)."""
    own = None if actor.place_id is None else frozenset([actor.place_id])
    for m in q.meetings_between(db, today.isoformat(), add_months(today, 6).isoformat(), own):
        if plan_id is None or any(p["id"] == plan_id for p in q.meeting_plans(db, m["id"])):
            return {"id": m["id"], "title": m["title"], "date": m["date"], "kind": m["kind"]}
    return None


def _indicators(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None) -> list[dict] | None:
    out = []
    for r in off_course(db, actor, today, plan_id):
        if not actor.owns_place(r.get("jurisdiction_id")):
            continue  # a lower place's indicators are its own office's to report
        out.append({"name": r.get("name"), "plan": r.get("plan"), "category": r.get("category"),
                    "baseline": r.get("baseline"), "target": r.get("target"), "target_year": r.get("target_year"),
                    "latest": r.get("latest_actual"), "latest_year": r.get("latest_year"),
                    "nature": r.get("nature"), "light": r.get("light"), "units": "、".join(r.get("units") or [])})
    return out


def _assessment(db: sqlite_utils.Database, actor: Actor, start: str, end: str, today: dt.date,
                plan_id: int | None) -> dict:
    result = assessment.evaluate(db, actor, start, end, today, plan_id=plan_id)
    return {"start": result["start"], "end": result["end"], "rule_text": result["rule_text"],
            "rows": [{k: r[k] for k in ("department_id", "department", "jurisdiction", "rank", "note", "score",
                                         "completion_rate", "report_rate", "overdue_items", "overdue_days", "returned")}
                     for r in result["rows"]]}
