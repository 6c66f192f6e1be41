"""Reporting cycles: the office decides when a plan's departments report even when no deadline falls due
(每月28日前, 每季度第1个月20日前, before each joint meeting), and sees per period who has and has not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import cycles as q
from duban import clock
from duban.access import Actor, require_office, require_own_place, require_place
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules.dates import clamp_date, cn_month_day, quarter_of, shift_month
from duban.rules.records import Plan, ReportingPeriod, from_row
from duban.services import cache

KINDS = {"monthly": "每月", "quarterly": "每季度", "meeting": "每次联席会议前"}
FIRST_WINDOW_DAYS = 90  # before a cycle's first meeting date, reports this far back count


@dataclass(frozen=True)
class Cycle:
    """One reporting cycle of a plan; str() is the rule in words, e.g. 每月28日前."""

    id: int
    plan_id: int
    kind: str
    month: int | None
    day: int | None
    active: bool = True
    note: str | None = None
    dates: tuple[tuple[dt.date, str | None], ...] = ()
    place_id: int | None = None  # the plan's place: an office sees its places' cycles and changes its own place's

    @property
    def label(self) -> str:
        if self.kind == "monthly":
            return f"每月{self.day}日前"
        if self.kind == "quarterly":
            return f"每季度第{self.month}个月{self.day}日前"
        return "每次联席会议前"

    def __str__(self) -> str:
        return self.label


class MissingReport(NamedTuple):
    department_id: int
    plan_id: int
    cycle: Cycle
    period_due: dt.date


class Unreported(NamedTuple):
    """A cycle's period and the departments expected to report for it that have not."""

    cycle: Cycle
    period: ReportingPeriod
    plan_title: str | None
    jurisdiction: str | None
    departments: list[dict]  # department_id, name, jurisdiction, leads, tasks (as period_status)


def _due_in_slot(cycle: Cycle, slot: tuple[int, int]) -> tuple[dt.date, str]:
    year, n = slot
    if cycle.kind == "monthly":
        return clamp_date(year, n, cycle.day or 28), f"{year}年{n}月"
    month = (n - 1) * 3 + (cycle.month or 1)
    return clamp_date(year, month, cycle.day or 20), f"{year}年第{n}季度"


def _next_slot(cycle: Cycle, slot: tuple[int, int], by: int) -> tuple[int, int]:
    year, n = slot
    if cycle.kind == "monthly":
        return shift_month(year, n, by)
    index = year * 4 + (n - 1) + by
    return index // 4, index % 4 + 1


def periods(cycle: Cycle, today: dt.date, back: int = 2) -> list[ReportingPeriod]:
    """The current period (the first due on or after today) and `back` earlier ones, newest first."""
    if cycle.kind == "meeting":
        dated = sorted(cycle.dates)
        upcoming = [i for i, (d, _) in enumerate(dated) if d >= today]
        end = upcoming[0] if upcoming else len(dated) - 1
        out = []
        for i in range(end, max(-1, end - back - 1), -1):
            due, label = dated[i]
            after = dated[i - 1][0] if i > 0 else due - dt.timedelta(days=FIRST_WINDOW_DAYS)
            out.append(ReportingPeriod(due, label or f"{cn_month_day(due)}联席会议前", after))
        return out
    slot = (today.year, today.month) if cycle.kind == "monthly" else (today.year, quarter_of(today))
    due, _ = _due_in_slot(cycle, slot)
    if due < today:
        slot = _next_slot(cycle, slot, 1)
    out = []
    for k in range(back + 1):
        here = _next_slot(cycle, slot, -k)
        due, label = _due_in_slot(cycle, here)
        after, _ = _due_in_slot(cycle, _next_slot(cycle, here, -1))
        out.append(ReportingPeriod(due, label, after))
    return out


def _meeting_dates(db: sqlite_utils.Database, row: dict) -> tuple[tuple[dt.date, str | None], ...]:
    """Due dates of a 'before each meeting' cycle: the dates the office entered, and the day before each joint
    meeting scheduled for the plan."""
    found = {dt.date.fromisoformat(d["due"]): d["label"] for d in q.dates(db, row["id"])}
    for m in q.joint_meetings(db, row["plan_id"]):
        try:
            due = dt.date.fromisoformat(m["date"][:10]) - dt.timedelta(days=1)
        except ValueError:
            continue
        found.setdefault(due, f"{m['title']}前")
    return tuple(sorted(found.items()))


