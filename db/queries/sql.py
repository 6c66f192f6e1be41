"""Small pieces of SQL text shared by the query modules."""
from __future__ import annotations

from collections.abc import Iterable


def marks(values: Iterable) -> str:
    """One '?' per value, comma-separated, for an IN list or a VALUES row (the values are bound separately)."""
    return ",".join("?" for _ in values)
