"""The work ledger (工作台账): one row per task and responsible unit, laid out to print on A4 landscape."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from duban.rules import status as rules
from duban.rules.cells import safe_cell
from duban.rules.text import printable

COLUMNS = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限", "进展情况", "状态", "红黄绿灯", "来源"]
WIDTHS = [5, 26, 12, 14, 16, 42, 12, 7, 16]
HEADER_ROW = 3
LIGHT_FILLS = {rules.RED: "F8D7DA", rules.YELLOW: "FFF3CD", rules.GREEN: "D4EDDA"}
STATUS_FILLS = {rules.CLOSED: "D4EDDA", rules.DONE_PENDING: "D1ECF1", rules.IN_PROGRESS: "E2E3F3",
                rules.NOT_STARTED: "EEEEEE", rules.NEEDS_COORDINATION: "FCE4D6"}
FONT = "仿宋"
HEADER_FONT = "黑体"


def _display_width(text: str) -> int:
    """Width in Excel character units: a Chinese character takes two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def row_height(values: list) -> float:
    """Points needed to show every wrapped cell in full (spreadsheets do not size rows openpyxl writes)."""
    lines = 1
    for value, width in zip(values, WIDTHS, strict=True):
        text = "" if value is None else str(value)
        usable = max(1, width - 1)
        lines = max(lines, sum(max(1, -(-_display_width(part) // usable)) for part in text.split("\n")))
    return 14 * lines + 4


def put(ws, row: int, column: int, value):
    """Write one cell as it reads: text stays text (a leading = is never a formula), without control characters."""
    if isinstance(value, str):
        text = safe_cell(printable(value))
        cell = ws.cell(row=row, column=column, value=text)
        cell.data_type = "s"
        return cell
    return ws.cell(row=row, column=column, value=value)


def render_xlsx(data: dict) -> bytes:
    """The ledger of a pack's data as an .xlsx file: title, frozen repeated header, wrapped text, coloured cells;
    the lower places' tasks, when the pack has them, on a sheet of their own (下级地区任务)."""
    wb = Workbook()
    styles: dict[tuple[bool, str | None], str] = {}
    _sheet(wb, wb.active, "工作台账", f"{data['title']}工作台账", data, data["ledger"], styles)
    if data.get("lower_ledger") is not None:
        _sheet(wb, wb.create_sheet(), "下级地区任务", f"{data['title']}下级地区任务台账", data, data["lower_ledger"],
               styles)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(wb, ws, name: str, heading: str, data: dict, rows: list[dict],
           styles: dict[tuple[bool, str | None], str]) -> None:
    """One ledger sheet of rows (one per task and unit), with the shared named styles of the workbook."""
    ws.title = name
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    put(ws, 1, 1, heading)
    ws["A1"].font = Font(name=HEADER_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    period = data.get("period")
    ws["A2"] = f"截至 {data['today']}" + (f"  报送期:{period['label']}({period['start']} 至 {period['end']})" if period else "")
    ws["A2"].font = Font(name=FONT, size=11)
    ws["A2"].alignment = Alignment(horizontal="right")

    for col, (column, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=column)
        cell.font = Font(name=HEADER_FONT, size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
        cell.alignment = centre
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 22

    def style(centre_it: bool, fill: str | None = None) -> str:
        """A named style per look: one shared style is far cheaper than styling thousands of cells one by one."""
        key = (centre_it, fill)
        if key not in styles:
            named = NamedStyle(name=f"台账{len(styles)}", font=Font(name=FONT, size=10.5), border=border,
                               alignment=centre if centre_it else wrap)
            if fill:
                named.fill = PatternFill("solid", fgColor=fill)
            wb.add_named_style(named)
            styles[key] = named.name
        return styles[key]

    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        values = [row["seq"], row["title"], row["lead"], row["unit"],
                  row["deadline"], row["progress"], row["status"], row["light"], row["origin"]]
        for col, value in enumerate(values, start=1):
            cell = put(ws, r, col, value)
            if col == 7:
                cell.style = style(True, STATUS_FILLS.get(row["status"], "FFFFFF"))
            elif col == 8:
                cell.style = style(True, LIGHT_FILLS.get(row["light"], "FFFFFF"))
            else:
                cell.style = style(col == 1)
        ws.row_dimensions[r].height = row_height(values)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW, HEADER_ROW + len(rows))}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
