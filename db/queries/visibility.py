"""The conditions that limit a query to the tasks of given departments, or of given places."""
from __future__ import annotations

from collections.abc import Iterable

from db.queries.sql import marks


def of_departments(task_column: str, departments: Iterable[int], args: list) -> str:
    """SQL: the task has a unit among these departments (none given matches nothing); ids are bound through args."""
    ids = list(departments) or [-1]
    args.extend(ids)
    return f"{task_column} IN (SELECT task_id FROM task_units WHERE department_id IN ({marks(ids)}))"


def of_places(place_column: str, places: Iterable[int] | None, args: list) -> str:
    """SQL: the row's place is among these (None: every place, with or without one); ids are bound through args."""
    if places is None:
        return "1=1"
    ids = list(places) or [-1]
    args.extend(ids)
    return f"{place_column} IN ({marks(ids)})"
