"""Tables written as text: pipe rows ("a | b"), tab-separated cells, or one cell per line after a caption.

Word and HTML tables reach here as pipe rows (see word.py and html.py), so one set of parsers serves all formats.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.headings import detect
from duban.extract.normalize import half, squeeze
from duban.extract.units import is_unit_like, level_prefix, split_names
from duban.extract.vocabulary import (
    CAPTION_WORDS,
    SERIAL_HEADER_CELLS,
    TABLE_FIRST_HEADER_CELLS,
    TABLE_NOTE_STARTS,
    TABLE_UNIT_ENDS,
    TASK_COLUMN_WORDS,
    TOTAL_ROW_WORDS,
)

_CAPTION = re.compile(r"^\s*(?:附)?表\s*[\d一二三四五六七八九十]+(?:[-.、:．\s]|$)")
_RULE = re.compile(r":?-{3,}:?")
_ATTACHMENT = re.compile(r"^\s*(?:附件|附表)\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$")


@dataclass
class TextTable:
    """A table found in the text: its caption (as written), rows of cells, and the lines it covered."""

    caption: str | None
    rows: list[list[str]] = field(default_factory=list)
    start: int = 0
    end: int = 0


def _cells(orig: str, framed: bool) -> list[str]:
    cells = [c.strip() for c in re.split(r"[|｜]", orig)]
    while cells and not cells[-1]:
        cells.pop()
    if framed and cells and not cells[0] and orig.lstrip().startswith(("|", "｜")):
        cells.pop(0)
    return cells


def _caption_before(lines: list[tuple[str, str]], start: int) -> str | None:
    k = start - 1
    while k >= 0 and not lines[k][0].strip():
        k -= 1
    if k < 0:
        return None
    text = lines[k][0].strip()
    if _ATTACHMENT.match(text) or len(text) > 60 or text.endswith("。") or "|" in text:
        return None
    return text


def find_tables(lines: list[tuple[str, str]]) -> list[TextTable]:
    """All text tables, in order, as (orig, norm) line ranges that do not overlap."""
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        found = _pipe_table(lines, i) or _tab_table(lines, i) or _cell_table(lines, i)
        if found:
            tables.append(found)
            i = found.end
        else:
            i += 1
    return tables


def _pipe_table(lines, i) -> TextTable | None:
    if "|" not in lines[i][1]:
        return None
    j = i
    rows = []
    framed = lines[i][1].lstrip().startswith("|")
    while j < len(lines):
        if "|" not in lines[j][1]:
            bridge = _bridge(lines, j, rows)
            if not bridge:
                break
            if lines[j][1].strip():
                rows.append([lines[j][0].strip()])
            j += 1
            continue
        cells = _cells(lines[j][0], framed)
        if any(cells) and not all(_RULE.fullmatch(c.strip()) for c in cells if c.strip()):
            rows.append(cells)  # a markdown rule row (|---|:--:|) draws the header's line, not a row
        j += 1
    if sum(1 for r in rows if len([c for c in r if c]) >= 2) < 2:
        return None
    return TextTable(_caption_before(lines, i), rows, i, j)


def _bridge(lines, j, rows) -> bool:
    """A line without pipes inside a pipe table: a blank line or a short section row ("二、居家社区") between rows."""
    if not rows or j + 1 >= len(lines):
        return False
    text = lines[j][1].strip()
    nxt = lines[j + 1][1]
    if "|" not in nxt or len(_cells(lines[j + 1][0], False)) < 2:
        return False
    if not text:  # only a blank inside a run of numbered rows, never between two tables
        following = _cells(lines[j + 1][0], False)
        return len(following) == len(rows[-1]) and bool(re.fullmatch(r"\d{1,3}", following[0].strip()))
    return len(text) <= 30 and not re.search(r"[。;:,]", text) and not _CAPTION.match(text) and len(rows[0]) >= 3


def _tab_table(lines, i) -> TextTable | None:
    orig = lines[i][0]
    if orig.count("\t") >= 2 and not orig.startswith("\t"):
        j, rows, end = i, [], i
        while j < len(lines):
            if not lines[j][0].strip():  # blank lines between rows (text pasted from a word processor)
                j += 1
                continue
            if lines[j][0].count("\t") < 1:
                break
            rows.append([c.strip() for c in lines[j][0].split("\t")])
            j += 1
            end = j
        return TextTable(_caption_before(lines, i), rows, i, end) if len(rows) >= 2 else None
    if not orig.startswith("\t") or not orig.strip():
        return None
    rows: list[list[str]] = []
    row: list[str] = []
    j = i
    last_blank = False
    while j < len(lines):
        text = lines[j][0]
        if not text.strip():
            if row:
                rows.append(row)
                row = []
            last_blank = True
        elif text.startswith("\t"):
            parts = text.split("\t")[1:]
            row.extend(p.strip() for p in parts)
            last_blank = False
        elif not last_blank and row:
            row[-1] += text.strip()
        else:
            break
        j += 1
    if row:
        rows.append(row)
    while j > i and not lines[j - 1][0].strip():
        j -= 1
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    return TextTable(_caption_before(lines, i), rows, i, j)


def _short_cell(orig: str, norm: str) -> bool:
    text = norm.strip()
    if not text or len(text) > 60 or text.endswith("。") or "|" in text:
        return False
    label = detect(norm, orig)
    return label is None or label.style not in ("cn_comma", "cn_paren", "chapter")


_PURE_NUMBER = re.compile(r"^[\d.,%‰≥≤><≧≦~～+\-]+$")


def _numeric(text: str) -> bool:
    return bool(re.search(r"\d", text)) and len(re.findall(r"[\u4e00-\u9fff]", text)) <= 2


def _best_width(texts: list[str]) -> int:
    """The column count that makes the cells after the header line up into rows of one type per column."""
    best, best_score = 0, 0.0
    for n in range(2, 11):
        header = texts[:n]
        if len(header) < n or any(_PURE_NUMBER.match(h.replace(" ", "")) for h in header):
            break
        rows = [texts[k:k + n] for k in range(n, len(texts) - n + 1, n)]
        if not rows:
            break
        score = 0.0
        for j in range(n):
            p = sum(_numeric(r[j]) for r in rows) / len(rows)
            score += max(p, 1 - p)
        score /= n
        if not any(_numeric(c) for r in rows for c in r):
            continue
        if score > best_score + 1e-9:
            best, best_score = n, score
    return best if best_score >= 0.8 else 0


def _cell_table(lines, i) -> TextTable | None:
    norm = lines[i][1].strip()
    caption = None
    k = i
    if _CAPTION.match(norm):
        caption = lines[i][0].strip()
        k = i + 1
    elif not _header_word(norm):
        return None
    serial = _serial_start(lines, k)
    if serial is not None:
        found = _serial_table(lines, serial)
        if found:
            rows, end = found
            return TextTable(_caption_above(lines, serial) or caption, rows, i, end)
    cells: list[tuple[str, int]] = []
    while k < len(lines):
        o, n = lines[k]
        if not n.strip():
            k += 1
            continue
        if _CAPTION.match(n.strip()) or not _short_cell(o, n):
            break
        cells.append((o.strip(), k))
        k += 1
    texts = [t for t, _ in cells]
    ncols = _best_width(texts)
    if not ncols:
        return _plain_task_table(lines, i, cells, caption)
    rows = [texts[:ncols]]
    last_line = cells[ncols - 1][1]
    pos = ncols
    while pos + ncols <= len(cells):
        rows.append(texts[pos:pos + ncols])
        last_line = cells[pos + ncols - 1][1]
        pos += ncols
    if caption is None:
        caption = _caption_before(lines, i)
    return TextTable(caption, rows, i, last_line + 1)


def _column_role(text: str) -> str | None:
    t = squeeze(half(text))
    for role, words in TASK_COLUMN_WORDS:
        if (t in words) if role == "number" else any(w in t for w in words):
            return role
    return None


def _plain_task_table(lines, i, cells: list[tuple[str, int]], caption) -> TextTable | None:
    """A task table copied one cell per line without serial numbers: its width is the run of header
    cells naming task columns; rows follow while the unit column holds units."""
    roles = []
    for text, _ in cells:
        role = _column_role(text)
        if role is None or len(text) > 12:
            break
        roles.append(role)
    width = len(roles)
    unit_cols = [k for k, r in enumerate(roles) if r in ("lead", "resp")]
    if width < 2 or "task" not in roles or not unit_cols:
        return None
    texts = [t for t, _ in cells]
    rows, pos = [texts[:width]], width
    while pos + width <= len(texts) and _unit_cell(texts[pos + unit_cols[0]]):
        rows.append(texts[pos:pos + width])
        pos += width
    if len(rows) < 2:
        return None
    return TextTable(caption or _caption_before(lines, i), rows, i, cells[pos - 1][1] + 1)


def _header_word(text: str) -> bool:
    return squeeze(text) in TABLE_FIRST_HEADER_CELLS


# ---- tables copied one cell per line whose rows open with a serial number (1, 2, 3 …) ------------

_SERIAL_HEADER = SERIAL_HEADER_CELLS


def _serial_start(lines, k: int) -> int | None:
    """The header's first line (序号) when the table opens with a few title lines and then 序号."""
    for j in range(k, min(k + 4, len(lines))):
        text = squeeze(lines[j][1])
        if text in _SERIAL_HEADER:
            return j
        if text and (len(text) > 60 or _CAPTION.match(text) and j > k):
            return None
    return None


