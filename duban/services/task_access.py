"""Who may see a task: office and leaders the tasks of their place and those below, a liaison its departments'."""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from db.queries import reports as q
from duban.access import Actor, require_department, require_place
from duban.errors import NotFound
from duban.services.textinput import as_id


@dataclass(frozen=True)
class TaskScope:
    """A task as the access check found it, with the departments answering for it."""

    task: dict
    units: list[dict]

    @property
    def department_ids(self) -> set[int]:
        """Every unit answering for the task, lead or co."""
        return {u["department_id"] for u in self.units}

    @property
    def lead_ids(self) -> set[int]:
        """The lead units, whose reports move the task's status."""
        return {u["department_id"] for u in self.units if u["role"] == "lead"}


def require_task_access(db: sqlite_utils.Database, actor: Actor, task_id: int) -> TaskScope:
    """The task, if the actor may see it: office and leaders their places'; a liaison its departments' tasks.

    Changing it is a further check (access.require_own_place): a lower place's task is read-only above it."""
    task = q.task(db, as_id(task_id, "任务编号"))
    if task is None:
        raise NotFound("任务不存在。")
    departments = q.task_units(db, task["id"])
    require_department(actor, {u["department_id"] for u in departments})
    require_place(actor, task["jurisdiction_id"])
    return TaskScope(task, departments)
