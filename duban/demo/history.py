"""The demo's history: reports, reviews, status changes and instance states up to today, one scenario per task."""
from __future__ import annotations

import datetime as dt
import random

import sqlite_utils

from db.queries import demo as q
from db.queries import departments as department_q
from duban.demo.facts import facts
from duban.rules import status as rules


def _at(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def _progress_text(title: str, percent: int, rng: random.Random) -> str:
    short = title[:24] + ("…" if len(title) > 24 else "")
    return rng.choice(facts()["progress_texts"]).format(short=short, percent=percent)


def seed(db: sqlite_utils.Database, rng: random.Random, today: dt.date, users: dict[str, int],
         offices: dict[int, int] | None = None) -> None:
    """Simulated reports, reviews, status changes and instance states up to today, reviewed by the office of
    each plan's place (or the whole-database office)."""
    offices = offices or {}
    scenarios = facts()["scenarios"]
    for task in q.tasks_with_instances(db):
        if not task["lead_id"] or not task["instances"] or task["plan_id"] is None:
            continue
        scenario = rng.choices([s["name"] for s in scenarios], weights=[s["weight"] for s in scenarios])[0]
        past = [i for i in task["instances"] if dt.date.fromisoformat(i["due"]) < today]
        future = [i for i in task["instances"] if dt.date.fromisoformat(i["due"]) >= today]
        if scenario == "closed" and future:
            scenario = "on_track"
        elif scenario == "on_track" and not future:
            scenario = "closed"  # every instance accepted as done: the task was closed (销号)
        _simulate(db, rng, today, task, scenario, past, future,
                  offices.get(task["jurisdiction_id"], users.get("bangong")))


def _simulate(db: sqlite_utils.Database, rng: random.Random, today: dt.date, task: dict, scenario: str,
              past: list[dict], future: list[dict], office: int | None) -> None:
    lead = task["lead_id"]
    user = q.user_for_department(db, lead)
    start = dt.date.fromisoformat(task["published"] or task["period_start"] or task["created_at"][:10])
    start = min(start + dt.timedelta(days=rng.randint(10, 60)), today - dt.timedelta(days=1))
    status, progress = rules.NOT_STARTED, 0
    if scenario == "silent" and rng.random() < 0.5:
        return  # never started: every past instance stays open
    q.insert_history(db, task["id"], status, rules.IN_PROGRESS, user, "开始推进", _at(start, rng))
    status = rules.IN_PROGRESS
    last = start

    def report(inst: dict | None, day: dt.date, percent: int, claimed: str, state: str, note: str | None = None,
               need: dict | None = None) -> None:
        nonlocal last
        day = max(min(day, today - dt.timedelta(days=1)), last)
        reviewed = None if state == "待审核" else min(day + dt.timedelta(days=rng.randint(1, 6)), today)
        coordination_from = None
        if need:
            coordination_from = _coordination_unit(db, task, need["from"])
        q.insert_report(db, {
            "task_id": task["id"], "instance_id": inst["id"] if inst else None, "department_id": lead,
            "user_id": user, "progress_text": _progress_text(task["title"], percent, rng), "percent": percent,
            "claimed_status": claimed, "coordination_need": need["need"] if need else None,
            "coordination_from": coordination_from, "review_state": state,
            "reviewed_by": office if reviewed else None, "reviewed_at": _at(reviewed, rng) if reviewed else None,
            "review_note": note, "period": inst["label"] if inst else None, "created_at": _at(day, rng)})
        last = day

    # instances already past: most were reported and accepted in time; the rest stay open (overdue)
    done_share = next(s["done_share"] for s in facts()["scenarios"] if s["name"] == scenario)
    n_done = int(len(past) * done_share)
    if scenario == "pending" and not future:
        n_done = min(n_done, len(past) - 1)  # the last one is the completion awaiting review
    open_past = []
    for k, inst in enumerate(past):
        due = dt.date.fromisoformat(inst["due"])
        if k < n_done:
            percent = min(100, round(100 * (k + 1) / max(1, len(past) + len(future))))
            day = due - dt.timedelta(days=rng.randint(2, 25))
            report(inst, day, percent, "已完成", "已采纳", "材料齐全,予以采纳。")
            q.set_instance(db, inst["id"], "closed", _at(max(day, last), rng)[:10], None)
            progress = percent
        else:
            q.set_instance(db, inst["id"], "open", None, (due + dt.timedelta(days=1)).isoformat())
            open_past.append(inst)
    target = open_past[0] if open_past else (future[0] if future else None)
    recent = today - dt.timedelta(days=rng.randint(3, 30))
    if scenario == "closed":
        progress = 100
        q.insert_history(db, task["id"], status, rules.DONE_PENDING, user, "牵头单位报告已完成", _at(last, rng))
        close_day = min(last + dt.timedelta(days=rng.randint(3, 20)), today)
        q.insert_history(db, task["id"], rules.DONE_PENDING, rules.CLOSED, office, "审核通过,予以销号",
                         _at(close_day, rng))
        status = rules.CLOSED
    elif scenario == "on_track":
        if future:
            progress = max(progress, rng.randint(45, 90))
            report(future[0], recent, progress, rules.IN_PROGRESS, "已采纳", "进展属实。")
        else:
            progress = 100
    elif scenario == "pending":
        progress = 100
        report(target, recent, 100, "已完成", "待审核")
        if target:
            q.set_instance(db, target["id"], "claimed", None,
                           None if dt.date.fromisoformat(target["due"]) >= today
                           else (dt.date.fromisoformat(target["due"]) + dt.timedelta(days=1)).isoformat())
        q.insert_history(db, task["id"], status, rules.DONE_PENDING, user, "牵头单位报告已完成", _at(last, rng))
        status = rules.DONE_PENDING
    elif scenario == "returned":
        progress = rng.randint(20, 60)
        report(target, recent, progress, "已完成", "已退回", rng.choice(facts()["return_reasons"]))
    elif scenario == "coordination":
        progress = rng.randint(30, 60)
        need = rng.choice(facts()["coordination"])
        report(target, recent, progress, rules.NEEDS_COORDINATION, rng.choice(["待审核", "已采纳"]), None, need)
        q.insert_history(db, task["id"], status, rules.NEEDS_COORDINATION, user, need["need"], _at(last, rng))
        status = rules.NEEDS_COORDINATION
    else:  # silent: started once, then nothing reported lately
        progress = rng.randint(5, 20)
        report(target, start + dt.timedelta(days=rng.randint(5, 40)), progress, rules.IN_PROGRESS, "已采纳", None)
    q.set_task_state(db, task["id"], status, progress, _at(min(last, today), rng))


def _coordination_unit(db: sqlite_utils.Database, task: dict, keyword: str) -> str:
    """The department of the task's jurisdiction asked for help (by keyword), else its first co unit."""
    jid = task["jurisdiction_id"]
    deps = department_q.list_all(db, jid) if jid else []
    named = next((d["name"] for d in deps if keyword in d["name"] and d["id"] != task["lead_id"]), None)
    if named:
        return named
    co = q.co_departments(db, task["id"])
    if co:
        return department_q.get(db, co[0])["name"]
    return facts()["coordination_fallback"]
