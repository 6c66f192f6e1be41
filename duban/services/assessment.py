"""Department assessment (考核): a score per department from a rule the office can read and adjust."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import asdict, dataclass, fields

import sqlite_utils

from db import transaction
from db.queries import assessment as q
from db.queries import audit
from db.queries import settings as settings_q
from duban.access import Actor, require_office
from duban.errors import AccessDenied, InputError
from duban.rules.rates import on_time_rate, percent
from duban.rules.text import printable
from duban.services.plans import visible_plan
from duban.services.textinput import not_formula

SETTING_KEY = "assessment_rule"
NOTHING_DUE = "本期无到期事项"
REPORT_LEAD_MONTHS = 3
MAX_WEIGHT = 1000


@dataclass(frozen=True)
class Rule:
    """The scoring rule's weights; the text on the page is generated from them."""

    base: float = 30
    completion_weight: float = 40
    report_weight: float = 30
    overdue_item_penalty: float = 2
    overdue_days_per_point: int = 30
    overdue_cap: float = 20
    returned_penalty: float = 5
    returned_cap: float = 15

    def text(self) -> str:
        """The rule in words, as the page and the pack print it."""
        return (f"得分 = 基础分 {_n(self.base)} + 按时完成率 × {_n(self.completion_weight)} + 按时填报率 × "
                f"{_n(self.report_weight)} − 逾期扣分 − 退回扣分,最低 0 分。"
                f"按时完成率:考核期内到期、由本单位牵头的期限事项中,在期限内经审核销号的比例;"
                f"按时填报率:考核期内到期、本单位承担(牵头或配合)的期限事项中,本单位在到期日前"
                f"{REPORT_LEAD_MONTHS}个月内报送了进展的比例;两项中某一项考核期内没有到期事项的,该项不计,"
                f"其权重并入另一项;两项都没有到期事项的单位列为“{NOTHING_DUE}”,不参加排名;"
                f"逾期扣分:考核截止时仍逾期未完成的牵头事项每项扣 {_n(self.overdue_item_penalty)} 分,考核期内逾期天数合计每满 "
                f"{self.overdue_days_per_point} 天再扣 1 分,合计不超过 {_n(self.overdue_cap)} 分;"
                f"退回扣分:考核期内每份被退回的报告扣 {_n(self.returned_penalty)} 分,不超过 {_n(self.returned_cap)} 分。")

    def max_score(self) -> float:
        return self.base + self.completion_weight + self.report_weight


FIELD_LABELS = {"base": "基础分", "completion_weight": "按时完成率权重", "report_weight": "按时填报率权重",
                "overdue_item_penalty": "每项逾期扣分", "overdue_days_per_point": "逾期每满多少天扣 1 分",
                "overdue_cap": "逾期扣分上限", "returned_penalty": "每份退回报告扣分", "returned_cap": "退回扣分上限"}


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def get_rule(db: sqlite_utils.Database) -> Rule:
    """The rule in force: the office's saved weights, else the defaults."""
    raw = settings_q.setting(db, SETTING_KEY)
    if not raw:
        return Rule()
    try:
        saved = json.loads(raw)
        names = {f.name for f in fields(Rule)}
        return Rule(**{k: v for k, v in saved.items() if k in names})
    except (ValueError, TypeError):
        return Rule()


def save_rule(db: sqlite_utils.Database, actor: Actor, **values) -> Rule:
    """Change the rule's weights (the office of the whole database: the rule is every place's); every value
    must be a number that is not negative."""
    require_office(actor)
    if actor.place_id is not None:
        raise AccessDenied("考核规则是全系统的设置,只能由全库办公室修改。")
    current = asdict(get_rule(db))
    for key, value in values.items():
        if key not in current:
            raise InputError(f"未知的计分项:{key}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{FIELD_LABELS[key]}应为数字。") from None
        if not math.isfinite(number) or number > MAX_WEIGHT:
            raise InputError(f"{FIELD_LABELS[key]}应为 0 到 {MAX_WEIGHT} 之间的数字。")
        if number < 0:
            raise InputError(f"{FIELD_LABELS[key]}不能为负数。")
        if key == "overdue_days_per_point":
            if number < 1:
                raise InputError("逾期天数的计分间隔至少为 1 天。")
            number = int(number)
        current[key] = number
    rule = Rule(**current)
    with transaction(db):
        settings_q.set_setting(db, SETTING_KEY, json.dumps(asdict(rule)))
        audit.record(db, actor, "修改考核规则", "setting", None, asdict(rule))
    return rule


