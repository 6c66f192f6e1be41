"""What the 我的任务 page shows: a liaison's task list, its reminders and returned reports, and one task with what
the liaison's own units have to report on it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from duban.access import Actor
from duban.rules.records import Task
from duban.services import cycles, reports, tasks


@dataclass(frozen=True)
class MyTask:
    """One task as its liaison sees it: the task, its reports, the deadlines a report can answer, and this
    liaison's own part in it (the list rows of its units, whether they only co-operate, their latest report)."""

    task: Task
    history: list[dict]
    choices: list[dict]
    mine: list[dict]
    own: str
    co_only: bool
    own_latest: dict | None
    percent: int

    @property
    def row(self) -> dict:
        """The task's row in the list (its first unit's, when the liaison has several on it)."""
        return self.mine[0]


def task_list(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """The liaison's tasks, one row per own unit on each, returned, red and yellow first."""
    return reports.my_tasks(db, actor, today)


def due_reminders(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """The reporting cycles whose current period the liaison's units have not reported for yet."""
    return cycles.due_for(db, actor, today)


def returned(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The reports the office returned that have not been answered by a newer one."""
    return reports.returned_reports(db, actor, only_unanswered=True)


def check_link(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> None:
    """Refuse (DubanError) a linked task the liaison may not open; one it may see but is not on passes."""
    tasks.get_task(db, actor, task_id, today)


def my_task(db: sqlite_utils.Database, actor: Actor, task_id: int, rows: list[dict], today: dt.date) -> MyTask:
    """One task of the list, with what the report form and the report history need."""
    task = tasks.get_task(db, actor, task_id, today)
    history = reports.task_reports(db, actor, task_id)
    choices = reports.open_instances(db, actor, task_id)
    mine = [r for r in rows if r["id"] == task_id]
    roles = {r["role"] for r in mine}
    own_units = {m["department_id"] for m in mine}
    own_latest = next((h for h in history if h["department_id"] in own_units), None)
    return MyTask(task=task, history=history, choices=choices, mine=mine,
                  own="、".join(f"{m['department_name']}({m['role_name']})" for m in mine),
                  co_only="co" in roles and "lead" not in roles, own_latest=own_latest,
                  percent=int((own_latest or {}).get("percent") or mine[0]["progress"] or 0))
