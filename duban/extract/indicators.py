"""Indicator tables: rows with name, baseline, target, year, nature and responsible units, and the
indicator record shared with the goal-section targets (goal_targets.py).
"""
from __future__ import annotations

import re

from duban.extract.headings import detect, strip_end_punct
from duban.extract.normalize import half, squeeze
from duban.extract.tables import TextTable
from duban.extract.units import split_names
from duban.extract.vocabulary import (
    CATEGORY_MARKERS,
    CATEGORY_PLACE_PREFIXES,
    EMPTY_CELLS,
    INDICATOR_COLUMN_WORDS,
    TARGET_TABLE_WORDS,
    TASK_COLUMN_WORDS,
    TOTAL_ROW_WORDS,
)
from duban.rules.plan_periods import PLAN_END

_EMPTY = set(EMPTY_CELLS)
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])\s*")


# ---- categories: only what the document itself names ------------------------------------------

def category_named(text: str | None) -> str | None:
    """The category a caption, heading or sentence names with 方面: "全市养老方面具体指标" -> 养老."""
    if not text:
        return None
    for marker in CATEGORY_MARKERS:
        m = re.search(rf"([\u4e00-\u9fff]+){marker}", text)
        if m:
            word = m.group(1)
            for place in CATEGORY_PLACE_PREFIXES:
                if word.startswith(place) and len(word) > len(place) + 1:
                    word = word[len(place):]
                    break
            else:  # a place's own name: 石门市产业方面 -> 产业
                named = re.match(r"^[\u4e00-\u9fff]{2,4}[省市县区州旗盟](?=[\u4e00-\u9fff]{2})", word)
                if named:
                    word = word[named.end():]
            if 2 <= len(word) <= 8:
                return word
    return None


def section_name(text: str) -> str | None:
    """A section row's or sub-heading's label as written, without its number: "一、养老" -> 养老."""
    label = _NUMBERING.sub("", text.strip())
    label = strip_end_punct(label)
    return category_named(label) or (label if 1 <= len(label) <= 20 else None)


# ---- tables -----------------------------------------------------------------------------

# a header cell's role: the first rule whose words match (the whole cell, or anywhere in it) names it
_ROLES = tuple(
    (re.fullmatch if how == "whole" else re.search, "|".join(re.escape(w) for w in words), role)
    for how, words, role in INDICATOR_COLUMN_WORDS[:6]
) + ((re.search, r"(?:19|20)\d{2}", "year"),) + tuple(
    (re.fullmatch if how == "whole" else re.search, "|".join(re.escape(w) for w in words), role)
    for how, words, role in INDICATOR_COLUMN_WORDS[6:]
)


def _role(cell: str) -> str:
    c = squeeze(half(cell))
    return next((role for match, pattern, role in _ROLES if match(pattern, c)), "value")


def _value(cell: str) -> str | None:
    text = cell.strip()
    return None if squeeze(half(text)) in _EMPTY else text


def _caption_year(caption: str | None, period_alone: bool = False) -> int | None:
    """The target year a caption or header names: its one year, or the end of the plan period it names
    (for a plain table of figures the period's name alone is enough: a 十四五 allocation)."""
    if not caption:
        return None
    for name, year in PLAN_END.items():
        if name in caption and (period_alone or re.search(r"期末|末期|期间|时期|目标", caption)):
            return year
    years = re.findall(r"(?:19|20)\d{2}", caption)
    return int(years[-1]) if len(set(years)) == 1 else None


def _clean_caption(caption: str | None) -> str | None:
    if not caption:
        return None
    label = detect(half(caption), caption)
    if label and label.style in ("num_dot", "num_paren", "cn_paren", "cn_comma", "dotted", "circled"):
        caption = caption[label.rest_at:]
    caption = re.sub(r"(?:如下|见下表|详见下表)[:：]?$", "", strip_end_punct(caption))
    return strip_end_punct(caption) or None


def _comparison(target: str | None) -> str | None:
    if not target:
        return None
    t = half(target)
    if re.search(r"≥|≧|不低于|不少于|以上|至少|>=", t):
        return ">="
    if re.search(r"≤|≦|不高于|不超过|以下|以内|<=", t):
        return "<="
    if t.startswith(">") or t.startswith("超过") or t.startswith("高于"):
        return ">"
    if t.startswith("<") or t.startswith("低于"):
        return "<"
    return None


