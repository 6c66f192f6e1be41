"""What the office types or pastes at import, read the way the extractor reads a document.

Unit cells are split and completed by the extractor's own unit rules and time cells by its time phrase reader,
so a plan saved from the 导入 page stores the same departments as `python -m duban import` of the same file.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re

from duban.errors import InputError
from duban.extract.meta import Meta
from duban.extract.normalize import half
from duban.extract.timephrases import deadlines_from_cell
from duban.extract.units import clean_name, restore_prefixes, split_names

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
        lead, units = normalise_units([lead_cell], [lead_cell, co_cell], jurisdiction)
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


def _deadline(row: dict, n: int) -> dict:
    kind = text(row.get("类型")) or "一次性"
    phrase = text(row.get("原文表述"))
    if kind == "一次性":
        due = iso(row.get("日期"))
        if not due:
            raise InputError(f"期限表第 {n} 行是一次性期限,请填写日期。")
        return {"kind": "once", "due": due, "phrase": phrase}
    freq = next((k for k, v in FREQ_NAMES.items() if v == kind), None)
    if freq is None:
        raise InputError(f"期限表第 {n} 行的类型“{kind}”无法识别。")
    return {"kind": "recurring", "freq": freq, "month": whole(row.get("月"), f"期限表第 {n} 行的月"),
            "day": whole(row.get("日"), f"期限表第 {n} 行的日"), "phrase": phrase}


def _task(row: dict, n: int, old: dict, jurisdiction: str | None, by_seq: dict) -> dict:
    title = text(row.get("任务名称"))
    if not title:
        raise InputError(f"任务表第 {n} 行缺少任务名称。")
    old_lead = list(old.get("lead") or [])
    old_co = "、".join(u for u in old.get("units") or [] if u not in old_lead)
    lead_cell, co_cell = text(row.get("牵头单位")) or "", text(row.get("配合单位")) or ""
    if old and lead_cell == "、".join(old_lead) and co_cell == old_co:
        lead, units, explicit = old_lead, list(old.get("units") or []), bool(old.get("lead_explicit", True))
    else:
        lead, units = normalise_units([lead_cell], [lead_cell, co_cell], jurisdiction)
        written = [u for u in old.get("units") or [] if u in units]
        units = written + [u for u in units if u not in written]
        explicit = bool(lead) and (bool(old.get("lead_explicit", True)) or lead != old_lead)
    if not units:
        raise InputError(f"任务“{title}”没有责任单位。")
    seq = whole(row.get("序号"), f"任务“{title}”的序号") or (max(by_seq, default=0) + 1)
    if seq in by_seq:
        raise InputError(f"任务序号 {seq} 重复,请改为不同的序号。")
    return {**old, "seq": seq, "number": text(row.get("编号")), "title": title, "lead": lead or units[:1],
            "units": units, "deadlines": [], "path": old.get("path") or [], "lead_explicit": explicit,
            "text": old.get("text") or title, "ongoing": bool(old.get("ongoing"))}


def _indicator(row: dict, n: int, old: dict, jurisdiction: str | None) -> dict:
    name = text(row.get("指标名称"))
    if not name:
        raise InputError(f"指标表第 {n} 行缺少指标名称。")
    responsible = text(row.get("责任单位")) or ""
    if old and responsible == "、".join(old.get("responsible") or []):
        units = list(old.get("responsible") or [])
    else:
        units = normalise_units([], [responsible], jurisdiction)[1]
    return {**old, "category": text(row.get("类别")), "number": text(row.get("编号")), "name": name,
            "baseline": text(row.get("基期值")), "baseline_year": whole(row.get("基期年份"), f"指标“{name}”的基期年份"),
            "target": text(row.get("目标值")), "target_year": whole(row.get("目标年份"), f"指标“{name}”的目标年份"),
            "nature": text(row.get("属性")), "responsible": units}


def apply_corrections(original: dict, meta: dict, task_rows: list[dict], deadline_rows: list[dict],
                      indicator_rows: list[dict]) -> dict:
    """The extraction as the office corrected it in the review tables; InputError (Chinese) for a cell that
    cannot be right. Rows keep a `_key` naming the task or indicator they came from; a row whose unit cells are
    as extracted keeps the extractor's unit lists exactly, an edited cell is read by the extractor's rules."""
    ex = copy.deepcopy(original)
    ex.update(meta)
    jurisdiction = ex.get("jurisdiction")
    tasks, by_seq = [], {}
    for n, row in enumerate(task_rows, 1):
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["tasks"][key] if key is not None else {}
        task = _task(row, n, old, jurisdiction, by_seq)
        by_seq[task["seq"]] = task
        tasks.append(task)
    for n, row in enumerate(deadline_rows, 1):
        if all(blank(v) for v in row.values()):
            continue
        seq = whole(row.get("任务序号"), f"期限表第 {n} 行的任务序号")
        if seq not in by_seq:
            raise InputError(f"期限表第 {n} 行的任务序号 {seq if seq is not None else '(空)'} 不在任务表中。")
        by_seq[seq]["deadlines"].append(_deadline(row, n))
    ex["tasks"] = sorted(tasks, key=lambda t: t["seq"])
    indicators = []
    for n, row in enumerate(indicator_rows, 1):
        if all(blank(v) for k, v in row.items() if k != "_key"):
            continue
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["indicators"][key] if key is not None else {"table": None}
        indicators.append(_indicator(row, n, old, jurisdiction))
    ex["indicators"] = indicators
    return ex
