"""Spreadsheet cells that a spreadsheet never runs: the one rule every export and table uses."""
from __future__ import annotations

import re

# a cell starting with one of these is read as a formula (or a DDE command) by Excel, WPS and LibreOffice
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def safe_cell(value: object) -> object:
    """Text that would start a formula gets a leading ' (shown as text); other values are returned unchanged.

    A signed plain number such as -3 or +5% is left alone: a spreadsheet reads it as the number it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
