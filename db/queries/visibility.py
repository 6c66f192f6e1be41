"""The condition that limits a query to the tasks of given departments."""
from __future__ import annotations

from collections.abc import Iterable

from db.queries.sql import marks


def of_departments(task_column: str, departments: Iterable[int], args: list) -> str:
    """SQL: the task has a unit among these departments (none given matches nothing); ids are bound through args."""
    ids = list(departments) or [-1]
    args.extend(ids)
    return f"{task_column} IN (SELECT task_id FROM task_units WHERE department_id IN ({marks(ids)}))"
