"""Plan indicators: who may see and report them, where each stands against its path, and which are off course."""
from __future__ import annotations

import datetime as dt
import json
import zlib

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import indicators as q
from duban.access import Actor, require_office, require_writer
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import indicators as rules
from duban.rules.indicators import GREY, parse_value
from duban.rules.status import GREEN, RED, YELLOW
from duban.rules.text import printable
from duban.services import cache

LIGHT_ORDER = {RED: 0, YELLOW: 1, GREY: 2, GREEN: 3}
COURSES = {"off": "偏离(滞后或未达标)", "on": "正常(已达标或进度正常)", "pending": "待填报 / 待评估"}
NO_NATURE = "未标注"
FIELD_LABELS = {"table_name": "所在表格", "category": "类别", "number": "序号", "name": "指标名称",
                "measure_unit": "计量单位", "baseline": "基期值", "baseline_year": "基期年份", "target": "目标值",
                "target_year": "目标年份", "comparison": "比较方式", "nature": "性质", "unit_ids": "责任单位"}
CORRECTED = "修正指标"
KEPT_ON_REVISION = "修订规划时保留指标修正"
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_VALUE_CHARS = 40
MAX_NOTE_CHARS = 500
MAX_CATEGORY_CHARS = 20


def plan_label(row: dict) -> str:
    """A plan's name for people: its title, else its jurisdiction's plan."""
    return row.get("plan_title") or row.get("title") or f"{row.get('jurisdiction') or ''}规划(无标题)"


def _visible_jurisdictions(db: sqlite_utils.Database, actor: Actor) -> list[int] | None:
    """None for those who see everything; a liaison sees the indicators of its own jurisdictions' plans."""
    if actor.sees_all:
        return None
    return q.jurisdictions_of(db, actor.department_ids)


def _may_report(actor: Actor, unit_ids: list[int]) -> bool:
    if not actor.can_write:
        return False
    if actor.is_office:
        return True
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
            "progress": None if a.progress is None else round(a.progress * 100, 1),
            "expected_share": None if expected_share is None else round(expected_share * 100, 1),
            "note": a.note,
            "report_due": (act is None or act["year"] < window_end) and window_end >= (r["baseline_year"] or 0) + 1
            and a.state != rules.MET,
            "can_report": _may_report(actor, unit_ids),
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
                  department_id=department_id, jurisdiction_ids=_visible_jurisdictions(db, actor))
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


def _load(db: sqlite_utils.Database, actor: Actor, indicator_id: int) -> dict:
    row = q.get(db, int(indicator_id))
    visible = _visible_jurisdictions(db, actor)
    if row is None or (visible is not None and row["jurisdiction_id"] not in visible):
        raise NotFound("指标不存在或无权查看。")
    return row


def get_indicator(db: sqlite_utils.Database, actor: Actor, indicator_id: int, today: dt.date) -> dict:
    """One indicator with its full history of reported values and the numbers its path chart needs."""
    row = _load(db, actor, indicator_id)
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
    visible = _visible_jurisdictions(db, actor)
    plans = [{"id": p["id"], "label": f"{p['jurisdiction'] or ''} · {plan_label(p)}"} for p in q.plans(db, visible)]
    units = [{"id": d["id"], "label": f"{d['jurisdiction'] or ''} {d['name']}".strip()}
             for d in q.responsible_departments(db, visible)]
    return {"plans": plans, "units": units, "categories": q.categories(db, visible),
            "natures": [*rules.NATURES, NO_NATURE]}


def _year(value, label: str, today: dt.date | None = None) -> int | None:
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


