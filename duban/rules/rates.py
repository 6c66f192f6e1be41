"""The office's rates, defined once: the 考核 page, the meeting pack and the exports all use these."""
from __future__ import annotations


def on_time_rate(done: int, due: int) -> float | None:
    """The share (0..1) of what fell due that was done on time; None when nothing fell due."""
    return done / due if due else None


def percent(rate: float | None) -> float | None:
    """A share as a percentage with one decimal, as every page and document prints it."""
    return None if rate is None else round(rate * 100, 1)
