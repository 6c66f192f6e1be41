"""What the 指标 page shows: the indicators under the chosen filters, worst light first, counted by light, and one
indicator in full with its facts and its record of reported values."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from duban.access import Actor
from duban.services import indicators as ind

MAX_BARS = 40
COURSES = ind.COURSES  # the 进度 filter's choices


@dataclass(frozen=True)
class Board:
    """The list part of the page: rows (worst light first), their counts by light and the progress bars."""

    rows: list[dict]
    counts: dict[str, int]
    missing_actuals: int  # rows this user reports (or a leader watches) still lacking the latest year's value
    bars: list[dict]  # rows with a numeric progress, at most MAX_BARS
    more_bars: bool  # more rows have a progress than the bars show


def with_year(value: str | None, year: int | None) -> str:
    """A value with its year, as the page writes it: 56.2(2025年); a dash when there is none."""
    if not value:
        return "—"
    return f"{value}({year}年)" if year else value


def filter_options(db: sqlite_utils.Database, actor: Actor) -> dict:
    """What the page's filters offer this actor: plans, responsible units, categories, natures."""
    return ind.filter_options(db, actor)


def board(db: sqlite_utils.Database, actor: Actor, today: dt.date, *, plan_id: int | None = None,
          category: str | None = None, nature: str | None = None, department_id: int | None = None,
          course: str | None = None) -> Board:
    """The indicators the actor may see under the filters, red before yellow before grey before green."""
    rows = ind.list_indicators(db, actor, today, plan_id=plan_id, category=category, nature=nature,
                               department_id=department_id, course=course)
    rows.sort(key=lambda r: (ind.LIGHT_ORDER[r["light"]], r["plan_id"], r["id"]))
    missing = sum(1 for r in rows if r["report_due"] and (r["can_report"] or actor.role == "leader"))
    measured = [r for r in rows if r["progress"] is not None]
    return Board(rows, ind.summary(rows), missing, measured[:MAX_BARS], len(measured) > MAX_BARS)


def table(rows: list[dict]) -> list[dict]:
    """One line per indicator for the page's table (the light is left as 红/黄/绿/灰 for the page to mark)."""
    return [{
        "灯": r["light"],
        "状态": r["state"],
        "地区": r["jurisdiction"] or "",
        "指标": r["name"],
        "性质": r["nature"] or "未标注",
        "基期值": with_year(r["baseline"], r["baseline_year"]),
        "目标值": with_year(r["target"], r["target_year"]),
        "最新实际值": with_year(r["latest_actual"], r["latest_year"]),
        "应达值": r["expected"] or "—",
        "进度": r["progress"],
        "责任单位": "、".join(r["units"]) or "办公室",
    } for r in rows]


def choice_label(row: dict) -> str:
    """How an indicator is named in the page's picker."""
    return f"{row['light']}灯 · {row['jurisdiction'] or ''} · {row['name']}(目标{row['target_year'] or '—'}年)"


def detail(db: sqlite_utils.Database, actor: Actor, indicator_id: int, today: dt.date) -> dict:
    """One indicator in full (ind.get_indicator) plus its facts as (label, text) lines, for the page's side panel."""
    item = ind.get_indicator(db, actor, indicator_id, today)
    item["facts"] = [
        ("规划", item["plan"]),
        ("类别 / 性质", f"{item['category'] or '—'} / {item['nature'] or '未标注'}"),
        ("基期", with_year(item["baseline"], item["baseline_year"])),
        ("目标", with_year(item["target"], item["target_year"])),
        ("最新实际", with_year(item["latest_actual"], item["latest_year"])),
        ("按期应达", item["expected"] or "—"),
        ("责任单位", "、".join(item["units"]) or "未指定(由办公室填报)"),
    ]
    return item