def _caption_above(lines, start: int) -> str | None:
    """The table's title: among the short lines between a bare 附表N (or three lines up) and the
    header, the first naming a table (表, 指标, 清单 …), else the first of them."""
    found: list[str] = []
    for j in range(start - 1, max(start - 4, -1), -1):
        text = lines[j][0].strip()
        norm = lines[j][1].strip()
        if not text:
            continue
        if _ATTACHMENT.match(norm) or re.fullmatch(r"(?:附)?表\s*[\d一二三四五六七八九十]+", norm):
            break
        if len(norm) > 60 or norm.endswith("。") or "|" in norm:
            break
        found.insert(0, text)
    named = [t for t in found if any(w in t for w in CAPTION_WORDS)]
    return (named or found or [None])[0]


def _stop_line(orig: str, norm: str) -> bool:
    text = norm.strip()
    if _CAPTION.match(text) or _ATTACHMENT.match(text) or text.startswith(TABLE_NOTE_STARTS):
        return True
    if "|" in text or "\t" in orig:
        return True
    label = detect(norm, orig)
    return label is not None and label.style in ("cn_comma", "chapter") and len(text) > 12


def _after_table(text: str) -> bool:
    """A line after a table's last row: a numbered heading or a paragraph of running text."""
    norm = half(text).strip()
    label = detect(norm, text)
    if label is not None and label.style in ("cn_comma", "cn_paren", "chapter"):
        return True
    return len(norm) >= 80 and norm.endswith("。")