def _cycle(db: sqlite_utils.Database, row: dict) -> Cycle:
    dates = _meeting_dates(db, row) if row["kind"] == "meeting" else ()
    return Cycle(row["id"], row["plan_id"], row["kind"], row["month"], row["day"], bool(row["active"]),
                 row["note"], dates, row["place_id"])


def _require_reader(actor: Actor) -> None:
    if not actor.sees_all:
        raise AccessDenied("只有办公室和领导可以查看各单位的报送情况。")


def _check_rule(kind: str, month: int | None, day: int | None) -> tuple[int | None, int | None]:
    if kind not in KINDS:
        raise InputError("周期类型应为每月、每季度或每次联席会议前。")
    if kind == "meeting":
        return None, None
    if not isinstance(day, int) or not 1 <= day <= 31:
        raise InputError("报送日应为 1 到 31 之间的整数(小月按月末计)。")
    if kind == "quarterly":
        if not isinstance(month, int) or not 1 <= month <= 3:
            raise InputError("季度内的月份应为 1、2 或 3。")
        return month, day
    return None, day


def meeting_dates_from_text(text: str | None, kind: str) -> list[tuple[dt.date, str | None]]:
    """The dates typed one a line ("2026-12-10 第四季度联席会议前"); only a meeting cycle takes any."""
    dates = []
    for line in (text or "").splitlines():
        if line.strip():
            first, _, rest = line.strip().partition(" ")
            dates.append((clock.parse_date(first), rest.strip() or None))
    if kind != "meeting" and dates:
        raise InputError("只有“每次联席会议前”的周期需要填写会议日期。")
    return dates


def add_cycle(db: sqlite_utils.Database, actor: Actor, plan_id: int, kind: str, *, day: int | None = None,
              month: int | None = None, dates: list[tuple[dt.date, str | None]] | None = None,
              note: str | None = None, is_demo: bool = False) -> int:
    """The office adds a reporting cycle to a plan; a meeting cycle takes the dates given here and, by itself,
    the day before each joint meeting scheduled for the plan; only the plan's own place's office may."""
    require_office(actor)
    month, day = _check_rule(kind, month, day)
    with transaction(db):
        found, place_id = q.plan_place(db, plan_id)
        if not found:
            raise NotFound("规划不存在。")
        require_own_place(actor, place_id)
        cycle_id = q.insert_cycle(db, plan_id, kind, month, day, (note or "").strip() or None, actor.user_id, is_demo)
        for due, label in dates or []:
            q.insert_date(db, cycle_id, due.isoformat(), (label or "").strip() or None)
        audit.record(db, actor, "设置填报周期", "report_cycle", cycle_id,
                     {"plan_id": plan_id, "kind": kind, "month": month, "day": day,
                      "dates": [d.isoformat() for d, _ in dates or []]})
    return cycle_id


def add_meeting_date(db: sqlite_utils.Database, actor: Actor, cycle_id: int, due: dt.date,
                     label: str | None = None) -> None:
    """Add a joint-meeting date to a 'before each meeting' cycle."""
    require_office(actor)
    with transaction(db):
        row = _own_cycle(db, actor, cycle_id)
        if row["kind"] != "meeting":
            raise InputError("只有“每次联席会议前”的周期需要填写会议日期。")
        q.insert_date(db, cycle_id, due.isoformat(), (label or "").strip() or None)
        audit.record(db, actor, "添加会议日期", "report_cycle", cycle_id, {"due": due.isoformat(), "label": label})


def set_active(db: sqlite_utils.Database, actor: Actor, cycle_id: int, active: bool) -> None:
    """Stop (or resume) a cycle; it is kept with its history."""
    require_office(actor)
    with transaction(db):
        _own_cycle(db, actor, cycle_id)
        q.set_active(db, cycle_id, active)
        audit.record(db, actor, "启用填报周期" if active else "停用填报周期", "report_cycle", cycle_id, None)


def _own_cycle(db: sqlite_utils.Database, actor: Actor, cycle_id: int) -> dict:
    """The cycle about to change, if it is one of the actor's own place's plans."""
    row = q.cycle(db, cycle_id)
    if row is None:
        raise NotFound("填报周期不存在。")
    require_own_place(actor, row["place_id"])
    return row


def list_plans(db: sqlite_utils.Database, actor: Actor) -> list[Plan]:
    """Plans a cycle can be set for, of the actor's places (office and leaders)."""
    _require_reader(actor)
    return [from_row(Plan, p) for p in q.plans(db, actor.places)]


