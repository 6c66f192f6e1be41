"""Demo people: a liaison for every department, the demo accounts, and a few tasks from outside the plans."""
from __future__ import annotations

import datetime as dt
import random

import sqlite_utils

from db.queries import departments as department_q
from db.queries import plans as plan_q
from db.queries import users as user_q
from duban.access import SYSTEM
from duban.demo.facts import demo_accounts, facts
from duban.errors import InputError
from duban.extract.units import is_group
from duban.rules.dates import cn_month_day
from duban.rules.names import written_name
from duban.services import departments as department_s
from duban.services import places as place_s
from duban.services import tasks as task_s
from duban.services import users as user_s


def _mailbox(name: str) -> str | None:
    return next((slug for key, slug in facts()["department_mailboxes"] if key in name), None)


def seed_liaisons(db: sqlite_utils.Database, rng: random.Random, place_ids: list[int] | None = None) -> None:
    """Every department of the demo's places (by default: every place) without a liaison gets a demo liaison with
    a phone and an example.gov.cn mailbox."""
    f = facts()
    for j in plan_q.jurisdictions(db):
        if place_ids is not None and j["id"] not in place_ids:
            continue
        city = f["cities"].get(j["name"], {})
        mail, area = city.get("mail", f"city{j['id']}"), city.get("area_code", f["default_area_code"])
        departments = department_q.list_all(db, j["id"])
        used: set[str] = {d["liaison_email"].split("@")[0] for d in departments if d["liaison_email"]}
        for d in departments:
            if is_group(d["name"]) or d["liaison_email"]:  # 各县区政府, 县级有关部门: no one liaison
                continue
            slug = _mailbox(d["name"]) or f"bm{d['id']}"
            base, n = slug, 2
            while slug in used:
                slug, n = f"{base}{n}", n + 1
            used.add(slug)
            name = rng.choice(f["surnames"]) + "".join(rng.choice(f["given_names"]) for _ in range(rng.choice((1, 2))))
            phone = f"{area}-{rng.randint(60000000, 69999999)}"
            department_q.set_liaison(db, d["id"], name, phone, f"{slug}@{mail}.example.gov.cn")


def _find_department(db: sqlite_utils.Database, jurisdiction: str, candidates: list[str]) -> int:
    jid = plan_q.jurisdiction_by_name(db, jurisdiction)
    if jid is None:
        raise InputError(f"演示账号所属地区不存在:{jurisdiction}")
    for name in candidates:
        found = department_s.resolve(db, jid, name)
        if found:
            return found
    return department_s.ensure_department(db, jid, candidates[0])


def seed_accounts(db: sqlite_utils.Database) -> dict[str, int]:
    """Create the demo accounts (skipping usernames already taken), each office and leader in its place;
    username -> user id."""
    spec = demo_accounts()
    out = {}
    for acc in spec["accounts"]:
        existing = user_q.by_username(db, acc["username"])
        if existing:
            out[acc["username"]] = existing["id"]
            continue
        deps = [_find_department(db, acc["jurisdiction"], c) for c in acc.get("departments", [])]
        display, email = acc.get("display_name"), None
        if deps:
            department = department_q.get(db, deps[0])
            written = written_name(acc['jurisdiction'], department['name'])
            display = display or f"{written} {department['liaison_name'] or ''}".strip()
            email = department["liaison_email"]
        user_id = user_s.create_user(db, SYSTEM, acc["username"], spec["password"], acc["role"],
                                     deps or None, display, email, is_demo=True)
        if acc.get("place"):
            place_s.set_account_place(db, SYSTEM, user_id, _place(db, acc["place"]))
        out[acc["username"]] = user_id
    return out


def _place(db: sqlite_utils.Database, name: str) -> int:
    found = plan_q.jurisdiction_by_name(db, name)
    if found is None:
        raise InputError(f"演示账号所属地区不存在:{name}")
    return found


def demo_user_ids(db: sqlite_utils.Database) -> dict[str, int]:
    """The demo accounts there are: username -> user id."""
    out = {}
    for acc in demo_accounts()["accounts"]:
        found = user_q.by_username(db, acc["username"])
        if found:
            out[acc["username"]] = found["id"]
    return out


def place_offices(db: sqlite_utils.Database, users: dict[str, int]) -> dict[int, int]:
    """The office account of each place that has one (the first listed): place id -> user id."""
    out: dict[int, int] = {}
    for acc in demo_accounts()["accounts"]:
        if acc["role"] == "office" and acc.get("place") and acc["username"] in users:
            out.setdefault(_place(db, acc["place"]), users[acc["username"]])
    return out


def seed_extra_tasks(db: sqlite_utils.Database, today: dt.date) -> None:
    """A few tasks from outside the plans — a leader's instruction, an assignment from above — due soon."""
    f = facts()
    specs = [(spec, [(_find_department(db, spec["jurisdiction"], u["names"]), u["role"]) for u in spec["units"]])
             for spec in f["extra_tasks"]]
    entered = today - dt.timedelta(days=f["extra_tasks_entered_days_ago"])
    for spec, departments in specs:
        due = today + dt.timedelta(days=spec["due_in_days"])
        task_s.add_task(db, SYSTEM, spec["title"], departments,
                        [{"kind": "once", "due": due, "phrase": f"{cn_month_day(due)}前"}],
                        spec["source"], source_note=spec["source_note"], today=entered)
