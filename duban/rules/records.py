"""The office's nouns as typed, read-only records: what services hand to pages, reports and the command line.

Dates stay ISO text (as stored) so a record prints and compares as the database has it; `from_row` builds a
record from a database row, ignoring columns the record does not name.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

R = TypeVar("R")


def from_row(cls: type[R], row: Mapping[str, Any], **extra: Any) -> R:
    """A record of type cls from a row (a dict or sqlite3.Row) plus extra fields; unknown columns are left out."""
    names = {f.name for f in dataclasses.fields(cls)}
    values = {k: row[k] for k in row.keys() if k in names}
    values.update(extra)
    return cls(**values)


def many(cls: type[R], values: dict[str, Any]) -> R:
    """A record built without running the dataclass __init__, for lists of thousands (the task list holds
    10,000 tasks; a frozen __init__ costs several times building a dict). Fields left out keep their default;
    the caller names every field without one."""
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


@dataclass(frozen=True)
class Plan:
    """A plan (规划) the office imported."""

    id: int
    title: str | None = None
    jurisdiction_id: int | None = None
    jurisdiction: str | None = None
    source_name: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Department:
    """A department (单位) answering for tasks; role and position when it is named on a task."""

    id: int
    name: str
    jurisdiction_id: int | None = None
    jurisdiction: str | None = None
    liaison_name: str | None = None
    liaison_phone: str | None = None
    liaison_email: str | None = None
    role: str | None = None  # lead | co, on a task
    label: str = ""  # 郑州市 · 市民政局, where names repeat across jurisdictions
    lead_tasks: int = 0
    co_tasks: int = 0
    aliases: tuple[str, ...] = ()  # other names its jurisdiction's documents use for it


@dataclass(frozen=True)
class Deadline:
    """A task's deadline as the plan wrote it (phrase) and as a rule (kind, due or freq/month/day)."""

    id: int
    kind: str
    due: str | None = None
    freq: str | None = None
    month: int | None = None
    day: int | None = None
    phrase: str | None = None
    position: int = 0
    rule: str = ""  # describe(): 每年5月31日前, 2025-12-31, 持续推进
    dues: tuple[str, ...] = ()  # the due dates of its instances, earliest first


@dataclass(frozen=True)
class Instance:
    """One dated occurrence of a deadline and whether it was done."""

    id: int
    due: str
    state: str = "open"  # open | claimed | closed
    deadline_id: int | None = None
    period_label: str | None = None
    closed_at: str | None = None
    overdue_since: str | None = None
    phrase: str | None = None
    kind: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Task:
    """A task with its departments, next due date and light; the full view adds body, deadlines and history."""

    id: int
    title: str
    status: str
    plan_id: int | None = None
    plan_title: str | None = None
    period_start: str | None = None
    jurisdiction_id: int | None = None
    jurisdiction: str | None = None
    seq: int | None = None
    number: str | None = None
    progress: int = 0
    source: str | None = None
    source_note: str | None = None
    meeting_id: int | None = None
    ongoing: int = 0
    removed: int = 0
    created_at: str | None = None
    lead: tuple[str, ...] = ()
    co: tuple[str, ...] = ()
    departments: tuple[Department, ...] = ()  # lead first, in the order written
    next_due: str | None = None  # earliest open due date, overdue ones first
    upcoming_due: str | None = None  # earliest open due date from today on
    overdue: bool = False
    overdue_count: int = 0
    light: str = ""
    # the full view (get_task)
    body: str | None = None
    path: tuple[str, ...] = ()
    lead_explicit: int = 1
    deadlines: tuple[Deadline, ...] = ()
    instances: tuple[Instance, ...] = ()
    history: tuple[dict, ...] = ()
    parent_task_id: int | None = None  # the task it was dispatched from or breaks down (services.dispatch)
    dispatch_state: str | None = None  # 待接收 | 已接收, for a task given to a lower place's office

    @property
    def units(self) -> tuple[str, ...]:
        """Names of the departments answering for the task, lead first."""
        return tuple(d.name for d in self.departments)


@dataclass(frozen=True)
class Report:
    """A department's progress report on a task, with its review and evidence files."""

    id: int
    task_id: int
    department_id: int
    progress_text: str | None = None
    percent: int | None = None
    claimed_status: str | None = None
    coordination_need: str | None = None
    coordination_from: str | None = None
    review_state: str | None = None
    review_note: str | None = None
    reported_on: str | None = None
    created_at: str | None = None
    department_name: str | None = None
    unit_role: str | None = None
    role_name: str | None = None
    evidence: tuple[dict, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReportingPeriod:
    """One period of a reporting cycle (填报周期): reports filed after `after` and on or before `due` count for it."""

    due: dt.date
    label: str
    after: dt.date
