"""The assessment scores (成员单位考核得分) as an Excel sheet, the rule written above the table."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.reports.ledger import put
from duban.services.assessment import EXPORT_COLUMNS


def render_xlsx(result: dict) -> bytes:
    """The scores as an Excel sheet with the rule written above the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核得分"
    last = get_column_letter(len(EXPORT_COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"成员单位考核得分({result['start']} 至 {result['end']})"
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "计分规则:" + result["rule_text"]
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 75
    for col, (_, label) in enumerate(EXPORT_COLUMNS, start=1):
        c = ws.cell(row=3, column=col, value=label)
        c.font = Font(name="黑体", bold=True)
        c.fill = PatternFill("solid", fgColor="D9E2F3")
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = 22 if col == 3 else 11
    for r, row in enumerate(result["rows"], start=4):
        for col, (key, _) in enumerate(EXPORT_COLUMNS, start=1):
            put(ws, r, col, row[key])
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
