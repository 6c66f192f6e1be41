"""The office's reminder rules, and the dates each rule says a deadline should be reminded on."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.access import Actor, require_settings_viewer, require_system_manager
from duban.errors import InputError, NotFound
from duban.services.workdays import next_workday

KIND_LABELS = {"before": "到期前提醒", "on_day": "到期当日提醒", "overdue": "逾期催办", "meeting": "会前报送提醒",
               "report_before": "定期报送截止前提醒", "report_on_day": "定期报送截止当日提醒",
               "report_after": "定期报送逾期催报"}
# rules for the reporting cycles (每月28日前 …): they remind the units that have not reported for the period
REPORT_KINDS = ("report_before", "report_on_day", "report_after")
CHANNEL_LABELS = {"inapp": "站内消息", "email": "电子邮件", "webhook": "群机器人"}
DEFAULT_CATCHUP_DAYS = 7
MAX_BEFORE_DAYS = 366


@dataclass(frozen=True)
class Rule:
    id: int
    kind: str
    days: int
    to_co: bool
    copy_office: bool
    channels: frozenset[str]
    active: bool
    note: str | None = None

    @property
    def label(self) -> str:
        """How the rule reads on the settings page."""
        if self.kind == "before":
            return f"到期前 {self.days} 天"
        if self.kind == "on_day":
            return "到期当日"
        if self.kind == "overdue":
            return f"逾期后每 {self.days} 天"
        if self.kind == "report_before":
            return f"报送截止前 {self.days} 天"
        if self.kind == "report_on_day":
            return "报送截止当日"
        if self.kind == "report_after":
            return f"报送截止后第 {self.days} 天(一次)"
        return f"会议前 {self.days} 天"


def _rule(row: dict) -> Rule:
    return Rule(id=row["id"], kind=row["kind"], days=row["days"], to_co=bool(row["to_co"]),
                copy_office=bool(row["copy_office"]),
                channels=frozenset(c for c in (row["channels"] or "").split(",") if c),
                active=bool(row["active"]), note=row["note"])


def active_rules(db: sqlite_utils.Database) -> list[Rule]:
    """The rules the reminder job applies today."""
    return [_rule(r) for r in q.rules(db, active_only=True)]


def list_rules(db: sqlite_utils.Database, actor: Actor) -> list[Rule]:
    """Every rule, for the settings page: the office of any place reads them (they apply to every place)."""
    require_settings_viewer(actor)
    return [_rule(r) for r in q.rules(db)]


def _clean(kind: str, days: int | None, channels) -> tuple[int, str]:
    if kind not in KIND_LABELS:
        raise InputError(f"未知的提醒类型:{kind}")
    try:
        days = int(days or 0)
    except (TypeError, ValueError):
        raise InputError("天数应为整数。") from None
    if kind in ("on_day", "report_on_day"):
        days = 0
    elif kind == "overdue" and not 1 <= days <= 90:
        raise InputError("逾期催办的间隔应在 1 到 90 天之间。")
    elif kind == "report_after" and not 1 <= days <= 90:
        raise InputError("报送截止后催报的天数应在 1 到 90 天之间。")
    elif kind == "report_before" and not 1 <= days <= 90:
        raise InputError("报送截止前提醒的天数应在 1 到 90 天之间。")
    elif kind in ("before", "meeting") and not 1 <= days <= MAX_BEFORE_DAYS:
        raise InputError(f"提前天数应在 1 到 {MAX_BEFORE_DAYS} 天之间。")
    chosen = [c for c in CHANNEL_LABELS if c in set(channels or [])]
    if not chosen:
        raise InputError("至少选择一个发送渠道。")
    return days, ",".join(chosen)


def save_rule(db: sqlite_utils.Database, actor: Actor, kind: str, days: int | None, *, rule_id: int | None = None,
              to_co: bool = True, copy_office: bool = False, channels=("inapp", "email", "webhook"),
              active: bool = True, note: str | None = None) -> int:
    """Add a rule or change one; a second rule of the same kind and days is refused. A rule reminds every
    place's units, so only the system administrator or the whole database's office sets it."""
    require_system_manager(actor)
    days, channel_text = _clean(kind, days, channels)
    values = {"kind": kind, "days": days, "to_co": int(bool(to_co)), "copy_office": int(bool(copy_office)),
              "channels": channel_text, "active": int(bool(active)), "note": (note or "").strip() or None}
    with transaction(db):
        same = q.rule_by_kind_days(db, kind, days)
        if same and same["id"] != rule_id:
            raise InputError(f"已有相同的规则:{_rule(same).label}。")
        if rule_id is None:
            rule_id = q.insert_rule(db, values)
            audit.record(db, actor, "新增提醒规则", "reminder_rule", rule_id, values)
        else:
            if q.rule_by_id(db, rule_id) is None:
                raise NotFound("提醒规则不存在。")
            q.update_rule(db, rule_id, values)
            audit.record(db, actor, "修改提醒规则", "reminder_rule", rule_id, values)
    return rule_id


def delete_rule(db: sqlite_utils.Database, actor: Actor, rule_id: int) -> None:
    """Remove a rule (what it already sent stays in the log); as for a new rule, never by one place's office."""
    require_system_manager(actor)
    with transaction(db):
        row = q.rule_by_id(db, rule_id)
        if row is None:
            raise NotFound("提醒规则不存在。")
        q.delete_rule(db, rule_id)
        audit.record(db, actor, "删除提醒规则", "reminder_rule", rule_id, {"kind": row["kind"], "days": row["days"]})


def meeting_request_days(db: sqlite_utils.Database) -> list[int]:
    """How many days before a meeting member units are asked for an update (active 'meeting' rules)."""
    return sorted((r.days for r in active_rules(db) if r.kind == "meeting"), reverse=True)


def catchup_days(db: sqlite_utils.Database) -> int:
    """How long a reminder that could not go out on its day is still sent late."""
    try:
        return max(0, int(settings_q.setting(db, "remind_catchup_days") or DEFAULT_CATCHUP_DAYS))
    except ValueError:
        return DEFAULT_CATCHUP_DAYS


def occurrence(rule: Rule, due: dt.date, today: dt.date, window: int) -> dt.date | None:
    """The scheduled date of the rule's reminder for a deadline that should go out by `today`, or None.

    A reminder scheduled on a holiday goes out on the next working day; one missed (server down,
    holiday) still goes out up to `window` days later; a before-due reminder is dropped once the
    deadline has come. Weekly overdue reminders count from the day after the due date; a reporting cycle's
    reminder after its due date goes once, `days` after it.
    """
    if rule.kind in ("before", "report_before"):
        day = due - dt.timedelta(days=rule.days)
        if today >= due:
            return None
    elif rule.kind in ("on_day", "report_on_day"):
        day = due
    elif rule.kind == "report_after":
        day = due + dt.timedelta(days=max(1, rule.days))
    elif rule.kind == "overdue":
        if today <= due:
            return None
        first = due + dt.timedelta(days=1)
        step = max(1, rule.days)
        day = first + dt.timedelta(days=((today - first).days // step) * step)
        # the latest scheduled date whose working day has come
        while next_workday(day) > today and day > first:
            day -= dt.timedelta(days=step)
    else:
        return None
    send_on = next_workday(day)
    if send_on > today or (today - send_on).days > window:
        return None
    return day
