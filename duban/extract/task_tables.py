"""Task tables: rows under 序号 / 重点任务 / 牵头单位 / 配合单位 (责任单位) / 完成时限 become tasks."""
from __future__ import annotations

import re
from datetime import date

from duban.extract.clauses import Clause
from duban.extract.headings import first_sentence_end, strip_end_punct
from duban.extract.normalize import half
from duban.extract.tasks import Piece, RawTask
from duban.extract.units import split_names, split_roles

_COLUMNS = [
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("leader", re.compile(r"领导|负责人|联系人|责任人")),  # people (牵头市领导), not departments
    ("lead", re.compile(r"(?:牵头单位|牵头部门|主责单位|主责部门|牵头)")),
    ("co", re.compile(r"(?:配合单位|配合部门|协办单位|参与单位|协同单位|协作单位|配合)")),
    ("resp", re.compile(r"(?:责任单位|责任部门|负责单位|实施单位|责任主体)")),
    ("time", re.compile(r"(?:完成时限|完成时间|时间节点|时限|进度安排|完成期限|时间安排|时间要求)")),
    ("task", re.compile(r"(?:任务|工作内容|工作措施|主要措施|具体措施|重点工作|工作事项|事项|内容|举措)")),
]


def _roles(header: list[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for k, cell in enumerate(header):
        text = re.sub(r"\s", "", half(cell))
        for role, rx in _COLUMNS:
            if rx.search(text):
                roles.setdefault(role, []).append(k)
                break
    return roles


def _header_index(rows: list[list[str]]) -> tuple[int, dict[str, list[int]]] | None:
    for k, row in enumerate(rows[:3]):
        roles = _roles(row)
        if "task" in roles and ("lead" in roles or "resp" in roles) and not any("指标" in c for c in row):
            return k, roles
    return None


def tasks_from_tables(outline, reference: date | None) -> list[RawTask]:
    """Tasks from every task table in the outline."""
    out: list[RawTask] = []
    for table, path in outline.tables:
        found = _header_index(table.rows)
        if not found:
            continue
        h, roles = found
        width = len(table.rows[h])
        section: list[str] = []
        for row in table.rows[h + 1:]:
            filled = [c for c in row if c.strip()]
            if len(filled) == 1 and (len(row) < width or row.index(filled[0]) == 0) and len(filled[0]) <= 40:
                section = [strip_end_punct(filled[0])]
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            unit_cells = [row[k] for r in ("lead", "resp", "co") for k in roles.get(r, []) if k < len(row)]
            if not any(c.strip() for c in unit_cells) and sum(len(c) for c in filled) <= 40:
                section = [strip_end_punct(_section_label(filled))]
                continue
            task = _row_task(row, roles, table, path + section)
            if task:
                out.append(task)
    return out


def _section_label(filled: list[str]) -> str:
    first, rest = filled[0].strip(), "".join(c.strip() for c in filled[1:])
    if not rest:
        return first
    numeral = re.fullmatch(r"[一二三四五六七八九十]+|\d{1,2}", first)
    return first + ("、" if numeral and re.fullmatch(r"[一二三四五六七八九十]+", first) else "." if numeral else "") + rest


def _cell(row: list[str], roles: dict[str, list[int]], role: str) -> str:
    return "".join(row[k].strip() for k in roles.get(role, []) if k < len(row))


def _row_task(row, roles, table, path) -> RawTask | None:
    task_cols = roles["task"]
    if len(task_cols) >= 2:
        title_text, text = row[task_cols[0]].strip(), "".join(row[k].strip() for k in task_cols[1:])
    else:
        title_text, text = "", row[task_cols[0]].strip()
    if not text and not title_text:
        return None
    text = text or title_text
    units: list[str] = []
    lead: list[str] = []
    explicit = False
    lead_cell, resp_cell, co_cell = _cell(row, roles, "lead"), _cell(row, roles, "resp"), _cell(row, roles, "co")
    if lead_cell:
        lead = split_names(half(lead_cell))
        explicit = bool(lead)
        units.extend(lead)
    for cell in (resp_cell, co_cell):
        if not cell:
            continue
        for name, role in split_roles(half(cell)):
            if name not in units:
                units.append(name)
            if role == "lead" and name not in lead:
                lead.append(name)
                explicit = True
    if not units:
        return None
    number = _cell(row, roles, "number") or None
    if title_text:
        title = strip_end_punct(title_text)
    else:
        norm = half(text)
        title = strip_end_punct(text[:first_sentence_end(norm)])
    full = f"{title_text}\n{text}" if title_text and title_text != text else text
    time_cell = _cell(row, roles, "time")
    piece = Piece(full, half(full))
    clause = Clause(0, 0, lead=lead, units=units, lead_explicit=explicit, time_text=time_cell)
    return RawTask(table.start, path, number, title, clause, [piece])
