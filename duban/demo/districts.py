"""The demo's dispatch (下达): 郑州市's tasks for its districts given to 金水区 and 二七区, accepted there with
the districts' own units, broken down into their own tasks, reported by their liaisons and reviewed by their
offices, so the city's roll-up shows one district done and one behind. Every step goes through the services,
then is dated on the day it happened (the demo's past), so the same `today` gives the same database.
"""
from __future__ import annotations

import datetime as dt
import random

import sqlite_utils

from db.queries import demo as q
from db.queries import places as place_q
from duban.access import Actor
from duban.demo import people
from duban.demo.facts import facts
from duban.errors import InputError
from duban.rules import status as rules
from duban.rules.dates import cn_month_day
from duban.services import departments as department_s
from duban.services import dispatch, review, users
from duban.services import reports as report_s
from duban.services.status import change_status

DONE, CLAIMED, WAITING = "done", "claimed", "waiting"
PROGRESS_TEXT = "围绕“{title}”,{place}已{what},完成约{percent}%。"


def _at(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()} {hour:02d}:{(day.toordinal() * 7 + hour * 13) % 60:02d}:00"


def _actor(db: sqlite_utils.Database, user_id: int) -> Actor:
    actor = users.actor_for(db, user_id)
    if actor is None:
        raise InputError("演示账号不存在或已停用。")
    return actor


class _Day:
    """Run service steps as if on a past day: what they write is dated that day."""

    def __init__(self, db: sqlite_utils.Database, day: dt.date, hour: int = 10) -> None:
        self.db, self.day, self.hour = db, day, hour

    def __enter__(self) -> dt.date:
        self.mark = q.high_water(self.db)
        return self.day

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            q.date_since(self.db, self.mark, _at(self.day, self.hour))


def seed(db: sqlite_utils.Database, today: dt.date) -> list[int]:
    """Dispatch, accept, break down, report and review as seed/demo.json says, then give the lower places'
    new units (their governments) liaisons; the tasks written, in order."""
    user_ids = people.demo_user_ids(db)
    offices = people.place_offices(db, user_ids)
    f = facts()["dispatch"]
    city = place_q.by_name(db, f["city"])
    if city is None:
        raise InputError(f"演示数据的地区不存在:{f['city']}")
    office = _actor(db, user_ids[f["office"]])
    sent_on = today - dt.timedelta(days=f["dispatched_days_ago"])
    accepted_on = sent_on + dt.timedelta(days=f["accepted_days_later"])
    written: list[int] = []
    for spec in f["tasks"]:
        task_id = q.plan_task_id(db, city["id"], spec["title"])
        if task_id is None:
            raise InputError(f"演示数据:{f['city']}的规划中没有任务“{spec['title']}”。")
        places = {p["id"]: p["name"] for p in place_q.children(db, city["id"]) if p["name"] in spec["places"]}
        with _Day(db, sent_on, 9):
            children = dispatch.dispatch(db, office, task_id, place_ids=list(places), today=sent_on)
        written.extend(children)
        for child in children:
            place_id = q.task_row(db, child)["jurisdiction_id"]
            plan = spec["places"][places[place_id]]
            if plan["outcome"] == WAITING:
                continue
            district = _actor(db, offices[place_id])
            units = _units(db, place_id, plan.get("units", []))
            with _Day(db, accepted_on, 11):
                dispatch.accept(db, district, child, units=units or None)
            for part in plan.get("parts", []):
                due = today + dt.timedelta(days=part["due_in_days"])
                with _Day(db, accepted_on, 15):
                    part_id = dispatch.break_down(db, district, child, part["title"],
                                                  _units(db, place_id, part["units"]),
                                                  [{"kind": "once", "due": due, "phrase": f"{cn_month_day(due)}前"}],
                                                  today=accepted_on)
                written.append(part_id)
                _report(db, district, part_id, part, places[place_id], today)
            _report(db, district, child, plan, places[place_id], today)
    q.date_updates(db, written)
    q.backdate_overdue(db, today.isoformat())
    people.seed_liaisons(db, random.Random(20260103), [p["id"] for p in place_q.children(db, city["id"])])
    return written


def _units(db: sqlite_utils.Database, place_id: int, named: list[list[str]]) -> list[tuple[int, str]]:
    out = []
    for name, role in named:
        found = department_s.resolve(db, place_id, name)
        if found is None:
            raise InputError(f"演示数据的责任单位不存在:{name}")
        out.append((found, role))
    return out


def _reporter(db: sqlite_utils.Database, district: Actor, task_id: int) -> tuple[Actor, int]:
    """Who reports for the task's lead unit: its liaison, else the district office on the unit's behalf."""
    lead = q.lead_department(db, task_id)
    user_id = q.user_for_department(db, lead)
    return (_actor(db, user_id) if user_id else district), lead


def _report(db: sqlite_utils.Database, district: Actor, task_id: int, plan: dict, place: str,
            today: dt.date) -> None:
    """The lead unit's report(s) and the district office's review, as the plan's outcome says.

    done: every open deadline reported done and accepted (the task is 已销号); claimed: the first reported done,
    awaiting review; behind / progress: a partial report, accepted (behind: its deadline has passed).
    A report is stored as the demo history stores one (dated, append-only), its status change and the review
    go through the services."""
    reporter, lead = _reporter(db, district, task_id)
    day = today - dt.timedelta(days=plan["reported_days_ago"])
    reviewed = min(day + dt.timedelta(days=2), today - dt.timedelta(days=1))
    title = q.task_row(db, task_id)["title"]
    title = title[:24] + ("…" if len(title) > 24 else "")
    outcome, percent = plan["outcome"], plan["percent"]
    instances = q.open_instances(db, task_id)
    if outcome == DONE:
        steps = [(i, 100, report_s.CLAIM_DONE, "完成全部工作") for i in instances]
    elif outcome == CLAIMED:
        steps = instances[:1] and [(instances[0], 100, report_s.CLAIM_DONE, "完成全部工作")]
    else:
        steps = [(instances[0] if instances else None, percent, rules.IN_PROGRESS, "按计划推进")]
    for instance, pct, claim, what in steps:
        with _Day(db, day, 10):
            report_id = q.insert_report(db, {
                "task_id": task_id, "instance_id": instance["id"] if instance else None, "department_id": lead,
                "user_id": reporter.user_id,
                "progress_text": PROGRESS_TEXT.format(title=title, place=place, what=what, percent=pct),
                "percent": pct, "claimed_status": claim, "review_state": report_s.PENDING,
                "period": instance["label"] if instance else None, "created_at": _at(day, 10)})
            if claim == report_s.CLAIM_DONE and instance:
                q.set_instance(db, instance["id"], "claimed", None, None)
            change_status(db, reporter, task_id, rules.status_after_claim(claim),
                          note=f"牵头单位报告:{claim},完成 {pct}%", instance_id=instance["id"] if instance else None,
                          progress=pct)
        if outcome == CLAIMED:
            continue
        with _Day(db, reviewed, 16):
            review.accept(db, district, report_id, reviewed, "材料齐全,予以采纳。" if claim == report_s.CLAIM_DONE
                          else "进展属实。")
        q.date_review(db, report_id, _at(reviewed, 16))