def report_actual(db: sqlite_utils.Database, actor: Actor, indicator_id: int, year: int, value: str,
                  source_note: str | None = None, today: dt.date | None = None) -> int:
    """Append one actual value for a year (a later report for the same year supersedes, never overwrites).

    A liaison may report only indicators its department answers for; one with no responsible unit is the office's.
    """
    require_writer(actor)
    row = _load(db, actor, indicator_id)
    unit_ids = [u["department_id"] for u in q.units(db, [row["id"]]).get(row["id"], [])]
    if not actor.is_office:
        if not unit_ids:
            raise AccessDenied("该指标未指定责任单位,由办公室填报。")
        if not set(unit_ids) & actor.department_ids:
            raise AccessDenied("只能填报本部门负责的指标。")
    year = _year(year, "年份", today)
    if year is None:
        raise InputError("请填写年份。")
    text = rules.normalise(value)
    actual = parse_value(text)
    if actual.is_none:
        raise InputError("请填写实际值。")
    if len(text) > MAX_VALUE_CHARS:
        raise InputError(f"实际值过长(最多 {MAX_VALUE_CHARS} 个字符)。")
    target, baseline = parse_value(row["target"]), parse_value(row["baseline"])
    unit = rules.indicator_unit(row["measure_unit"], target, baseline)
    _check_range(actual, unit)
    if target.is_numeric:
        if not actual.is_numeric:
            hint = f"(单位:{unit.text})" if unit else ""
            raise InputError(f"该指标的目标值是数值,请填写数值{hint},例如 {target.number:g}{unit.text if unit else ''}。")
        if not rules.units_compatible(actual, unit):
            raise InputError(f"实际值的单位“{actual.unit_text}”与指标的单位“{unit.text}”不一致。")
        if actual.unit is None and unit is not None:
            text += unit.text
    note = (source_note or "").strip() or None
    if note and len(note) > MAX_NOTE_CHARS:
        raise InputError(f"数据来源说明过长(最多 {MAX_NOTE_CHARS} 个字符)。")
    department_id = next((d for d in unit_ids if d in actor.department_ids), None)
    with transaction(db):
        actual_id = q.insert_actual(db, row["id"], year, text, note, department_id, actor.user_id)
        audit.record(db, actor, "填报指标实际值", "indicator", row["id"],
                     {"actual_id": actual_id, "year": year, "value": text, "source_note": note,
                      "department_id": department_id})
    return actual_id


def _check_range(actual: rules.Value, unit: rules.Unit | None) -> None:
    """Refuse what no indicator of these plans can be: a negative figure, a percentage above 100%."""
    if not actual.is_numeric:
        return
    if actual.number < 0:
        raise InputError(f"实际值不能为负数:{actual.text}")
    percent = actual.unit if actual.unit is not None else unit
    if percent is not None and percent.is_percent and actual.number * percent.factor > 100:
        raise InputError(f"百分比不能超过 100%:{actual.text}")


def departments_for(db: sqlite_utils.Database, actor: Actor, indicator_id: int) -> list[dict]:
    """The departments the office may name responsible for an indicator: those of its plan's jurisdiction."""
    require_office(actor)
    row = _load(db, actor, indicator_id)
    return q.departments_in(db, row["jurisdiction_id"])


def _clean_fields(row: dict, fields: dict) -> dict:
    clean: dict = {}
    for key, raw in fields.items():
        if key == "unit_ids":
            continue
        if key not in q.FIELDS:
            raise InputError(f"不能修改的指标字段:{key}")
        value = raw.strip() if isinstance(raw, str) else raw
        if value == "":
            value = None
        if key in ("baseline_year", "target_year"):
            value = _year(value, "基期年份" if key == "baseline_year" else "目标年份")
        elif key in ("baseline", "target") and value is not None:
            value = rules.normalise(value)
            value = None if parse_value(value).is_none else value
        elif key == "name" and not value:
            raise InputError("指标名称不能为空。")
        elif key == "category" and value is not None:
            value = printable(value).strip() or None  # any category the office names, e.g. 教育
            if value is not None and len(value) > MAX_CATEGORY_CHARS:
                raise InputError(f"类别过长(最多 {MAX_CATEGORY_CHARS} 个字)。")
        elif key == "nature" and value is not None and value not in rules.NATURES:
            raise InputError(f"指标性质应为 {' / '.join(rules.NATURES)} 或留空。")
        elif key == "comparison" and rules.normalise_comparison(value) not in (None, *rules.COMPARISONS):
            raise InputError(f"比较方式应为 {' '.join(rules.COMPARISONS)} 之一或留空。")
        elif key == "comparison":
            value = rules.normalise_comparison(value)
        elif key == "measure_unit" and value is not None and len(value) > 8:
            raise InputError("计量单位过长(最多 8 个字符)。")
        clean[key] = value
    by = clean.get("baseline_year", row["baseline_year"])
    ty = clean.get("target_year", row["target_year"])
    if by is not None and ty is not None and by > ty:
        raise InputError("基期年份不能晚于目标年份。")
    return clean


