"""Storing a plan's indicators, on a revision keeping the reported actuals and the office's corrections."""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from db.queries import indicators as ind_q
from db.queries import plans as q
from duban.access import Actor
from duban.rules import indicators as ind_rules
from duban.services import departments as department_s
from duban.services import indicator_corrections


def _indicator_key(row: dict) -> tuple:
    return (row.get("table") if "table" in row else row.get("table_name"), row.get("category"), row.get("name"),
            row.get("target_year"))


def _document_field(column: str) -> str:
    """The extraction's key for an indicator column (table_name is `table` there)."""
    return "table" if column == "table_name" else column


def _same_value(column: str, a, b) -> bool:
    if column == "unit_ids":
        return list(a or []) == list(b or [])
    if column in ("baseline_year", "target_year"):
        return (None if a in (None, "") else int(a)) == (None if b in (None, "") else int(b))
    if column == "comparison":
        return ind_rules.normalise_comparison(a) == ind_rules.normalise_comparison(b)
    return ind_rules.normalise(a) == ind_rules.normalise(b)


@dataclass
class _IndicatorPairs:
    """A revision's indicators against the stored ones: (position, document row, stored row or None) and the
    stored rows the document no longer lists; `corrections` as duban.services.indicators.office_corrections."""

    pairs: list[tuple[int, dict, dict | None]]
    unmatched: list[dict]
    corrections: dict[int, dict]


def _pair_indicators(db: sqlite_utils.Database, plan_id: int, ex: dict) -> _IndicatorPairs:
    """Match by table, category, name and target year as the document had them (before any office correction)."""
    stored = q.indicators(db, plan_id)
    corrections = indicator_corrections.office_corrections(db, [r["id"] for r in stored])
    existing = {}
    for r in stored:
        view = {**r, **{k: v for k, v in corrections.get(r["id"], {}).items() if k in r}}
        existing[_indicator_key(view)] = r
    pairs, kept = [], set()
    for pos, ind in enumerate(ex["indicators"]):
        old = existing.get(_indicator_key(ind))
        if old and old["id"] not in kept:
            kept.add(old["id"])
            pairs.append((pos, ind, old))
        else:
            pairs.append((pos, ind, None))
    return _IndicatorPairs(pairs, [r for r in existing.values() if r["id"] not in kept], corrections)


def _shown(db: sqlite_utils.Database, column: str, value) -> str:
    """An indicator field's value as the diff shows it (responsible units by name)."""
    if column != "unit_ids":
        return "" if value is None else str(value)
    names = ind_q.department_names(db, [i for i in value if i is not None])
    return "、".join(names.get(i, "(新单位)") for i in value) or "无"


def _corrected_fields(db: sqlite_utils.Database, old: dict, ind: dict, corrected: dict,
                      unit_ids: list) -> tuple[dict, dict, list[dict]]:
    """For a stored indicator the office corrected: the office's values to keep, the document's values that
    changed since (to remember), and the conflicts to show (the document now differs from the office)."""
    keep, changed, conflicts = {}, {}, []
    for column, said_before in corrected.items():
        if column == "unit_ids":
            office = [u["department_id"] for u in ind_q.units(db, [old["id"]]).get(old["id"], [])]
            says_now = unit_ids
        elif column in old:
            office, says_now = old[column], ind.get(_document_field(column))
        else:
            continue
        keep[column] = office
        if _same_value(column, says_now, said_before):
            continue
        changed[column] = says_now
        if not _same_value(column, says_now, office):
            conflicts.append({"id": old["id"], "name": old["name"], "field": column,
                              "label": indicator_corrections.FIELD_LABELS.get(column, column),
                              "office": _shown(db, column, office), "document": _shown(db, column, says_now)})
    return keep, changed, conflicts


def indicator_conflicts(db: sqlite_utils.Database, jid: int, plan_id: int, ex: dict) -> list[dict]:
    """What a revision would meet of the office's corrections (nothing is written)."""
    found = _pair_indicators(db, plan_id, ex)
    out = []
    for _pos, ind, old in found.pairs:
        corrected = found.corrections.get(old["id"], {}) if old else {}
        if corrected:
            units = [department_s.resolve(db, jid, n) for n in (ind.get("responsible") or []) if str(n).strip()]
            out += _corrected_fields(db, old, ind, corrected, list(dict.fromkeys(units)))[2]
    for old in found.unmatched:
        if old["id"] in found.corrections:
            out.append({"id": old["id"], "name": old["name"], "field": None, "label": "", "office": "",
                        "document": ""})
    return out


def store_indicators(db: sqlite_utils.Database, plan_id: int, jid: int, ex: dict,
                     actor: Actor | None = None) -> None:
    """Store the extraction's indicators; on a revision, update matching rows so reported actuals stay attached
    and the office's corrections stay as the office made them."""
    found = _pair_indicators(db, plan_id, ex)
    for pos, ind, old in found.pairs:
        deps = list(dict.fromkeys(department_s.ensure_department(db, jid, n)
                                  for n in (ind.get("responsible") or []) if str(n).strip()))
        if old is None:
            q.set_indicator_units(db, q.insert_indicator(db, plan_id, ind, pos), deps)
            continue
        corrected = found.corrections.get(old["id"], {})
        keep, changed, _ = _corrected_fields(db, old, ind, corrected, deps) if corrected else ({}, {}, [])
        q.update_indicator(db, old["id"], {**ind, **{_document_field(c): v for c, v in keep.items()}}, pos)
        if "unit_ids" not in keep:
            q.set_indicator_units(db, old["id"], deps)
        if changed:
            indicator_corrections.record_kept(db, actor, old["id"], changed, {c: keep[c] for c in changed})
    for old in found.unmatched:
        if not old["actuals"] and old["id"] not in found.corrections:
            q.delete_indicator(db, old["id"])
