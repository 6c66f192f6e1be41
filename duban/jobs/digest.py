"""Deciding who is reminded of what today: one message per recipient and channel, each reminder logged so it
goes once (how the messages read is duban.jobs.wording)."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from db import transaction
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.jobs.wording import ALL_UNITS, DIGEST, OFFICE, compose_by_department, compose_digest, ordered, unit_name
from duban.services import reminder_rules as rules_mod
from duban.services import report_cycles, users
from duban.services.channel_settings import smtp_config
from duban.services.workdays import is_workday

MAX_CATCHUP_DAYS = 31


@dataclass
class Outgoing:
    """One message the reminder job has decided to send."""

    kind: str
    channel: str
    recipient: str
    name: str
    subject: str
    body: str
    items: list[dict]
    user_id: int | None = None
    department_id: int | None = None
    outbox_id: int | None = None
    merged: bool = False


@dataclass
class _Bucket:
    kind: str
    channel: str
    recipient: str
    name: str
    user_id: int | None = None
    department_id: int | None = None
    department_ids: set[int] = field(default_factory=set)
    entries: list[tuple[tuple, dict]] = field(default_factory=list)


def window_days(db: sqlite_utils.Database, today: dt.date) -> int:
    """How far back missed reminders are still sent: the catch-up setting, or every day since the last run."""
    window = rules_mod.catchup_days(db)
    last = q.last_ok_run_day(db, "remind")
    if last:
        gap = (today - dt.date.fromisoformat(last)).days
        window = max(window, min(gap, MAX_CATCHUP_DAYS))
    return window


def _item(row: dict) -> dict:
    return {k: row.get(k) for k in ("instance_id", "task_id", "number", "title", "plan_id", "plan_title",
                                    "jurisdiction", "place_id", "department_id", "department", "role", "due",
                                    "period_label", "status", "progress")}


def _item_key(item: dict) -> tuple:
    if report_cycles.is_report(item):
        return report_cycles.key(item)
    return (item["instance_id"], item["department_id"])


def _recipients(db: sqlite_utils.Database, department_ids: set[int], channels: set[str], email_on: bool):
    """Per department: (channel, recipient, name, user_id) for its accounts, its liaison address and its robots."""
    out: dict[int, list[tuple]] = defaultdict(list)
    departments = {d: q.department(db, d) for d in department_ids}
    for u in q.department_users(db, sorted(department_ids)):
        name = u["display_name"] or u["username"]
        if "inapp" in channels:
            out[u["department_id"]].append(("inapp", f"user:{u['id']}", name, u["id"]))
        if email_on and "email" in channels and u["email"]:
            out[u["department_id"]].append(("email", u["email"].strip().lower(), name, u["id"]))
    for d, row in departments.items():
        if email_on and "email" in channels and row and row.get("liaison_email"):
            name = f"{unit_name({'jurisdiction': row.get('jurisdiction'), 'department': row['name']})}联络员" + (
                f" {row['liaison_name']}" if row.get("liaison_name") else "")
            out[d].append(("email", row["liaison_email"].strip().lower(), name, None))
    if "webhook" in channels:
        for w in q.webhooks(db, active_only=True):
            if w["department_id"] in department_ids:
                out[w["department_id"]].append(("webhook", f"webhook:{w['id']}", w["name"], None))
    return out


def _office_recipients(db: sqlite_utils.Database, channels: set[str], email_on: bool) -> list[tuple]:
    """(channel, recipient, name, user_id, places) of the office's copies: each office account hears of the tasks
    of the places it sees (places None: every task, as the office's own address does)."""
    out = []
    emails = set()
    for u in q.office_users(db):
        name = u["display_name"] or u["username"]
        account = users.actor_for(db, u["id"])
        places = account.places if account else None
        if "inapp" in channels:
            out.append(("inapp", f"user:{u['id']}", name, u["id"], places))
        if email_on and "email" in channels and u["email"]:
            emails.add(u["email"].strip().lower())
            out.append(("email", u["email"].strip().lower(), name, u["id"], places))
    office_email = (settings_q.setting(db, "office_email") or "").strip().lower()
    if email_on and "email" in channels and office_email and office_email not in emails:
        out.append(("email", office_email, "办公室", None, None))
    return out


def decide_messages(db: sqlite_utils.Database, today: dt.date, *, channels: set[str] | None = None,
                    dry_run: bool = False) -> list[Outgoing]:
    """Decide today's messages and put them in the outbox (nothing on a non-working day).

    Each (instance, rule, recipient, channel, scheduled date) is logged once, in the same transaction as
    the message that carries it, so a rerun or a second process finds nothing left to send.
    A dry run decides the same and stores nothing.
    """
    if not is_workday(today):
        return []
    wanted = set(channels or rules_mod.CHANNEL_LABELS)
    email_on = smtp_config(db) is not None
    with transaction(db):
        if dry_run:
            db.conn.execute("SAVEPOINT remind_dry_run")
        result = _decide(db, today, wanted, email_on)
        if dry_run:
            db.conn.execute("ROLLBACK TO remind_dry_run")
            db.conn.execute("RELEASE remind_dry_run")
    return result


def _task_hits(db: sqlite_utils.Database, today: dt.date, rules: list[rules_mod.Rule], window: int) -> list[tuple]:
    """(item, rule, scheduled date, log key's instance and ref) for every deadline reminder due by today."""
    if not rules:
        return []
    horizon = max([r.days for r in rules if r.kind == "before"] + [0])
    rows = q.open_instances_between(db, "0000-00-00", (today + dt.timedelta(days=horizon)).isoformat())
    hits = []
    for row in rows:
        due = dt.date.fromisoformat(row["due"])
        for rule in rules:
            if row["role"] != "lead" and not rule.to_co:
                continue
            day = rules_mod.occurrence(rule, due, today, window)
            if day is not None:
                hits.append((_item(row), rule, day.isoformat(), (row["instance_id"], "")))
    return hits


def _decide(db: sqlite_utils.Database, today: dt.date, wanted: set[str], email_on: bool) -> list[Outgoing]:
    active = rules_mod.active_rules(db)
    task_rules = [r for r in active if r.kind in ("before", "on_day", "overdue")]
    report_rules = [r for r in active if r.kind in rules_mod.REPORT_KINDS]
    if not task_rules and not report_rules:
        return []
    window = window_days(db, today)
    hits = _task_hits(db, today, task_rules, window)
    hits += [(item, rule, day, (0, report_cycles.ref(item)))
             for item, rule, day in report_cycles.hits(db, today, report_rules, window)]
    if not hits:
        return []
    department_ids = {item["department_id"] for item, _, _, _ in hits}
    per_department = _recipients(db, department_ids, wanted, email_on)
    office = _office_recipients(db, wanted, email_on)
    all_hooks = [w for w in q.webhooks(db, active_only=True) if w["department_id"] is None] \
        if "webhook" in wanted else []
    buckets: dict[tuple, _Bucket] = {}

    def add(kind, channel, recipient, name, user_id, department_id, item, rule, day, logged_as):
        key = (kind, channel, recipient)
        b = buckets.get(key)
        if b is None:
            b = buckets[key] = _Bucket(kind, channel, recipient, name, user_id, department_id)
        b.department_ids.add(item["department_id"])
        instance_id, ref = logged_as
        b.entries.append(((instance_id, rule.id, ref, recipient, channel, day), item))

    for item, rule, day, logged_as in hits:
        for channel, recipient, name, user_id in per_department.get(item["department_id"], []):
            if channel in rule.channels:
                add(DIGEST, channel, recipient, name, user_id, item["department_id"], item, rule, day, logged_as)
        for w in all_hooks:
            if "webhook" in rule.channels:
                add(ALL_UNITS, "webhook", f"webhook:{w['id']}", w["name"], None, None, item, rule, day, logged_as)
        if rule.copy_office:
            for channel, recipient, name, user_id, places in office:
                if channel in rule.channels and (places is None or item.get("place_id") in places):
                    add(OFFICE, channel, recipient, name, user_id, None, item, rule, day, logged_as)

    messages = []
    for b in buckets.values():
        m = _store(db, today, b)
        if m:
            messages.append(m)
    messages.sort(key=lambda m: (m.kind, m.channel, m.recipient))
    return messages


def _store(db: sqlite_utils.Database, today: dt.date, b: _Bucket) -> Outgoing | None:
    """Log the bucket's new reminders and put them in today's message (new, or still waiting to go)."""
    existing = q.outbox_for(db, b.kind, b.channel, b.recipient, today.isoformat())
    if existing and existing["status"] not in ("pending", "failed"):
        return None  # today's message already went; what is new waits for the next working day
    new_keys: list[tuple] = []
    new_items: dict[tuple, dict] = {}
    inserted: set[tuple] = set()
    for key, item in b.entries:
        # one key may carry several units' rows of the same instance (the office's copy)
        if key in inserted or q.log_once(db, *key):
            if key not in inserted:
                inserted.add(key)
                new_keys.append(key)
            new_items[_item_key(item)] = item
    if not new_keys:
        return None
    items = dict(new_items)
    if existing:
        for it in json.loads(existing["payload"] or "{}").get("items", []):
            items.setdefault(_item_key(it), it)
    item_list = ordered(list(items.values()))
    if b.kind == DIGEST:
        greeting = b.name if b.channel != "webhook" else "各位联络员"
        if b.channel == "inapp":
            greeting = f"{b.name},您好"
        subject, body = compose_digest(db, today, item_list, greeting)
    elif b.kind == OFFICE:
        subject, body = compose_by_department(db, today, item_list, OFFICE, "办公室")
    else:
        subject, body = compose_by_department(db, today, item_list, ALL_UNITS, "各成员单位")
    payload = json.dumps({"items": item_list}, ensure_ascii=False)
    if existing:
        q.update_outbox_content(db, existing["id"], subject, body, payload)
        outbox_id = existing["id"]
    else:
        outbox_id = q.insert_outbox(db, {
            "kind": b.kind, "channel": b.channel, "recipient": b.recipient, "user_id": b.user_id,
            "department_id": b.department_id if len(b.department_ids) == 1 else None,
            "day": today.isoformat(), "subject": subject, "body": body, "payload": payload})
    q.attach_log(db, outbox_id, new_keys)
    return Outgoing(kind=b.kind, channel=b.channel, recipient=b.recipient, name=b.name, subject=subject,
                   body=body, items=item_list, user_id=b.user_id, department_id=b.department_id,
                   outbox_id=outbox_id, merged=existing is not None)
