"""Deciding who is reminded of what today, as one digest per recipient and channel, logged so it goes once."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from db import transaction
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.reminders import report_cycles
from duban.reminders import rules as rules_mod
from duban.reminders.channels import smtp_config
from duban.reminders.wording import relative_day, unit_name
from duban.reminders.workdays import is_workday
from duban.rules.dates import cn_date
from duban.rules.names import ROLE_NAMES

# kind of message: a liaison's digest (by plan), the office's copy (by department), a group robot for all units
DIGEST, OFFICE, ALL_UNITS = "digest", "office", "all"
MAX_CATCHUP_DAYS = 31


@dataclass
class Planned:
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


def day_label(due: dt.date, today: dt.date) -> str:
    """已逾期 N 天 / 今日到期 / 还有 N 天到期."""
    return relative_day(due, today, "已逾期 {n} 天", "今日到期", "还有 {n} 天到期")


def _item(row: dict) -> dict:
    return {k: row.get(k) for k in ("instance_id", "task_id", "number", "title", "plan_id", "plan_title",
                                    "jurisdiction", "department_id", "department", "role", "due",
                                    "period_label", "status", "progress")}


def _sort_key(item: dict) -> tuple:
    return (item["due"], item.get("plan_id") or 0, item["task_id"], item["department_id"])


def _split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Tasks' deadline items, and reporting-cycle periods still to report."""
    return ([it for it in items if not report_cycles.is_report(it)],
            [it for it in items if report_cycles.is_report(it)])


def _item_key(item: dict) -> tuple:
    if report_cycles.is_report(item):
        return report_cycles.key(item)
    return (item["instance_id"], item["department_id"])


def _ordered(items: list[dict]) -> list[dict]:
    tasks, reports = _split(items)
    return sorted(tasks, key=_sort_key) + sorted(reports, key=report_cycles.sort_key)


def _distinct(items: list[dict]) -> list[dict]:
    """One line per task, unit and due date (two deadlines of a task on one date read as one item)."""
    seen, out = set(), []
    for it in sorted(items, key=_sort_key):
        key = (it["task_id"], it["department_id"], it["due"])
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


def _lines(items: list[dict], today: dt.date, show_unit: bool) -> list[str]:
    out = []
    for n, it in enumerate(_distinct(items), 1):
        due = dt.date.fromisoformat(it["due"])
        number = f"{it['number']} " if it.get("number") else ""
        out.append(f"{n}. 【{day_label(due, today)}】{number}{it['title']}")
        parts = []
        if show_unit:
            parts.append(unit_name(it))
        parts.append(ROLE_NAMES[it["role"]])
        period = f"({it['period_label']})" if it.get("period_label") else ""
        parts.append(f"截止 {it['due']}{period}")
        parts.append(f"当前状态:{it['status']}" + (f" {it['progress']}%" if it.get("progress") else ""))
        out.append("   " + " · ".join(parts))
    return out


def _counts(items: list[dict], today: dt.date) -> tuple[int, int, int]:
    items = _distinct_tasks(items)
    overdue = sum(1 for it in items if it["due"] < today.isoformat())
    due_today = sum(1 for it in items if it["due"] == today.isoformat())
    return overdue, due_today, len(items) - overdue - due_today


