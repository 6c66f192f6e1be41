"""What the office types or pastes at import, read the way the extractor reads a document.

Unit cells are split and completed by the extractor's own unit rules (roles such as 牵头 read as it reads them)
and time cells by its time phrase reader, so a plan saved from the 导入 page stores the same departments as
`python -m duban import` of the same file.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

from duban.errors import InputError
from duban.extract.meta import Meta
from duban.extract.normalize import half
from duban.extract.timephrases import deadlines_from_cell
from duban.extract.units import clean_name, restore_prefixes, split_names, split_roles

FREQ_NAMES = {"yearly": "每年", "semiannual": "每半年", "quarterly": "每季度", "monthly": "每月"}
PASTE_COLUMNS = ("任务", "牵头单位", "配合单位", "完成时限")
_HEADER_WORDS = {"任务", "任务名称", "重点任务", "工作任务", "主要任务", "序号"}
_BLANKS = re.compile(r"\s+")


def blank(value) -> bool:
    """An empty cell: None, NaN, NaT, <NA> or whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas' NA refuses to be a bool
        return True


def text(value) -> str | None:
    """A cell as trimmed text, None when empty."""
    return None if blank(value) else str(value).strip()


def whole(value, what: str) -> int | None:
    """A cell that must hold a whole number."""
    if blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}应为整数:{value!r}") from None
    if number != int(number):
        raise InputError(f"{what}应为整数:{value!r}")
    return int(number)


def iso(value) -> str | None:
    """A date cell (date, datetime or text) as ISO text."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def place_stems(jurisdiction: str | None) -> tuple[str, ...]:
    """The jurisdiction's name without its level, as the extractor uses it to tell whole names apart."""
    return Meta(jurisdiction or None, None, None, None, None).place_stems


def split_cell(cell) -> list[str]:
    """Unit names typed in one cell, split by the extractor's rules (blanks between names count as 、)."""
    value = text(cell)
    if not value:
        return []
    names = []
    for piece in split_names(_BLANKS.sub("、", half(value))):
        names.append(piece)
    if not names and clean_name(value):
        names = [clean_name(value)]
    return names


def cell_roles(cell) -> list[tuple[str, str]]:
    """Unit names typed in one cell with the role its words give them ("市民政局(牵头)", "市卫健委牵头,…", "A会同B"),
    read by the extractor's own role splitting (blanks between names count as 、)."""
    value = text(cell)
    if not value:
        return []
    pairs = split_roles(_BLANKS.sub("、", half(value)))
    if not pairs and clean_name(value):
        pairs = [(clean_name(value), "co")]
    return pairs


def units_from_cells(lead_cell, co_cell, jurisdiction: str | None) -> tuple[list[str], list[str]]:
    """A task's (lead, units) from its 牵头单位 and 配合单位 cells, read as the extractor reads a task table's cells:
    every name in the lead cell leads, and so does a name the other cell marks 牵头; level prefixes restored."""
    lead: list[str] = []
    units: list[str] = []
    for name, _role in cell_roles(lead_cell):
        lead.append(name)
        units.append(name)
    for name, role in cell_roles(co_cell):
        if name not in units:
            units.append(name)
        if role == "lead" and name not in lead:
            lead.append(name)
    restored = restore_prefixes(units, place_stems(jurisdiction))
    renamed = dict(zip(units, restored, strict=True))
    return list(dict.fromkeys(renamed[n] for n in lead)), list(dict.fromkeys(restored))


def normalise_units(lead: list[str], units: list[str], jurisdiction: str | None) -> tuple[list[str], list[str]]:
    """A task's (lead, units) in stored form: each name split and cleaned as the extractor does, level prefixes
    restored from the neighbours in the list, duplicates dropped; lead names are among the units."""
    whole_list: list[str] = []
    for name in units:
        whole_list.extend(split_cell(name))
    lead_list: list[str] = []
    for name in lead:
        lead_list.extend(split_cell(name))
    for name in reversed(lead_list):
        if name not in whole_list:
            whole_list.insert(0, name)
    restored = restore_prefixes(whole_list, place_stems(jurisdiction))
    renamed = dict(zip(whole_list, restored, strict=True))
    return (list(dict.fromkeys(renamed.get(n, n) for n in lead_list)), list(dict.fromkeys(restored)))


def deadlines_from_text(cell, reference: dt.date | None) -> list[dict]:
    """Deadlines in a typed 完成时限 cell, read by the extractor's time phrase reader."""
    value = text(cell)
    return deadlines_from_cell(half(value), value, reference) if value else []


def _rows(pasted: str) -> list[list[str]]:
    """Cells of text pasted from a spreadsheet (tab-separated; a cell with line breaks comes quoted)."""
    if "\t" not in pasted and "\n" in pasted.strip():
        raise InputError("粘贴的内容没有分列:请从 Excel 复制“任务 | 牵头单位 | 配合单位 | 完成时限”四列后粘贴,"
                         "或在各列之间用 Tab 分隔。")
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(pasted.strip("\n")), delimiter="\t")]
    rows = [r for r in rows if any(r)]
    if rows and rows[0][0].replace(" ", "") in _HEADER_WORDS:
        rows = rows[1:]
    return rows


def tasks_from_paste(pasted: str, jurisdiction: str | None, reference: dt.date | None, first_seq: int = 1) -> list[dict]:
    """Tasks from rows pasted or typed as 任务 | 牵头单位 | 配合单位 | 完成时限; InputError naming the bad row."""
    tasks = []
    for n, row in enumerate(_rows(pasted or ""), 1):
        row = (row + ["", "", "", ""])[:4]
        title, lead_cell, co_cell, time_cell = row
        if not title:
            raise InputError(f"粘贴的第 {n} 行缺少任务。")
        lead, units = units_from_cells(lead_cell, co_cell, jurisdiction)
        if not units:
            raise InputError(f"粘贴的第 {n} 行(“{title[:20]}”)没有牵头单位或配合单位。")
        tasks.append({"seq": first_seq + len(tasks), "number": None, "title": title, "lead": lead or units[:1],
                      "lead_explicit": bool(lead), "units": units, "deadlines": deadlines_from_text(time_cell, reference),
                      "path": [], "text": title, "ongoing": False, "entered": True, "time_text": time_cell})
    if not tasks:
        raise InputError("没有可加入的任务:请粘贴或填写至少一行。")
    return tasks


def blank_extraction(source_name: str) -> dict:
    """The plan the office fills in by hand when the extractor found no task in a file."""
    return {"source": source_name, "jurisdiction": None, "issuer": None, "title": None, "doc_number": None,
            "published": None, "period": {"start": None, "end": None}, "tasks": [], "indicators": [],
            "entered_by_hand": True}
