"""The office correcting an indicator's fields, and what a plan revision must keep of those corrections."""
from __future__ import annotations

import json

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import indicators as q
from duban.access import Actor, require_office, require_own_place
from duban.errors import InputError
from duban.rules import indicators as rules
from duban.rules.indicators import parse_value
from duban.rules.text import printable
from duban.services.indicators import load, parse_year

FIELD_LABELS = {"table_name": "所在表格", "category": "类别", "number": "序号", "name": "指标名称",
                "measure_unit": "计量单位", "baseline": "基期值", "baseline_year": "基期年份", "target": "目标值",
                "target_year": "目标年份", "comparison": "比较方式", "nature": "性质", "unit_ids": "责任单位"}
CORRECTED = "修正指标"
KEPT_ON_REVISION = "修订规划时保留指标修正"
MAX_CATEGORY_CHARS = 20


def departments_for(db: sqlite_utils.Database, actor: Actor, indicator_id: int) -> list[dict]:
    """The departments the office may name responsible for an indicator: those of its plan's jurisdiction."""
    require_office(actor)
    row = load(db, actor, indicator_id)
    require_own_place(actor, row["jurisdiction_id"])
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
            value = parse_year(value, "基期年份" if key == "baseline_year" else "目标年份")
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
        row = load(db, actor, indicator_id)
        require_own_place(actor, row["jurisdiction_id"])  # a lower place's indicator is read-only
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
    load(db, actor, indicator_id)
    return audit.for_entity(db, "indicator", int(indicator_id))
