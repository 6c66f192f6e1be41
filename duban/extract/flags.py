"""Review notes on an extracted task: where the reading was a guess an office should check."""
from __future__ import annotations

import re

from duban.extract.vocabulary import ODD_UNIT_WORDS, UNIT_ENDINGS, alternation

_UNIT_END = re.compile(rf"(?:{alternation(UNIT_ENDINGS)})$")
_ODD_WORD = re.compile(alternation(ODD_UNIT_WORDS))
_LONGEST_UNIT = 24


def flag(code: str, detail: str = "") -> dict:
    """One review note."""
    return {"code": code, "detail": detail}


def task_flags(written: list[str], units: list[str], lead_explicit: bool, unread: list[str]) -> list[dict]:
    """Notes for one task: a guessed lead, restored prefixes, unread time phrases, odd unit names."""
    out = []
    if units and not lead_explicit:
        out.append(flag("lead_guessed", units[0]))
    out.extend(flag("prefix_restored", new) for old, new in zip(written, units, strict=True) if old != new)
    out.extend(flag("time_unread", phrase) for phrase in dict.fromkeys(unread))
    out.extend(flag("unit_odd", u) for u in units if is_odd_unit(u))
    return out


def is_odd_unit(name: str) -> bool:
    """Whether a unit name does not read as one: no known ending, too long, or holding a verb."""
    return len(name) > _LONGEST_UNIT or not _UNIT_END.search(name) or bool(_ODD_WORD.search(name))


def drop_flag(task: dict, code: str) -> None:
    """Remove a note once a later rule settles the question (a document rule names the lead)."""
    task["flags"] = [f for f in task.get("flags", []) if f["code"] != code]
