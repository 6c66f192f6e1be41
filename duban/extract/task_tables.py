"""Task tables: rows under 序号 / 重点任务 / 牵头单位 / 配合单位 (责任单位) / 完成时限 become tasks.

The header may sit below title rows; a row with one value (or one value repeated in every cell, as
converted spreadsheets write merged cells) is a section label that goes into the path; an empty lead
cell means the cell above was merged over this row. A table that restates tasks the body already
gives through its responsibility clauses (an annex 任务分工表) adds none of its own.
"""
from __future__ import annotations

import re
from datetime import date

from duban.extract.clauses import Clause
from duban.extract.headings import first_sentence_end, strip_end_punct
from duban.extract.normalize import half
from duban.extract.tasks import Piece, RawTask, collect_tasks
from duban.extract.units import split_names, split_roles
from duban.extract.vocabulary import TASK_COLUMN_WORDS

_WHOLE_CELL_ROLES = ("number",)
_PUNCT = re.compile(r"[\s“”\"'‘’《》()（）〔〕\[\],，。.;；:：、!！?？—\-·*＊]")


def _roles(header: list[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for k, cell in enumerate(header):
        text = re.sub(r"\s", "", half(cell))
        for role, words in TASK_COLUMN_WORDS:
            hit = text in words if role in _WHOLE_CELL_ROLES else any(w in text for w in words)
            if hit:
                roles.setdefault(role, []).append(k)
                break
    return roles


def _header_index(rows: list[list[str]]) -> tuple[int, dict[str, list[int]]] | None:
    """The first row naming a task column and a unit column (title rows above it are skipped)."""
    for k, row in enumerate(rows):
        if len({c.strip() for c in row if c.strip()}) < 2:
            continue
        roles = _roles(row)
        if "task" in roles and ("lead" in roles or "resp" in roles) and not any("指标" in c for c in row):
            while k + 1 < len(rows) and _second_header(rows[k + 1]):
                # a two-level header ("责任单位" over "牵头单位 | 配合单位"): the lower row names the columns
                k += 1
                lower = _roles(rows[k])
                for role in list(roles):
                    roles[role] = [c for c in roles[role] if not any(c in v for v in lower.values())]
                    if not roles[role]:
                        del roles[role]
                for role, cols in lower.items():
                    roles[role] = sorted(set(roles.get(role, []) + cols))
            return k, roles
    return None


def _second_header(row: list[str]) -> bool:
    roles = _roles(row)
    named = sum(len(v) for r, v in roles.items() if r in ("lead", "co", "resp", "time", "task"))
    return named >= 2 and not any(re.fullmatch(r"\d{1,3}", half(c).strip(" .、")) for c in row)


def _section_row(row: list[str], width: int) -> str | None:
    """A row that labels the rows below it: one value, or one value repeated in every cell."""
    filled = [c.strip() for c in row if c.strip()]
    if not filled or len(filled[0]) > 40 or len(set(filled)) != 1:
        return None
    if len(row) >= 2 and len(filled) == len(row):
        return filled[0]
    if len(filled) == 1 and (len(row) < width or row[0].strip()):
        return filled[0]
    return None


def _body_text(outline) -> str:
    """The text of the tasks the body's clauses give, for telling a restating annex table."""
    return "".join(p.norm for t in collect_tasks(outline.root) for p in t.pieces)


def _plain(text: str) -> str:
    return _PUNCT.sub("", half(text))


def _restates(task: RawTask, body: str) -> bool:
    """A table row that repeats a body task: its title or a sentence of its text is in the body."""
    if not body:
        return False
    texts = [task.title] + [s for p in task.pieces for s in re.split(r"[。;\n]", p.norm)]
    return any(len(_plain(s)) >= 8 and _plain(s)[:40] in body for s in texts)


def tasks_from_tables(outline, reference: date | None) -> list[RawTask]:
    """Tasks from every task table in the outline, leaving out tables that restate the body's tasks."""
    out: list[RawTask] = []
    body = None
    for table, path in outline.tables:
        found = _header_index(table.rows)
        if not found:
            continue
        h, roles = found
        rows = _table_tasks(table, path, h, roles)
        if not rows:
            continue
        if body is None:
            body = _plain(_body_text(outline))
        repeated = [t for t in rows if _restates(t, body)]
        if len(repeated) * 2 >= len(rows):
            continue  # the table re-lists the body's tasks
        out.extend(t for t in rows if t not in repeated)
    return out


def _table_tasks(table, path, h: int, roles: dict[str, list[int]]) -> list[RawTask]:
    width = len(table.rows[h])
    section: list[str] = []
    above_units: dict[str, str] = {}
    out: list[RawTask] = []
    for row in table.rows[h + 1:]:
        label = _section_row(row, width)
        if label is not None:
            section = [strip_end_punct(label)]
            above_units = {}
            continue
        filled = [c for c in row if c.strip()]
        if len(row) < width:
            row = row + [""] * (width - len(row))
        unit_cells = [row[k] for r in ("lead", "resp", "co") for k in roles.get(r, []) if k < len(row)]
        number = _cell(row, roles, "number")
        serial = bool(re.fullmatch(r"\d{1,3}", half(number).strip(" .、")))
        if not any(c.strip() for c in unit_cells) and (not above_units or not serial) \
                and sum(len(c) for c in filled) <= 40:
            section = [strip_end_punct(_section_label(filled))]
            continue
        main = "lead" if "lead" in roles else "resp"
        cell = _cell(row, roles, main)
        if cell:
            above_units = {main: cell}
        elif above_units.get(main):
            row = list(row)
            row[roles[main][0]] = above_units[main]
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