def _day(value, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        raise InputError(f"{what}格式不正确:{value!r},应为 YYYY-MM-DD。") from None


def score(rule: Rule, completion_rate: float | None, report_rate: float | None, overdue_items: int,
          overdue_days: int, returned: int) -> dict:
    """One department's score and its parts (rates in 0..1; None means nothing fell due for that part, whose
    weight then goes to the other part, so a unit is never given marks for work it did not have)."""
    weights = rule.completion_weight + rule.report_weight
    if completion_rate is None and report_rate is None:
        completion, reporting = rule.completion_weight, rule.report_weight
    elif completion_rate is None:
        completion, reporting = 0.0, weights * report_rate
    elif report_rate is None:
        completion, reporting = weights * completion_rate, 0.0
    else:
        completion, reporting = rule.completion_weight * completion_rate, rule.report_weight * report_rate
    overdue = min(rule.overdue_cap, rule.overdue_item_penalty * overdue_items
                  + overdue_days // max(1, int(rule.overdue_days_per_point)))
    returns = min(rule.returned_cap, rule.returned_penalty * returned)
    total = max(0.0, rule.base + completion + reporting - overdue - returns)
    return {"base": rule.base, "completion_points": round(completion, 1), "report_points": round(reporting, 1),
            "overdue_penalty": round(overdue, 1), "returned_penalty": round(returns, 1), "score": round(total, 1)}


def evaluate(db: sqlite_utils.Database, actor: Actor, start, end, today: dt.date, plan_id: int | None = None) -> dict:
    """Scores for every department with tasks, for deadlines falling due in [start, end] (up to today), each
    with its breakdown, ranked within its jurisdiction; a liaison sees only its own departments, an office or
    leader with a place only its own place's units (a lower place's office ranks its own; a sibling's never)."""
    if actor.role not in ("office", "leader", "system", "liaison"):
        raise AccessDenied()
    if plan_id is not None:
        visible_plan(db, actor, plan_id)
    own = None if actor.place_id is None else frozenset([actor.place_id])
    start_d, end_d = _day(start, "考核开始日期"), _day(end, "考核结束日期")
    if end_d < start_d:
        raise InputError("考核结束日期不能早于开始日期。")
    rule = get_rule(db)
    as_of = min(end_d, today)
    as_of_iso = as_of.isoformat()
    per: dict[int, dict] = {}
    for d in q.departments_with_tasks(db, plan_id, own):
        if actor.sees_all or d["id"] in actor.department_ids:
            per[d["id"]] = {"department_id": d["id"], "department": d["name"], "jurisdiction": d["jurisdiction"],
                            "lead_due": 0, "on_time": 0, "overdue_items": 0, "overdue_days": 0,
                            "report_due": 0, "reported": 0, "returned": 0}
    start_iso = start_d.isoformat()
    for i in q.due_instances(db, start_iso, end_d.isoformat(), plan_id, REPORT_LEAD_MONTHS):
        row = per.get(i["department_id"])
        if row is None or i["due"] >= as_of_iso:
            continue
        due = dt.date.fromisoformat(i["due"])
        in_window = i["due"] >= start_iso
        closed_by = i["closed_on"] if i["state"] == "closed" and i["closed_on"] and i["closed_on"] <= as_of_iso else None
        if in_window:
            row["report_due"] += 1
            row["reported"] += bool(i["reported_on"])
        if i["role"] != "lead" or i["state"] == "claimed":
            continue
        if in_window:
            row["lead_due"] += 1
            if closed_by and closed_by <= i["due"]:
                row["on_time"] += 1
                continue
        if closed_by and closed_by <= i["due"]:
            continue
        # days late counted inside the window only: from the later of due+1 and start, to closing or as_of
        late_from = max(due, start_d - dt.timedelta(days=1))
        late_until = dt.date.fromisoformat(closed_by) if closed_by else as_of
        row["overdue_days"] += max(0, (late_until - late_from).days)
        if not closed_by:
            row["overdue_items"] += 1
    for department_id, n in q.returned_reports(db, start_d.isoformat(), end_d.isoformat(), plan_id).items():
        if department_id in per:
            per[department_id]["returned"] = n
    rows = []
    for row in per.values():
        completion = on_time_rate(row["on_time"], row["lead_due"])
        reporting = on_time_rate(row["reported"], row["report_due"])
        row.update(completion_rate=percent(completion), report_rate=percent(reporting),
                   **score(rule, completion, reporting, row["overdue_items"], row["overdue_days"], row["returned"]))
        # a unit with nothing due in the period has earned no score: it is listed apart, not ranked first
        row["nothing_due"] = not (row["report_due"] or row["lead_due"] or row["overdue_days"] or row["returned"])
        if row["nothing_due"]:
            row["score"] = None
        row["note"] = NOTHING_DUE if row["nothing_due"] else ""
        rows.append(row)
    # departments are ranked against the others of their own jurisdiction; those with nothing due come last
    rows.sort(key=lambda r: (r["jurisdiction"] or "", r["nothing_due"], -(r["score"] or 0), r["department_id"]))
    place, rank = None, 0
    for row in rows:
        rank = rank + 1 if row["jurisdiction"] == place else 1
        place = row["jurisdiction"]
        row["rank"] = None if row["nothing_due"] else rank
    return {"start": start_d.isoformat(), "end": end_d.isoformat(), "as_of": as_of_iso, "rule": asdict(rule),
            "rule_text": rule.text(), "max_score": rule.max_score(), "rows": rows}


EXPORT_COLUMNS = [("rank", "名次"), ("jurisdiction", "地区"), ("department", "单位"), ("score", "得分"),
                  ("base", "基础分"), ("completion_rate", "按时完成率(%)"), ("completion_points", "完成得分"),
                  ("report_rate", "按时填报率(%)"), ("report_points", "填报得分"), ("lead_due", "到期牵头事项"),
                  ("on_time", "按时销号"), ("overdue_items", "逾期事项"), ("overdue_days", "逾期天数"),
                  ("overdue_penalty", "逾期扣分"), ("returned", "退回报告"), ("returned_penalty", "退回扣分"),
                  ("note", "说明")]


def to_csv(result: dict) -> bytes:
    """The scores as CSV (UTF-8 with BOM, so Excel opens the Chinese correctly)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([label for _, label in EXPORT_COLUMNS])
    for r in result["rows"]:
        w.writerow(["" if r[k] is None else not_formula(printable(r[k]) if isinstance(r[k], str) else r[k])
                    for k, _ in EXPORT_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
