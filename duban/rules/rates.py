"""The office's rates, defined once: the 考核 page, the meeting pack and the exports all use these."""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def on_time_rate(done: int, due: int) -> float | None:
    """The share (0..1) of what fell due that was done on time; None when nothing fell due."""
    return done / due if due else None


def percent(rate: float | None) -> float | None:
    """A share as a percentage with one decimal, as every page and document prints it."""
    return None if rate is None else round(rate * 100, 1)


def on_time_counts(instances: Iterable[Mapping], today: str, task_closed: bool) -> tuple[int, int]:
    """(closed on time, due so far) of one task's deadline instances, the one home of the rule: an instance
    counts as due once it is closed, or open and past due while its task is not closed; it was on time when
    it was closed (closed_on, an ISO date) on or before its due date."""
    on_time = due = 0
    for i in instances:
        if i["state"] == "closed":
            due += 1
            on_time += bool(i["closed_on"] and i["closed_on"] <= i["due"])
        elif i["state"] == "open" and i["due"] < today and not task_closed:
            due += 1
    return on_time, due
