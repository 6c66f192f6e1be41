"""Reporting cycles in the daily digests: which units have not reported for a cycle's period."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from duban.access import SYSTEM
from duban.services import cycles
from duban.services import reminder_rules as rules_mod

REPORT = "report"        # an item's kind: a cycle period a unit has not reported for (tasks' items carry no kind)
SHORTEST_PERIOD_DAYS = 28


def is_report(item: dict) -> bool:
    """Whether a digest item is a reporting-cycle period rather than a task's deadline."""
    return item.get("kind") == REPORT


def key(item: dict) -> tuple:
    """One line per cycle period and unit."""
    return (REPORT, item["cycle_id"], item["due"], item["department_id"])


def sort_key(item: dict) -> tuple:
    return (item["due"], item.get("plan_id") or 0, item["cycle_id"], item["department_id"])


def ref(item: dict) -> str:
    """The notification log's reference: each (cycle period, unit) is reminded once per rule, channel and date."""
    return f"cycle:{item['cycle_id']}:{item['due']}:{item['department_id']}"


def _item(found: cycles.Unreported, department: dict) -> dict:
    cycle, period = found.cycle, found.period
    plan = found.plan_title or "规划"
    return {"kind": REPORT, "cycle_id": cycle.id, "plan_id": cycle.plan_id, "plan_title": found.plan_title,
            "jurisdiction": department.get("jurisdiction") or found.jurisdiction,
            "place_id": cycle.place_id, "department_id": department["department_id"],
            "department": department["name"], "role": "lead" if department.get("leads") else "co", "rule": cycle.label,
            "period_label": period.label, "due": period.due.isoformat(),
            "title": f"报送《{plan}》本期进展({cycle.label},{period.label})"}


def hits(db: sqlite_utils.Database, today: dt.date, rules: list[rules_mod.Rule], window: int) -> list[tuple]:
    """(item, rule, scheduled date) for each unit that has not reported for a cycle period a rule says to
    remind of by today (a lead-only rule leaves out units that only co-operate on the plan)."""
    if not rules:
        return []
    reach = window + max([r.days for r in rules if r.kind == "report_after"] + [0]) + 1
    out = []
    for found in cycles.unreported(db, SYSTEM, today, back=1 + reach // SHORTEST_PERIOD_DAYS):
        for rule in rules:
            day = rules_mod.occurrence(rule, found.period.due, today, window)
            if day is None:
                continue
            for department in found.departments:
                if rule.to_co or department.get("leads"):
                    out.append((_item(found, department), rule, day.isoformat()))
    return out


def distinct(items: list[dict]) -> list[dict]:
    """One per cycle period and unit, earliest due first."""
    seen, out = set(), []
    for it in sorted(items, key=sort_key):
        if key(it) not in seen:
            seen.add(key(it))
            out.append(it)
    return out


def unit_count(items: list[dict]) -> int:
    """How many units have a period still to report."""
    return len({it["department_id"] for it in items})
