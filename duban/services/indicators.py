"""Plan indicators: who may see them, where each stands against its path, and which are off course."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db.queries import indicators as q
from duban.access import Actor
from duban.errors import InputError, NotFound
from duban.rules import indicators as rules
from duban.rules.indicators import GREY, parse_value
from duban.rules.rates import percent
from duban.rules.status import GREEN, RED, YELLOW
from duban.services import cache, places

LIGHT_ORDER = {RED: 0, YELLOW: 1, GREY: 2, GREEN: 3}
COURSES = {"off": "偏离(滞后或未达标)", "on": "正常(已达标或进度正常)", "pending": "待填报 / 待评估"}
NO_NATURE = "未标注"
MIN_YEAR, MAX_YEAR = 1990, 2100


def plan_label(row: dict) -> str:
    """A plan's name for people: its title, else its jurisdiction's plan."""
    return row.get("plan_title") or row.get("title") or f"{row.get('jurisdiction') or ''}规划(无标题)"


def _may_report(actor: Actor, unit_ids: list[int], place_id: int | None) -> bool:
    """Whether the actor may report an actual: the office of the indicator's own place, or a liaison of one of
    its responsible units (a lower place's indicator is read-only to the office above)."""
    if not actor.can_write:
        return False
    if actor.is_office:
        return actor.owns_place(place_id)
    return bool(set(unit_ids) & actor.department_ids)


def _with_unit(number: float | None, unit: rules.Unit | None, decimals: int) -> str | None:
    if number is None:
        return None
    return rules.format_number(round(number, decimals)) + (unit.text if unit else "")


def _assemble(db: sqlite_utils.Database, actor: Actor, rows: list[dict], today: dt.date) -> list[dict]:
    ids = [r["id"] for r in rows]
    units = q.units(db, ids)
    latest = q.latest_actuals(db, ids, today.year)
    out = []
    for r in rows:
        baseline, target = parse_value(r["baseline"]), parse_value(r["target"])
        act = latest.get(r["id"])
        actual = parse_value(act["value"]) if act else None
        a = rules.assess(baseline=baseline, baseline_year=r["baseline_year"], target=target,
                         target_year=r["target_year"], actual=actual, actual_year=act["year"] if act else None,
                         nature=r["nature"], measure_unit=r["measure_unit"], comparison=r["comparison"])
        unit = rules.indicator_unit(r["measure_unit"], target, baseline)
        decimals = max(rules.decimals_of(baseline), rules.decimals_of(target)) + 1
        unit_rows = units.get(r["id"], [])
        unit_ids = [u["department_id"] for u in unit_rows]
        expected_share = None
        if (act and r["baseline_year"] is not None and r["target_year"] is not None
                and r["target_year"] > r["baseline_year"]):
            expected_share = min(1.0, max(0.0, (act["year"] - r["baseline_year"])
                                          / (r["target_year"] - r["baseline_year"])))
        last_year = today.year - 1
        window_end = min(last_year, r["target_year"] or last_year)
        out.append({
            "id": r["id"], "plan_id": r["plan_id"], "plan": plan_label(r), "jurisdiction": r["jurisdiction"],
            "jurisdiction_id": r["jurisdiction_id"], "table": r["table_name"], "number": r["number"],
            "category": r["category"], "name": r["name"],
            "measure_unit": r["measure_unit"] or (unit.text if unit else None),
            "baseline": None if baseline.is_none else r["baseline"], "baseline_year": r["baseline_year"],
            "target": None if target.is_none else r["target"], "target_year": r["target_year"],
            "comparison": rules.normalise_comparison(r["comparison"]) or target.comparison, "nature": r["nature"],
            "units": [u["name"] for u in unit_rows], "unit_ids": unit_ids,
            "latest_actual": act["value"] if act else None, "latest_year": act["year"] if act else None,
            "latest_note": act["source_note"] if act else None,
            "state": a.state, "light": a.light, "on_course": a.on_course, "direction": a.direction,
            "expected": _with_unit(a.expected, unit, decimals) if a.state in rules.OFF_STATES + (rules.ON_COURSE,)
            else None,
            "progress": percent(a.progress),
            "expected_share": percent(expected_share),
            "note": a.note,
            "report_due": (act is None or act["year"] < window_end) and window_end >= (r["baseline_year"] or 0) + 1
            and a.state != rules.MET,
            "can_report": _may_report(actor, unit_ids, r["jurisdiction_id"]),
        })
    return out


def _course_matches(row: dict, course: str | None) -> bool:
    if not course:
        return True
    if course == "on":
        return row["on_course"] is True
    if course == "off":
        return row["on_course"] is False
    if course == "pending":
        return row["on_course"] is None
    raise InputError(f"未知的进度筛选:{course}(应为 on / off / pending)。")


def list_indicators(db: sqlite_utils.Database, actor: Actor, today: dt.date, *, plan_id: int | None = None,
                    category: str | None = None, nature: str | None = None, department_id: int | None = None,
                    course: str | None = None, light: str | None = None, search: str | None = None) -> list[dict]:
    """The indicators the actor may see, each with its latest actual and its light, filtered as asked."""
    rows = q.rows(db, plan_id=plan_id, category=category or None, nature=nature or None,
                  department_id=department_id, jurisdiction_ids=places.visible_places(db, actor))
    if search:
        rows = [r for r in rows if search.strip() in r["name"]]
    out = _assemble(db, actor, rows, today)
    return [r for r in out if _course_matches(r, course) and (not light or r["light"] == light)]


def off_course(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None) -> list[dict]:
    """Indicators behind their path or past their target year unmet, binding (红) first; for 总览 and the meeting pack."""
    def compute() -> list[dict]:
        rows = list_indicators(db, actor, today, plan_id=plan_id, course="off")
        return sorted(rows, key=lambda r: (LIGHT_ORDER[r["light"]], r["plan_id"], r["id"]))
    return cache.remember(db, ("off_course", cache.actor_key(actor), today, plan_id), compute)


def summary(rows: list[dict]) -> dict[str, int]:
    """How many of the rows show each light."""
    counts = {RED: 0, YELLOW: 0, GREEN: 0, GREY: 0}
    for r in rows:
        counts[r["light"]] += 1
    return counts


def load(db: sqlite_utils.Database, actor: Actor, indicator_id: int) -> dict:
    """The indicator's row if the actor may see it; NotFound otherwise."""
    row = q.get(db, int(indicator_id))
    visible = places.visible_places(db, actor)
    if row is None or (visible is not None and row["jurisdiction_id"] not in visible):
        raise NotFound("指标不存在或无权查看。")
    return row


def get_indicator(db: sqlite_utils.Database, actor: Actor, indicator_id: int, today: dt.date) -> dict:
    """One indicator with its full history of reported values and the numbers its path chart needs."""
    row = load(db, actor, indicator_id)
    item = _assemble(db, actor, [row], today)[0]
    history = q.actuals(db, row["id"])
    latest_ids = {}
    for h in history:
        latest_ids[h["year"]] = h["id"]
    baseline, target = parse_value(row["baseline"]), parse_value(row["target"])
    unit = rules.indicator_unit(row["measure_unit"], target, baseline)
    item["history"] = [{**h, "superseded": latest_ids[h["year"]] != h["id"],
                        "reporter": h["department_name"] or ("办公室" if h["user_id"] else "系统")}
                       for h in history]
    item["fields"] = {k: row[k] for k in q.FIELDS}
    item["series"] = {
        "unit": unit.text if unit else "",
        "baseline": (row["baseline_year"], rules.in_unit(baseline, unit))
        if baseline.is_numeric and row["baseline_year"] else None,
        "target": (row["target_year"], rules.in_unit(target, unit)) if target.is_numeric and row["target_year"] else None,
        "actuals": [(h["year"], rules.in_unit(parse_value(h["value"]), unit), h["value"])
                    for h in history if latest_ids[h["year"]] == h["id"] and h["year"] <= today.year],
    }
    return item


def filter_options(db: sqlite_utils.Database, actor: Actor) -> dict:
    """What the 指标 page's filters offer this actor: plans, responsible units, categories, natures."""
    visible = places.visible_places(db, actor)
    plans = [{"id": p["id"], "label": f"{p['jurisdiction'] or ''} · {plan_label(p)}"} for p in q.plans(db, visible)]
    units = [{"id": d["id"], "label": f"{d['jurisdiction'] or ''} {d['name']}".strip()}
             for d in q.responsible_departments(db, visible)]
    return {"plans": plans, "units": units, "categories": q.categories(db, visible),
            "natures": [*rules.NATURES, NO_NATURE]}


def parse_year(value, label: str, today: dt.date | None = None) -> int | None:
    """A typed year (None when empty); InputError for one out of range or, given today, still to come."""
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InputError(f"{label}应为四位年份,例如 2025。") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"{label}应在 {MIN_YEAR}—{MAX_YEAR} 年之间。")
    if today is not None and year > today.year:
        raise InputError(f"{label}{year}年尚未到来,不能填报。")
    return year