def list_cycles(db: sqlite_utils.Database, actor: Actor, plan_id: int | None = None) -> list[Cycle]:
    """A plan's cycles (or all of the actor's places), active and stopped."""
    _require_reader(actor)
    return [_cycle(db, r) for r in q.cycles(db, plan_id, places=actor.places)]


def period_status(db: sqlite_utils.Database, actor: Actor, cycle: Cycle, period: ReportingPeriod,
                  until: dt.date | None = None) -> list[dict]:
    """Every department expected to report on the plan, whether it has in this period, and when (reports filed
    after the period's start and by its due date count, or by `until` to let late reports count); office and
    leaders only, of the plans of their places)."""
    _require_reader(actor)
    require_place(actor, cycle.place_id)
    return _period_status(db, cycle, period, until)


def _period_status(db: sqlite_utils.Database, cycle: Cycle, period: ReportingPeriod, until: dt.date | None = None) -> list[dict]:
    end = max(period.due, until) if until else period.due
    reported = q.reports_in_window(db, cycle.plan_id, period.after.isoformat(), end.isoformat())
    out = []
    for d in q.plan_departments(db, cycle.plan_id):
        hit = reported.get(d["department_id"])
        out.append({**d, "reported": bool(hit), "count": hit["n"] if hit else 0, "last": hit["last"] if hit else None})
    return out


REPORTED, NOT_REPORTED = "已报送", "未报送"
REPORT_LIGHTS = {REPORTED: "绿", NOT_REPORTED: "红"}  # the colour a unit's report state is shown in


def cycle_overview(db: sqlite_utils.Database, actor: Actor, cycle_id: int, today: dt.date,
                   back: int = 2) -> list[dict]:
    """Per period of a cycle (newest first): its due date, label, 本期 or 往期, and who has / has not reported."""
    _require_reader(actor)
    row = q.cycle(db, cycle_id)
    if row is None:
        raise NotFound("填报周期不存在。")
    require_place(actor, row["place_id"])
    cycle = _cycle(db, row)
    if cycle.kind == "meeting" and not cycle.dates:
        return []
    out = []
    for k, p in enumerate(periods(cycle, today, back)):
        deps = [dict(d, report_state=REPORTED if d["reported"] else NOT_REPORTED) for d in _period_status(db, cycle, p)]
        # the newest period is 本期 until its due date has passed; every other one is 往期
        out.append({"period": p, "departments": deps, "state": "本期" if k == 0 and p.due >= today else "往期",
                    "done": sum(1 for d in deps if d["reported"])})
    return out


def unreported(db: sqlite_utils.Database, actor: Actor, today: dt.date, back: int = 0) -> list[Unreported]:
    """For every active cycle, its current period (the first due on or after today) and `back` earlier ones,
    each with the departments that have not reported for it; for an earlier period a late report (filed by
    today) counts. Periods everyone has reported for are left out. A liaison learns of its own departments only,
    an account with a place of its places' plans only."""
    mine = None if actor.sees_all else actor.department_ids
    out = []
    for row in q.cycles(db, active_only=True, places=actor.places):
        cycle = _cycle(db, row)
        if cycle.kind == "meeting" and not cycle.dates:
            continue
        for period in periods(cycle, today, back=back):
            missing = [d for d in _period_status(db, cycle, period, until=today)
                       if not d["reported"] and (mine is None or d["department_id"] in mine)]
            if missing:
                out.append(Unreported(cycle, period, row.get("plan_title"), row.get("jurisdiction"), missing))
    return out


def missing_reports(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[MissingReport]:
    """For every active cycle's current period (the first due on or after today), each department that has
    not reported yet: (department_id, plan_id, cycle, period_due). `cycle` prints as its rule (每月28日前).
    A liaison learns of its own departments only."""
    return [MissingReport(d["department_id"], u.cycle.plan_id, u.cycle, u.period.due)
            for u in unreported(db, actor, today) if u.period.due >= today for d in u.departments]


def due_for(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """The current cycle periods the actor's departments have not reported for yet (for 我的任务)."""
    return cache.remember(db, ("due_for", cache.actor_key(actor), today), lambda: _due_for(db, actor, today))


def _due_for(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    plans = {p["id"]: p for p in q.plans(db)}
    return [{"department_id": m.department_id, "plan_id": m.plan_id, "plan_title": plans.get(m.plan_id, {}).get("title"),
             "rule": m.cycle.label, "due": m.period_due}
            for m in missing_reports(db, actor, today) if m.department_id in actor.department_ids]
