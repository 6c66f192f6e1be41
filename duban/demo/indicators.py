"""Demo indicator actuals: every plan's indicators get yearly values, some on course and some off."""
from __future__ import annotations

import datetime as dt
import zlib

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import indicators as q
from duban.rules import indicators as rules
from duban.rules.indicators import parse_value


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


def seed(db: sqlite_utils.Database, today: dt.date) -> int:
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