def _is_total(text: str) -> bool:
    return squeeze(half(text)) in TOTAL_ROW_WORDS


def _serial_table(lines, start: int) -> tuple[list[list[str]], int] | None:
    """Rows of a one-cell-per-line table, cut at its serial numbers; merged cells (written once for
    several rows) are filled from the row above, a cell broken over two lines is joined again, and a
    label between rows that fits no column becomes a section row."""
    cells: list[tuple[str, int]] = []
    k = start
    while k < len(lines):
        o, n = lines[k]
        if n.strip():
            if k > start and _stop_line(o, n):
                break
            cells.append((o.strip(), k))
        k += 1
    texts = [t for t, _ in cells]
    if "1" not in texts[1:]:
        return None
    first = texts.index("1", 1)
    if first < 2:
        return None
    pre = first
    bounds: list[tuple[int, int]] = []
    pos, n = first, 1
    while pos < len(texts) and texts[pos] == str(n):
        stop = next((q for q in range(pos + 1, len(texts)) if _is_total(texts[q])), len(texts))
        cands = [q for q in range(pos + 2, min(stop, pos + pre + 4)) if texts[q] == str(n + 1)]
        restart = [q for q in range(pos + pre, min(stop, pos + pre + 3)) if texts[q] == "1"
                   and _kind(texts[q - 1]) == "short" and not _numeric(texts[q - 1])]
        if cands:  # a figure equal to the next serial is no row start: take the row closest to the header's width
            q = min(cands, key=lambda c: (abs(c - pos - pre), c))
        elif restart:  # a section label, and the numbering starts again under it
            q, n = restart[0], 0
        else:
            q = pos + 1  # the last row: up to the header's width, a total row, or the text after the table
            while q < len(texts) and q - pos < pre and not _is_total(texts[q]) and not _after_table(cells[q][0]):
                q += 1
        bounds.append((pos, q))
        pos, n = q, n + 1
    if len(bounds) < 2:
        return None
    total: list[str] = []
    if pos < len(texts) and _is_total(texts[pos]):
        q = pos + 1
        while q < len(texts) and q - pos < pre and _numeric(texts[q]):
            q += 1
        total = texts[pos:q]
        pos = q
    end = cells[pos - 1][1] + 1
    raw = [texts[a:b] for a, b in bounds]
    lengths = [len(r) for r in raw]
    repeated = [w for w in set(lengths) if lengths.count(w) >= 2]
    width = max(repeated) if repeated else max(lengths)
    width = min(width, pre) if pre >= 2 else width
    header = texts[:width]
    out: list[list[str]] = [header]
    if pre > width:
        out.append(["".join(texts[width:pre])])
    raw = [r if len(r) == width + 1 and _section_label(r[-1]) else _join_broken(r, width) for r in raw]
    profile = _profiles([r for r in raw if len(r) == width], width)
    glued = [len(r) == width and _glued_label(r, profile) for r in raw]
    if any(glued):
        profile = _profiles([r for r, g in zip(raw, glued, strict=True) if len(r) == width and not g], width)
    above: list[str] = [""] * width
    for r in raw:
        if len(r) > width and _section_label(r[-1]):
            out.extend(_rows_of(r[:-1], width, profile, above))
            above = [""] * width
            out.append([r[-1]])
            continue
        if len(r) == width and not _glued_label(r, profile):
            row, section = r, None
        else:
            row, section = _align(r, width, profile)
        row = [c if c or k == 0 else above[k] for k, c in enumerate(row)]
        out.append(row)
        above = row
        if section:
            out.append([section])
            above = [""] * width
    if total:
        aligned, _ = _align(total, width, profile, first_free=True)
        out.append(aligned)
    return out, end