def make_indicator(table, category, number, name, baseline, baseline_year, target, target_year, nature=None,
               responsible=None, measure=None) -> dict:
    """One indicator in the schema's shape, with measure_unit and comparison where known."""
    out = {
        "table": table, "category": category, "number": number, "name": name,
        "baseline": baseline, "baseline_year": baseline_year, "target": target, "target_year": target_year,
        "nature": nature, "responsible": responsible or [],
    }
    if measure:
        out["measure_unit"] = measure
    comparison = _comparison(target)
    if comparison:
        out["comparison"] = comparison
    return out


def _is_indicator_header(roles: list[str], header: list[str], caption: str | None) -> bool:
    return ("name" in roles and any("指标" in c for c in header)) or "year_rows" in roles[:1] or (
        caption is not None and "指标" in caption and "name" in roles)


_TASK_TABLE_WORDS = tuple(w for role, words in TASK_COLUMN_WORDS if role in ("lead", "co", "time", "leader")
                          for w in words)


def table_indicators(table: TextTable, period: dict) -> list[dict]:
    """Indicators from one table, or [] when it is not an indicator table.

    The header may sit under title rows. A table with baseline/target or year columns is read by
    column; a table of figures whose caption or header speaks of targets or allocations (分配, 计划,
    任务 …) gives one indicator per row and figure column, named row label + column header."""
    rows = [r for r in table.rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        return []
    caption = _clean_caption(table.caption)
    start_year = int(period["start"][:4]) if period.get("start") else None
    end_year = int(period["end"][:4]) if period.get("end") else None
    headers = [h for h, row in enumerate(rows[:6]) if len({c.strip() for c in row if c.strip()}) >= 2]
    for h in headers:  # title rows above the header are passed over
        header = rows[h]
        roles = [_role(c) for c in header]
        if _is_indicator_header(roles, header, caption):
            if roles[0] == "year_rows":
                return _year_row_table(rows[h:], caption, end_year)
            found = _column_table(rows[h:], roles, caption, table.caption, start_year, end_year)
            if found:
                return found
    if not headers:
        return []
    header = rows[headers[0]]
    if any(w in squeeze(half(c)) for c in header for w in _TASK_TABLE_WORDS):
        return []
    return _figure_table(rows[headers[0]:], [_role(c) for c in header], caption, table.caption, end_year)


def _year_row_table(rows, caption, end_year) -> list[dict]:
    header = rows[0]
    out = []
    years = []
    table_cat = category_named(caption)
    for row in rows[1:]:
        first = squeeze(half(row[0])) if row else ""
        m = re.fullmatch(r"((?:19|20)\d{2})年?", first)
        total = first in TOTAL_ROW_WORDS
        if not m and not total:
            continue
        if m:
            years.append(int(m.group(1)))
        year = int(m.group(1)) if m else (max(years) if years else end_year)
        for k in range(1, min(len(row), len(header))):
            name = header[k].strip()
            if not name:
                continue
            out.append(make_indicator(caption, category_named(name) or table_cat, None,
                                      name + (first if total else ""), None, None, _value(row[k]), year))
    return out


def _column_table(rows, roles, caption, raw_caption, start_year, end_year) -> list[dict]:
    header = rows[0]
    default_target_year = _caption_year(raw_caption) or end_year
    year_cols = sorted(((int(re.search(r"(?:19|20)\d{2}", half(header[k])).group(0)), k)
                       for k, r in enumerate(roles) if r == "year"))
    baselines: list[tuple[int, int | None]] = []
    targets: list[tuple[int, int | None]] = []
    for year, k in year_cols:
        word = _role(re.sub(r"(?:19|20)\d{2}年?", "", header[k]))
        if len(year_cols) >= 2:
            (baselines if (year, k) == year_cols[0] else targets).append((k, year))
        elif word == "baseline" and not any(r == "baseline" for r in roles):
            baselines.append((k, year))
        else:
            targets.append((k, year))
    for k, r in enumerate(roles):
        if r == "baseline":
            baselines.append((k, start_year - 1 if start_year else None))
        elif r == "target":
            targets.append((k, default_target_year))
    if not targets:
        return []
    name_col = roles.index("name") if "name" in roles else next(
        (k for k, r in enumerate(roles) if r not in ("number",)), 0)
    value_cols = sorted(k for k, _ in baselines + targets)
    table_cat = category_named(caption)
    section_cat = None
    column_cat = None
    out = []
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) <= 2 or (len(filled) == 1 and cells[0]) or (
                len(set(filled)) == 1 and len(filled) == len(cells) >= 3):
            section_cat = section_name(filled[0])
            continue
        number = None
        if "number" not in roles and len(cells) == len(header) + 1 and re.fullmatch(r"\d{1,3}", cells[0]):
            number, cells = cells[0], cells[1:]
        if "number" in roles:
            number = cells[roles.index("number")] if roles.index("number") < len(cells) else None
        if name_col >= len(cells) or not cells[name_col] or cells[name_col] == header[name_col]:
            continue
        name = cells[name_col]
        if len(cells) <= max(value_cols):
            continue
        baseline, baseline_year = (None, None)
        if baselines:
            k, baseline_year = baselines[0]
            baseline = _value(cells[k])
        nature = _value(cells[roles.index("nature")]) if "nature" in roles and roles.index("nature") < len(cells) else None
        responsible = []
        if "responsible" in roles and roles.index("responsible") < len(cells):
            responsible = split_names(half(cells[roles.index("responsible")]))
        measure = _value(cells[roles.index("measure")]) if "measure" in roles and roles.index("measure") < len(cells) else None
        if "category" in roles and roles.index("category") < len(cells):
            written = cells[roles.index("category")]
            if written:  # an empty cell was merged with the one above
                column_cat = section_name(written)
        category = column_cat or section_cat or table_cat
        for k, year in targets:
            out.append(make_indicator(caption, category, number, name, baseline, baseline_year, _value(cells[k]), year,
                                      nature, responsible, measure))
    return out


