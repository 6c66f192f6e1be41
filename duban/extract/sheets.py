"""Spreadsheets (.xlsx, .csv) -> text lines: each sheet's name as a caption, then its rows as pipe rows.

A merged cell's value is repeated in every row it covers and given once per row (as the Word and HTML
readers give it, so a merged category row stays one cell and a merged lead cell reaches each task), fully
empty rows and columns are dropped, and every other cell stays where it is, title rows included.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from duban.extract.errors import ExtractionError
from duban.extract.word import cell_text, pipe_row
from duban.rules.dates import cn_date

MAX_CELLS = 2_000_000


def xlsx_text(data: bytes) -> str:
    """Every visible sheet of a workbook as a caption line and its pipe rows."""
    import openpyxl

    try:
        # not read_only: merged ranges are only known to a fully loaded sheet
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises many kinds on a damaged workbook
        raise ExtractionError("Excel 文件已损坏或不完整,无法读取。") from e
    parts: list[str] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise ExtractionError(f"工作表“{sheet.title}”过大(超过 {MAX_CELLS} 个单元格),无法读取。")
        grid: list[list[str | None]] = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for rng in sheet.merged_cells.ranges:
            value = _cell(sheet.cell(rng.min_row, rng.min_col).value)
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                row = grid[r]
                for c in range(rng.min_col - 1, min(rng.max_col, len(row))):
                    row[c] = value if c == rng.min_col - 1 else None  # once per row, as Word reads a merged cell
        rows = [[c for c in r if c is not None] for r in tidy(grid)]
        if rows:
            parts.append(sheet.title)
            parts.extend(pipe_row(r) for r in rows)
            parts.append("")
    return "\n".join(parts)


def csv_text(text: str) -> str:
    """A delimited text (comma, tab, semicolon, 、 or |) as pipe rows."""
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|,;、")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        grid = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as e:
        raise ExtractionError("CSV 文件格式有误,无法按表格读取。") from e
    return "\n".join(pipe_row(r) for r in tidy(grid))


def tidy(grid: list[list]) -> list[list]:
    """Drop fully empty rows and columns; keep every other cell in its place (None marks a merged-over cell)."""
    rows = [r for r in grid if any(c for c in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c] for r in rows)]
    return [[r[c] for c in keep] for r in rows]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return cn_date(value)
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(str(value).splitlines())