def _unit_cell(text: str) -> bool:
    """A cell listing units: every name ends like a unit and carries a level, 各, or a unit's own ending."""
    names = split_names(half(text).strip())
    return bool(names) and all(
        (x.startswith("各") and len(x) <= 12) or is_unit_like(x) and (level_prefix(x) or x.endswith(TABLE_UNIT_ENDS))
        for x in names)


def _kind(text: str) -> str:
    t = half(text).strip()
    if _numeric(t):
        return "num"
    if _unit_cell(t):
        return "unit"
    return "short" if len(t) <= 16 else "long"


def _profiles(rows: list[list[str]], width: int) -> list[dict[str, float]]:
    out = []
    for k in range(width):
        kinds = [_kind(r[k]) for r in rows if r[k].strip()]
        out.append({x: (kinds.count(x) + 0.1) / (len(kinds) + 0.4) for x in ("num", "unit", "short", "long")})
    return out


def _section_label(text: str) -> bool:
    """A numbered short label ("二、托育服务"): a section row, never part of a cell."""
    norm = half(text).strip()
    label = detect(norm, text)
    return label is not None and label.style in ("cn_comma", "cn_paren") and len(norm) <= 20


def _rows_of(row: list[str], width: int, profile, above: list[str]) -> list[list[str]]:
    if len(row) < width:
        row = _align(row, width, profile)[0]
    return [[c if c or k == 0 else above[k] for k, c in enumerate(row)]]


def _glued_label(row: list[str], profile) -> bool:
    """A full-width row whose last cell is a short label in a column of another kind (units): the
    section label of the rows below, written after the last cell of this one."""
    last = profile[len(row) - 1]
    kind = _kind(row[-1])
    dominant = max(last, key=last.get)
    return kind == "short" and dominant != "short" and last[kind] < 0.35


def _align(cells: list[str], width: int, profile, first_free: bool = False) -> tuple[list[str], str | None]:
    """Place a short row's cells in the columns they fit best, keeping their order (the serial stays first)."""
    fixed = 0 if first_free else 1
    rest = cells[fixed:]
    best: tuple[float, list[int]] = (-1.0, [])

    def fits(items: list[str]) -> tuple[float, list[int]]:
        m, cols = len(items), list(range(fixed, width))
        if m > len(cols):
            return -1.0, []
        # dynamic programming over (cell, column), columns strictly increasing
        score = [[-1e9] * (len(cols) + 1) for _ in range(m + 1)]
        back = [[0] * (len(cols) + 1) for _ in range(m + 1)]
        for j in range(len(cols) + 1):
            score[0][j] = 0.0
        for a in range(1, m + 1):
            for j in range(a, len(cols) + 1):
                # on a tie the later column wins: merged cells are the grouping columns on the left
                take = score[a - 1][j - 1] + profile[cols[j - 1]][_kind(items[a - 1])] + 0.02 * j
                skip = score[a][j - 1]
                if take >= skip:
                    score[a][j], back[a][j] = take, 1
                else:
                    score[a][j], back[a][j] = skip, 0
        placed, a, j = [], m, len(cols)
        while a > 0:
            if back[a][j]:
                placed.append(cols[j - 1])
                a -= 1
            j -= 1
        return score[m][len(cols)], placed[::-1]

    best = fits(rest)
    section = None
    if len(rest) >= 2 and _kind(rest[-1]) == "short" and not first_free:
        fit = profile[best[1][-1]][_kind(rest[-1])] if best[1] else 0.0
        if fit < 0.35:
            section, rest = rest[-1], rest[:-1]
            best = fits(rest)
    row = [""] * width
    if not first_free:
        row[0] = cells[0]
    for cell, col in zip(rest, best[1], strict=False):
        row[col] = cell
    if first_free and rest and not row[0] and best[1] and best[1][0] > 0 and _is_total(rest[0]):
        row[best[1][0]] = rest[0]
    return row, section


def _join_broken(row: list[str], width: int) -> list[str]:
    """A row with more cells than the header: join the shortest continuation onto the cell before it."""
    row = list(row)
    while len(row) > width:
        pairs = [k for k in range(2, len(row)) if not _numeric(row[k]) and not _numeric(row[k - 1])]
        if not pairs:
            break
        k = min(pairs, key=lambda j: (len(row[j]), not is_unit_like(row[j - 1] + row[j])))
        row[k - 1:k + 1] = [row[k - 1] + row[k]]
    return row
