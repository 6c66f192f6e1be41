"""Reporting an indicator's actual value for a year: who may, and what a value must look like."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import indicators as q
from duban.access import Actor, require_own_place, require_writer
from duban.errors import AccessDenied, InputError
from duban.rules import indicators as rules
from duban.rules.indicators import parse_value
from duban.services.indicators import load, parse_year

MAX_VALUE_CHARS = 40
MAX_NOTE_CHARS = 500


def report_actual(db: sqlite_utils.Database, actor: Actor, indicator_id: int, year: int, value: str,
                  source_note: str | None = None, today: dt.date | None = None) -> int:
    """Append one actual value for a year (a later report for the same year supersedes, never overwrites).

    A liaison may report only indicators its department answers for; one with no responsible unit is the office's,
    and the office reports only its own place's (a lower place's indicator is read-only to it).
    """
    require_writer(actor)
    row = load(db, actor, indicator_id)
    unit_ids = [u["department_id"] for u in q.units(db, [row["id"]]).get(row["id"], [])]
    if actor.is_office:
        require_own_place(actor, row["jurisdiction_id"])
    else:
        if not unit_ids:
            raise AccessDenied("该指标未指定责任单位,由办公室填报。")
        if not set(unit_ids) & actor.department_ids:
            raise AccessDenied("只能填报本部门负责的指标。")
    year = parse_year(year, "年份", today)
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