def _same(key: str, old, new) -> bool:
    if key == "comparison":
        return rules.normalise_comparison(old) == new
    if key in ("baseline", "target", "measure_unit"):
        return rules.normalise(old) == rules.normalise(new)
    return old == new


def correct_indicator(db: sqlite_utils.Database, actor: Actor, indicator_id: int, **fields) -> dict:
    """The office corrects an indicator's fields (and its responsible units, `unit_ids`); the audit log keeps
    what each field was before and after. Returns the changed fields' new values."""
    require_office(actor)
    with transaction(db):
        row = _load(db, actor, indicator_id)
        clean = _clean_fields(row, fields)
        before = {k: row[k] for k in clean if not _same(k, row[k], clean[k])}
        after = {k: clean[k] for k in before}
        if "unit_ids" in fields:
            old_units = [u["department_id"] for u in q.units(db, [row["id"]]).get(row["id"], [])]
            new_units = list(dict.fromkeys(int(d) for d in (fields["unit_ids"] or [])))
            allowed = {d["id"] for d in q.departments_in(db, row["jurisdiction_id"])}
            if any(d not in allowed for d in new_units):
                raise InputError("责任单位必须是本规划所属地区的部门。")
            if new_units != old_units:
                q.set_units(db, row["id"], new_units)
                before["unit_ids"], after["unit_ids"] = old_units, new_units
        if not after:
            return {}
        q.update_fields(db, row["id"], {k: v for k, v in after.items() if k != "unit_ids"})
        audit.record(db, actor, CORRECTED, "indicator", row["id"], {"before": before, "after": after})
    return after


def office_corrections(db: sqlite_utils.Database, indicator_ids: list[int]) -> dict[int, dict]:
    """Per indicator, the fields the office corrected, each with what the plan document says for it (the value
    before the first correction, or what a later revision of the document gave): a revision keeps the office's."""
    out: dict[int, dict] = {}
    if not indicator_ids:
        return out
    for row in q.audit_rows(db, indicator_ids, (CORRECTED, KEPT_ON_REVISION)):
        detail = json.loads(row["detail"] or "{}")
        fields = out.setdefault(row["entity_id"], {})
        if row["action"] == CORRECTED:
            for key, value in (detail.get("before") or {}).items():
                fields.setdefault(key, value)
        else:
            fields.update(detail.get("document") or {})
    return {k: v for k, v in out.items() if v}


def record_kept(db: sqlite_utils.Database, actor: Actor | None, indicator_id: int, document: dict,
                kept: dict) -> None:
    """A revised document says something else for fields the office corrected: the office's values stay, and
    the document's new values are remembered so the next revision compares against them."""
    audit.record(db, actor, KEPT_ON_REVISION, "indicator", indicator_id, {"document": document, "kept": kept})


def corrections(db: sqlite_utils.Database, actor: Actor, indicator_id: int) -> list[dict]:
    """The audit trail of one indicator: corrections and reports, oldest first."""
    _load(db, actor, indicator_id)
    return audit.for_entity(db, "indicator", int(indicator_id))


# --- demo data -------------------------------------------------------------------------------------------------