def _distinct_tasks(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for it in sorted(items, key=_sort_key):
        if (it["task_id"], it["due"]) not in seen:
            seen.add((it["task_id"], it["due"]))
            out.append(it)
    return out


def _unique_tasks(items: list[dict]) -> int:
    return len(_distinct_tasks(items))


def _signature(db: sqlite_utils.Database) -> str:
    office = settings_q.setting(db, "office_name") or "领导小组办公室"
    return f"——{office}(督办系统自动发送,请勿直接回复)"


def compose_digest(db: sqlite_utils.Database, today: dt.date, items: list[dict], greeting: str) -> tuple[str, str]:
    """A liaison's digest: everything due soon, due today or overdue, grouped by plan, then the reporting-cycle
    periods its units have not reported for."""
    tasks, reports = _split(items)
    units = {it["department_id"] for it in items}
    lines = [f"{greeting}:"]
    about = []
    if tasks:
        overdue, due_today, soon = _counts(tasks, today)
        n = _unique_tasks(tasks)
        about.append(f"{n} 项任务需关注" + (f"(逾期 {overdue} 项)" if overdue else ""))
        lines += ["", f"截至 {cn_date(today)},以下 {n} 项任务需要关注(已逾期 {overdue} 项,今日到期 {due_today} 项,"
                      f"即将到期 {soon} 项):"]
        by_plan: dict[str, list[dict]] = defaultdict(list)
        for it in tasks:
            by_plan[it.get("plan_title") or "其他交办事项"].append(it)
        for plan, plan_items in sorted(by_plan.items(), key=lambda kv: min(_sort_key(i) for i in kv[1])):
            lines += ["", f"【{plan}】"] + _lines(plan_items, today, show_unit=len(units) > 1)
    if reports:
        r = len(report_cycles.distinct(reports))
        about.append(f"{r} 项定期进展待报送")
        late = any(it["due"] < today.isoformat() for it in reports)
        lines += ["", f"【定期报送】以下 {r} 项本期进展尚未报送,{'请尽快报送' if late else '请在截止日前报送'}:"]
        lines += report_cycles.lines(reports, today, show_unit=len(units) > 1)
    subject = f"【督办提醒】{cn_date(today)}:" + ",".join(about)
    lines += ["", "请登录督办系统查看详情,并按时报送进展。", _signature(db)]
    return subject, "\n".join(lines)


def compose_by_department(db: sqlite_utils.Database, today: dt.date, items: list[dict], kind: str,
                          greeting: str) -> tuple[str, str]:
    """The office's copy (催办) or a group robot's list: the same items grouped by department, then per
    reporting-cycle period the units that have not reported."""
    tasks, reports = _split(items)
    lines = [f"{greeting}:"]
    about = []
    if tasks:
        overdue, due_today, soon = _counts(tasks, today)
        by_unit: dict[str, list[dict]] = defaultdict(list)
        for it in tasks:
            by_unit[unit_name(it)].append(it)
        n = _unique_tasks(tasks)
        if kind == OFFICE:
            about.append(f"{len(by_unit)} 个单位 {n} 项任务逾期催办")
            intro = f"截至 {cn_date(today)},已向以下 {len(by_unit)} 个单位发出催办,涉及 {n} 项任务:"
        else:
            about.append(f"{len(by_unit)} 个单位 {n} 项任务需关注")
            intro = (f"截至 {cn_date(today)},以下 {len(by_unit)} 个单位的 {n} 项任务需要关注"
                     f"(已逾期 {overdue} 项,今日到期 {due_today} 项,即将到期 {soon} 项):")
        lines += ["", intro]
        for unit in sorted(by_unit, key=lambda u: (-sum(1 for i in by_unit[u] if i["due"] < today.isoformat()), u)):
            lines += ["", f"【{unit}】"] + _lines(by_unit[unit], today, show_unit=False)
    if reports:
        k = report_cycles.unit_count(reports)
        if kind == OFFICE:
            about.append(f"{k} 个单位未按期报送进展")
            lines += ["", f"【未按期报送进展的单位】以下 {k} 个单位尚未报送本期进展,已发出催报:"]
        else:
            about.append(f"{k} 个单位本期进展待报送")
            lines += ["", f"【定期报送】以下 {k} 个单位尚未报送本期进展:"]
        lines += report_cycles.units_section(reports, today)
    prefix = "【督办抄送】" if kind == OFFICE else "【督办提醒】"
    subject = f"{prefix}{cn_date(today)}:" + ",".join(about)
    lines += ["", _signature(db)]
    return subject, "\n".join(lines)


def _recipients(db: sqlite_utils.Database, department_ids: set[int], channels: set[str], email_on: bool):
    """Per department: (channel, recipient, name, user_id) for its accounts, its liaison address and its robots."""
    out: dict[int, list[tuple]] = defaultdict(list)
    depts = {d: q.department(db, d) for d in department_ids}
    for u in q.department_users(db, sorted(department_ids)):
        name = u["display_name"] or u["username"]
        if "inapp" in channels:
            out[u["department_id"]].append(("inapp", f"user:{u['id']}", name, u["id"]))
        if email_on and "email" in channels and u["email"]:
            out[u["department_id"]].append(("email", u["email"].strip().lower(), name, u["id"]))
    for d, row in depts.items():
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
    out = []
    emails = set()
    for u in q.office_users(db):
        name = u["display_name"] or u["username"]
        if "inapp" in channels:
            out.append(("inapp", f"user:{u['id']}", name, u["id"]))
        if email_on and "email" in channels and u["email"]:
            emails.add(u["email"].strip().lower())
            out.append(("email", u["email"].strip().lower(), name, u["id"]))
    office_email = (settings_q.setting(db, "office_email") or "").strip().lower()
    if email_on and "email" in channels and office_email and office_email not in emails:
        out.append(("email", office_email, "办公室", None))
    return out


def plan(db: sqlite_utils.Database, today: dt.date, *, channels: set[str] | None = None,
         dry_run: bool = False) -> list[Planned]:
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
        result = _plan(db, today, wanted, email_on)
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


def _plan(db: sqlite_utils.Database, today: dt.date, wanted: set[str], email_on: bool) -> list[Planned]:
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
    per_dept = _recipients(db, department_ids, wanted, email_on)
    office = _office_recipients(db, wanted, email_on)
    all_hooks = [w for w in q.webhooks(db, active_only=True) if w["department_id"] is None] \
        if "webhook" in wanted else []
    buckets: dict[tuple, _Bucket] = {}

    def add(kind, channel, recipient, name, user_id, dept_id, item, rule, day, logged_as):
        key = (kind, channel, recipient)
        b = buckets.get(key)
        if b is None:
            b = buckets[key] = _Bucket(kind, channel, recipient, name, user_id, dept_id)
        b.department_ids.add(item["department_id"])
        instance_id, ref = logged_as
        b.entries.append(((instance_id, rule.id, ref, recipient, channel, day), item))

    for item, rule, day, logged_as in hits:
        for channel, recipient, name, user_id in per_dept.get(item["department_id"], []):
            if channel in rule.channels:
                add(DIGEST, channel, recipient, name, user_id, item["department_id"], item, rule, day, logged_as)
        for w in all_hooks:
            if "webhook" in rule.channels:
                add(ALL_UNITS, "webhook", f"webhook:{w['id']}", w["name"], None, None, item, rule, day, logged_as)
        if rule.copy_office:
            for channel, recipient, name, user_id in office:
                if channel in rule.channels:
                    add(OFFICE, channel, recipient, name, user_id, None, item, rule, day, logged_as)

    planned = []
    for b in buckets.values():
        p = _store(db, today, b)
        if p:
            planned.append(p)
    planned.sort(key=lambda p: (p.kind, p.channel, p.recipient))
    return planned


def _store(db: sqlite_utils.Database, today: dt.date, b: _Bucket) -> Planned | None:
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
    item_list = _ordered(list(items.values()))
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
    return Planned(kind=b.kind, channel=b.channel, recipient=b.recipient, name=b.name, subject=subject,
                   body=body, items=item_list, user_id=b.user_id, department_id=b.department_id,
                   outbox_id=outbox_id, merged=existing is not None)
