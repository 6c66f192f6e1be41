"""Free text users type: kept as written, minus the control characters no page, Word or Excel file can hold."""
from __future__ import annotations

from duban.errors import InputError
from duban.rules.cells import safe_cell
from duban.rules.text import printable


def clean(text: object, what: str, limit: int, *, required: bool = False) -> str:
    """A form field's text, trimmed and made printable; empty when required, or longer than `limit`, is refused."""
    value = printable(text).strip()
    if required and not value:
        raise InputError(f"请填写{what}。")
    if len(value) > limit:
        raise InputError(f"{what}过长(超过 {limit} 字),请精简后再提交。")
    return value


def not_formula(value: object) -> object:
    """A spreadsheet cell value that a spreadsheet will never run (the rule lives in duban.rules.cells)."""
    return safe_cell(value)


def as_id(value: object, what: str = "编号") -> int:
    """A record id passed in by a page, a link or a command: a whole number, else a Chinese error."""
    if isinstance(value, bool):
        raise InputError(f"{what}不正确:{value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise InputError(f"{what}不正确:{value!r}") from None
    if not 0 < number < 2**63:  # SQLite integers are 64-bit; anything else names no record
        raise InputError(f"{what}不正确:{value!r}")
    return number