def _figure(text: str) -> bool:
    t = squeeze(half(text))
    return bool(re.fullmatch(r"[≥≤><≧≦约]?\d+(?:\.\d+)?(?:[-~～—至]\d+(?:\.\d+)?)?[%‰]?(?:万|亿)?[\u4e00-\u9fff]{0,2}", t))


def _figure_table(rows, roles, caption, raw_caption, end_year) -> list[dict]:
    """A table of target figures without baseline/target columns (an allocation by sector or district)."""
    header = [c.strip() for c in rows[0]]
    words = (raw_caption or "") + "".join(header)
    if not any(w in words for w in TARGET_TABLE_WORDS):
        return []
    body = [[c.strip() for c in r] for r in rows[1:] if any(c.strip() for c in r)]
    width = len(header)
    skip = {k for k, r in enumerate(roles) if r in ("number", "responsible", "measure", "nature", "category")}
    figures, labels = [], []
    for k in range(width):
        if k in skip or not header[k]:
            continue
        cells = [r[k] for r in body if k < len(r) and r[k] and squeeze(half(r[k])) not in TOTAL_ROW_WORDS]
        if not cells:
            continue
        share = sum(_figure(c) for c in cells) / len(cells)
        (figures if share >= 0.8 else labels if share <= 0.2 else []).append(k)
    if not figures or not labels:
        return []
    label_col = labels[0]
    table_year = _caption_year(raw_caption, True) or end_year
    number_col = roles.index("number") if "number" in roles else None
    resp_col = roles.index("responsible") if "responsible" in roles else None
    table_cat = category_named(caption)
    section = None
    out = []
    for row in body:
        row = row + [""] * (width - len(row))
        filled = [c for c in row if c]
        if len(set(filled)) == 1 and (len(filled) == 1 or len(filled) == len(row)):
            section = section_name(filled[0])
            continue
        total = next((c for c in row if squeeze(half(c)) in TOTAL_ROW_WORDS), None)
        label = row[label_col]
        if not label and not total:
            continue
        number = None if total else (row[number_col] or None) if number_col is not None else None
        responsible = split_names(half(row[resp_col])) if resp_col is not None and row[resp_col] else []
        for k in figures:
            value = _value(row[k])
            if value is None:
                continue
            column = header[k]
            name = column + total if total else label + column
            year = _caption_year(column, True) or table_year
            out.append(make_indicator(caption, section or table_cat, number, name, None, None, value, year,
                                      None, responsible))
    return out
