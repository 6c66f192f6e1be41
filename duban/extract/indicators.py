"""Indicator tables: rows with name, baseline, target, year, nature and responsible units, and the
indicator record shared with the goal-section targets (goal_targets.py).
"""
from __future__ import annotations

import re

from duban.extract.headings import detect, strip_end_punct
from duban.extract.normalize import half, squeeze
from duban.extract.tables import TextTable
from duban.extract.units import split_names

_EMPTY = {"", "—", "——", "-", "--", "/", "无", "—-", "－", "－－", "\\", "…"}
_CHILDCARE = re.compile(r"托育|托位|婴幼儿|幼儿|新生儿|儿童|托幼|孕产")
_ELDERLY = re.compile(r"养老|老年|老人|高龄|失能|护理|床位|寿命|特困|社会工作|参保")


# ---- tables -----------------------------------------------------------------------------

# a header cell's role: the first rule whose pattern matches (the whole cell, or anywhere in it) names it
_ROLES = (
    (re.fullmatch, r"序号|编号|序", "number"),
    (re.fullmatch, r"年度|年份|年", "year_rows"),
    (re.search, r"性质|属性", "nature"),
    (re.search, r"责任单位|牵头单位|责任部门|牵头部门|责任主体", "responsible"),
    (re.fullmatch, r"(?:计量)?单位", "measure"),
    (re.fullmatch, r"类别|领域|分类|类型", "category"),
    (re.search, r"(?:19|20)\d{2}", "year"),
    (re.search, r"现有|现状|基期|基数|基准|现值|完成值|实际", "baseline"),
    (re.search, r"目标|规划值|预期值|计划值|期末", "target"),
    (re.search, r"指标|名称|项目|内容", "name"),
)


def _role(cell: str) -> str:
    c = squeeze(half(cell))
    return next((role for match, pattern, role in _ROLES if match(pattern, c)), "value")


def _value(cell: str) -> str | None:
    text = cell.strip()
    return None if squeeze(half(text)) in _EMPTY else text


def category_of(text: str) -> str | None:
    """养老 or 托育 by the words a name uses, None when it uses neither."""
    if _CHILDCARE.search(text):
        return "托育"
    if _ELDERLY.search(text):
        return "养老"
    return None


def only_category(text: str | None) -> str | None:
    """养老 or 托育 when a heading or caption names exactly one of them."""
    if not text:
        return None
    has_e, has_c = "养老" in text, "托育" in text
    if has_e != has_c:
        return "养老" if has_e else "托育"
    return None


def _caption_year(caption: str | None) -> int | None:
    if not caption:
        return None
    plans = {"十三五": 2020, "十四五": 2025, "十五五": 2030}
    for name, year in plans.items():
        if name in caption and re.search(r"期末|末期|期间|时期|目标", caption):
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


def table_indicators(table: TextTable, period: dict) -> list[dict]:
    """Indicators from one table, or [] when it is not an indicator table."""
    rows = [r for r in table.rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        return []
    header = rows[0]
    roles = [_role(c) for c in header]
    caption = _clean_caption(table.caption)
    is_indicator = ("name" in roles and any("指标" in c for c in header)) or "year_rows" in roles[:1] or (
        caption is not None and "指标" in caption and "name" in roles)
    if not is_indicator or "lead" in roles:
        return []
    start_year = int(period["start"][:4]) if period.get("start") else None
    end_year = int(period["end"][:4]) if period.get("end") else None
    if roles[0] == "year_rows":
        return _year_row_table(rows, caption, end_year)
    return _column_table(rows, roles, caption, table.caption, start_year, end_year)


def _year_row_table(rows, caption, end_year) -> list[dict]:
    header = rows[0]
    out = []
    years = []
    table_cat = only_category(caption)
    for row in rows[1:]:
        first = squeeze(half(row[0])) if row else ""
        m = re.fullmatch(r"((?:19|20)\d{2})年?", first)
        total = re.fullmatch(r"合计|总计|小计|累计", first)
        if not m and not total:
            continue
        if m:
            years.append(int(m.group(1)))
        year = int(m.group(1)) if m else (max(years) if years else end_year)
        for k in range(1, min(len(row), len(header))):
            name = header[k].strip()
            if not name:
                continue
            out.append(make_indicator(caption, only_category(name) or table_cat or category_of(name), None,
                                  name + ("合计" if total else ""), None, None, _value(row[k]), year))
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
    table_cat = only_category(caption)
    section_cat = None
    out = []
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) <= 2 or (len(filled) == 1 and cells[0]):
            section_cat = category_of(filled[0]) if only_category(filled[0]) is None else only_category(filled[0])
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
        category = section_cat or table_cat or category_of(name)
        if "category" in roles and roles.index("category") < len(cells):
            column_cat = cells[roles.index("category")]
            if column_cat:
                section_cat = only_category(column_cat) or category_of(column_cat) or section_cat
            category = section_cat or category
        for k, year in targets:
            out.append(make_indicator(caption, category, number, name, baseline, baseline_year, _value(cells[k]), year,
                                  nature, responsible, measure))
    default = _majority([i["category"] for i in out])
    for i in out:
        i["category"] = i["category"] or default
    return out


def _majority(values: list) -> str | None:
    values = [v for v in values if v]
    return max(set(values), key=values.count) if values else "养老"
