"""What the 考核 page shows: the period choices, the scores for one choice and place, and its files."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from duban.access import Actor
from duban.reports import assessment as sheet
from duban.reports import duty_report as duty_file
from duban.rules.places import in_place, place_names
from duban.services import assessment, duty_report, reporting_periods
from duban.services.assessment import FIELD_LABELS, NOTHING_DUE, Rule, get_rule, save_rule

__all__ = ["FIELD_LABELS", "NOTHING_DUE", "Rule", "get_rule", "save_rule"]

YEAR_TO_DATE = "本年度至今"
CUSTOM = "自定义"
ALL_PLACES = "全部"


def year_start(today: dt.date) -> dt.date:
    """The first day a year-to-date period counts from."""
    return dt.date(today.year, 1, 1)


def _locked_periods(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    return [p for p in reporting_periods.list_periods(db, actor) if p["locked_at"]]


def period_choices(db: sqlite_utils.Database, actor: Actor) -> list[str]:
    """The periods a score can be worked out for: the year so far, each locked reporting period (newest first), any dates."""
    return [YEAR_TO_DATE] + [p["label"] for p in _locked_periods(db, actor)][::-1] + [CUSTOM]


def resolve_period(db: sqlite_utils.Database, actor: Actor, pick: str, today: dt.date,
                   custom: tuple[dt.date, dt.date] | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of the chosen period (`custom` holds the dates typed for 自定义)."""
    if pick == YEAR_TO_DATE:
        return year_start(today), today
    if pick == CUSTOM:
        assert custom is not None
        return custom
    chosen = next(p for p in _locked_periods(db, actor) if p["label"] == pick)
    return dt.date.fromisoformat(chosen["start"]), dt.date.fromisoformat(chosen["end"])


def evaluate(db: sqlite_utils.Database, actor: Actor, start: dt.date, end: dt.date, today: dt.date,
             plan_id: int | None = None) -> dict:
    """Every unit's score for the period (see services.assessment.evaluate)."""
    return assessment.evaluate(db, actor, start, end, today, plan_id=plan_id)


def places(result: dict) -> list[str]:
    """The places the scored units are in, for the place filter (全部 first)."""
    return [ALL_PLACES, *place_names(result["rows"])]


def in_one_place(result: dict, place: str) -> dict:
    """The result limited to the units of one place (全部: all of them), as shown and as exported."""
    return dict(result, rows=in_place(result["rows"], None if place == ALL_PLACES else place))


def files(result: dict) -> dict[str, tuple[str, bytes]]:
    """The shown scores as Excel and CSV: kind -> (file name, bytes)."""
    stem = f"考核得分_{result['start']}_{result['end']}"
    return {"xlsx": (f"{stem}.xlsx", sheet.render_xlsx(result)), "csv": (f"{stem}.csv", assessment.to_csv(result))}


def duty_draft(db: sqlite_utils.Database, actor: Actor, department_id: int, year: int,
               today: dt.date) -> tuple[str, bytes]:
    """One unit's annual duty report draft for the period's year: (file name, .docx bytes)."""
    return duty_report.file_name(db, department_id, year), duty_file.build(db, actor, department_id, year, today)
