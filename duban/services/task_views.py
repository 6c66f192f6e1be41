"""What the 任务 page shows: the tasks behind a 总览 number (or a search), and one task in full with its reports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from duban.access import Actor
from duban.rules.dates import cn_date
from duban.rules.instances import KIND_LABELS, deadline_text
from duban.rules.records import Report, Task
from duban.services import overview, reports, tasks


@dataclass(frozen=True)
class TaskDetail:
    """One task as its page shows it: the task, what each deadline works out to, and each department's latest report."""

    task: Task
    deadline_rows: tuple[dict[str, str], ...]
    latest: tuple[Report, ...]


def task_list(db: sqlite_utils.Database, actor: Actor, today: dt.date, filters: dict[str, Any],
              search: str | None = None) -> list[Task]:
    """The tasks the dashboard's filters (plan, jurisdiction, department, role, light, status, due, month) select,
    narrowed by a search text; the same rule as every number on 总览."""
    if filters:
        ids = overview.task_ids(db, actor, today, **filters)
        return tasks.list_tasks(db, actor, today, task_ids=ids, q=search or None)
    return tasks.list_tasks(db, actor, today, q=search or None)


def task_detail(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> TaskDetail:
    """One task in full for someone who may see it, its deadline table dated as people write dates."""
    task = tasks.get_task(db, actor, task_id, today)
    rows = tuple({"原文表述": d.phrase or "(原文未写明期限)",
                  "计算出的期限": deadline_text(d, d.dues, cn_date, as_written=False),
                  "类型": KIND_LABELS.get(d.kind, d.kind)} for d in task.deadlines)
    return TaskDetail(task, rows, tuple(reports.latest_reports(db, actor, task.id)))
