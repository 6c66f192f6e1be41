"""提醒单 / 催办单 / 督办单: which of a unit's items call for a notice, and numbering and recording one."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.access import SYSTEM, Actor, require_department, require_office, require_own_place, require_place
from duban.errors import InputError, NotFound
from duban.rules.names import written_name
from duban.rules.notice_levels import BLUE, DEFAULT_RED_DAYS, DEFAULT_REPLY_DAYS, ORDER, RED, WORDS, YELLOW, level
from duban.rules.status import DEFAULT_WARN_DAYS
from duban.services.workdays import add_workdays, load_office_calendar


@dataclass
class NoticeRecord:
    """A numbered, recorded notice: what the Word file says and what it is saved as."""

    number: str
    word: str
    title: str
    office: str
    department: str
    today: dt.date
    reply_by: dt.date
    items: list[dict]
    filename: str


def _int_setting(db: sqlite_utils.Database, key: str, default: int) -> int:
    try:
        return int(settings_q.setting(db, key) or default)
    except ValueError:
        return default


def classify(db: sqlite_utils.Database, department_id: int, today: dt.date, *, actor: Actor = SYSTEM) -> list[dict]:
    """A unit's open items that call for a notice, each with its level: 红 overdue (past the threshold),
    黄 behind schedule (or overdue fewer days), 蓝 due within the warning days. A liaison may ask only for
    its own departments, an account with a place for its places' units (and hears of its places' tasks only)."""
    require_department(actor, {department_id})
    if actor.places is not None:
        require_place(actor, (q.department(db, department_id) or {}).get("jurisdiction_id"))
    red_days = _int_setting(db, "notice_red_days", DEFAULT_RED_DAYS)
    horizon = today + dt.timedelta(days=DEFAULT_WARN_DAYS)
    out, seen = [], set()
    for r in q.open_instances_between(db, "0000-00-00", "9999-12-31", [department_id], actor.places):
        colour = level(r, today, red_days, horizon)
        if colour is None or r["instance_id"] in seen:
            continue
        seen.add(r["instance_id"])
        out.append({"instance_id": r["instance_id"], "task_id": r["task_id"], "number": r["number"],
                    "title": r["title"], "plan_title": r["plan_title"], "role": r["role"], "due": r["due"],
                    "period_label": r["period_label"], "status": r["status"], "progress": r["progress"],
                    "overdue_days": max(0, (today - dt.date.fromisoformat(r["due"])).days), "level": colour})
    out.sort(key=lambda i: (ORDER[i["level"]], i["due"], i["task_id"]))
    return out


def levels_by_department(db: sqlite_utils.Database, today: dt.date, *,
                         actor: Actor = SYSTEM) -> dict[int, dict[str, int]]:
    """For every unit with something to chase: how many red, yellow and blue items (one query for all);
    a liaison sees its own departments' counts only, an account with a place those of its places' tasks."""
    red_days = _int_setting(db, "notice_red_days", DEFAULT_RED_DAYS)
    horizon = today + dt.timedelta(days=DEFAULT_WARN_DAYS)
    out: dict[int, dict[str, int]] = {}
    seen = set()
    visible = None if actor.sees_all else sorted(actor.department_ids)
    for r in q.open_instances_between(db, "0000-00-00", "9999-12-31", visible, actor.places):
        colour = level(r, today, red_days, horizon)
        key = (r["department_id"], r["instance_id"])
        if colour is None or key in seen:
            continue
        seen.add(key)
        counts = out.setdefault(r["department_id"], {RED: 0, YELLOW: 0, BLUE: 0})
        counts[colour] += 1
    return out


def create_notice(db: sqlite_utils.Database, actor: Actor, department_id: int, today: dt.date,
                  levels: tuple[str, ...] = (RED, YELLOW, BLUE)) -> NoticeRecord:
    """Number and record a notice for one unit; refused when nothing calls for one (the office sends them, each
    to its own place's units)."""
    require_office(actor)
    department = q.department(db, department_id)
    if department is None:
        raise NotFound("单位不存在。")
    require_own_place(actor, department["jurisdiction_id"])
    items = [i for i in classify(db, department_id, today, actor=actor) if i["level"] in levels]
    if not items:
        raise InputError(f"{department['name']}目前没有逾期、滞后或临近到期的事项,无需发单。")
    worst = items[0]["level"]
    word, title = WORDS[worst]
    load_office_calendar(db)
    reply_by = add_workdays(today, _int_setting(db, "notice_reply_days", DEFAULT_REPLY_DAYS))
    office = settings_q.setting(db, "office_name") or "领导小组办公室"
    written = written_name(department.get("jurisdiction"), department["name"])
    with transaction(db):
        seq = q.next_notice_seq(db, word, today.year)
        number = f"{word}〔{today.year}〕第{seq}号"
        notice_id = q.insert_notice(db, word, today.year, seq, department_id, today.isoformat(),
                                    reply_by.isoformat(), json.dumps(items, ensure_ascii=False), actor.user_id)
        audit.record(db, actor, f"生成{title}", "notice", notice_id,
                     {"number": number, "department_id": department_id, "items": len(items)})
    return NoticeRecord(number=number, word=word, title=title, office=office, department=written, today=today,
                        reply_by=reply_by, items=items, filename=f"{number}_{department['name']}.docx")