def _demo_kind(row: dict) -> str:
    """A fixed, name-based choice of how an indicator fares in the demo."""
    key = f"{row['jurisdiction']}|{row['table_name']}|{row['name']}|{row['target_year']}|{row['position']}"
    n = zlib.crc32(key.encode("utf-8")) % 100
    if n < 8:
        return "none"
    if n < 62:
        return "on"
    if n < 86:
        return "behind"
    return "far"


def _demo_values(row: dict, kind: str, today: dt.date) -> list[tuple[int, str]]:
    """Deterministic yearly actuals for one indicator, following, trailing or well behind its path."""
    baseline, target = parse_value(row["baseline"]), parse_value(row["target"])
    ty = row["target_year"]
    if target.is_none or ty is None or kind == "none":
        return []
    start_year = int((row["period_start"] or f"{ty - 4}")[:4])
    last = min(ty, today.year - 1)
    by = row["baseline_year"] if row["baseline_year"] and baseline.is_numeric else None
    first = by + 1 if by else max(start_year, ty - 2)
    years = list(range(first, last + 1))
    if not years:
        return []
    if target.is_textual:
        return [(years[-1], "已实现" if kind == "on" else "未实现")]
    unit = rules.indicator_unit(row["measure_unit"], target, baseline)
    t = rules.in_unit(target, unit)
    b = rules.in_unit(baseline, unit) if by else None
    direction = rules.direction_of(b, target, t)
    sign = 1 if direction == "up" else -1
    if b is None or b == t:
        span = abs(t) * (0.1 if b == t else 0.35) or 1.0
        b0, y0 = t - sign * span, (by if by else first - 1)
    else:
        b0, y0 = b, by
    percent = unit is not None and unit.is_percent
    decimals = max(rules.decimals_of(target), rules.decimals_of(baseline), 1 if percent else 0)
    step = 10 ** -decimals
    out = []
    for y in years:
        expected = rules.expected_at(b0, y0, t, ty, y)
        if kind == "on":
            value = t if b == t else expected + sign * abs(t - b0) * 0.04
            if y >= ty:
                value = max(value, t) if sign > 0 else min(value, t)
        else:
            share = 0.85 if kind == "behind" else 0.55
            value = b0 + (expected - b0) * share
            if b == t:  # a level to hold: slipping further below it year by year
                slip = (0.02 if kind == "behind" else 0.06) * (y - y0) / max(1, ty - y0)
                value = t - sign * abs(t) * slip
        if percent:
            value = min(value, 100.0)
        value = round(value, decimals)
        reached = rules.reached(value, t, target.comparison, direction)
        if kind == "on" and y >= ty and not reached:
            value += sign * step
        elif kind != "on" and y >= ty and reached:
            value -= sign * step
        out.append((y, rules.format_number(value, decimals) + (unit.text if unit else "")))
    return out


def seed_demo(db: sqlite_utils.Database, today: dt.date) -> int:
    """Add demo actuals for every plan's indicators so some are on course and some off; returns rows added."""
    if q.demo_actuals_exist(db):
        return 0
    rows = q.rows(db)
    kinds = {r["id"]: _demo_kind(r) for r in rows}
    binding = [r for r in rows if r["nature"] == rules.BINDING and parse_value(r["target"]).is_numeric]
    if binding and not any(kinds[r["id"]] in ("behind", "far") for r in binding):
        kinds[binding[-1]["id"]] = "far"
    if binding and not any(kinds[r["id"]] == "on" for r in binding):
        kinds[binding[0]["id"]] = "on"
    units = q.units(db, [r["id"] for r in rows])
    added = 0
    with transaction(db):
        for r in rows:
            department_id = next((u["department_id"] for u in units.get(r["id"], [])), None)
            for year, value in _demo_values(r, kinds[r["id"]], today):
                q.insert_actual(db, r["id"], year, value, f"{year}年度统计数据(演示)", department_id, None,
                                is_demo=True)
                added += 1
        audit.record(db, None, "演示指标实际值", "indicator", None, {"rows": added})
    return added
