"""提醒单 / 催办单 / 督办单 as a Word file: the formal, numbered notice the office sends a unit about its late items."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import sqlite_utils
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor

from duban.access import Actor
from duban.reports import docx as word
from duban.rules.dates import cn_date
from duban.rules.names import ROLE_NAMES
from duban.rules.notice_levels import BLUE, LEVELS, RED, YELLOW
from duban.services import notices

SHADES = {BLUE: "BDD7EE", YELLOW: "FFE699", RED: "F4B6B6"}
TITLE_RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass
class Notice:
    """A numbered notice and its Word file."""

    number: str
    word: str
    title: str
    department: str
    reply_by: dt.date
    items: list[dict]
    data: bytes
    filename: str


def build(db: sqlite_utils.Database, actor: Actor, department_id: int, today: dt.date,
          levels: tuple[str, ...] = (RED, YELLOW, BLUE)) -> Notice:
    """Number and record a notice for one unit and render it as Word; refused when nothing calls for one."""
    made = notices.create_notice(db, actor, department_id, today, levels)
    data = render(office=made.office, title=made.title, number=made.number, department=made.department, today=today,
                  reply_by=made.reply_by, items=made.items)
    return Notice(number=made.number, word=made.word, title=made.title, department=made.department,
                  reply_by=made.reply_by, items=made.items, data=data, filename=made.filename)


def _para(doc, text: str = "", size: float = 16, bold: bool = False, align=None, east_asia: str = word.BODY_FONT,
          color: RGBColor | None = None, indent: bool = False, space_after: float = 0):
    """A notice paragraph: 三号 by default, 1.35 line spacing, no indent unless asked."""
    return word.paragraph(doc, text, east_asia, size, bold, align, indent, color, space_after, line_spacing=1.35)


def render(*, office: str, title: str, number: str, department: str, today: dt.date, reply_by: dt.date,
           items: list[dict]) -> bytes:
    """The notice in the usual form: red masthead, number, addressee, items table by colour, reply-by date."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)

    _para(doc, office, 22, True, WD_ALIGN_PARAGRAPH.CENTER, word.TITLE_FONT, TITLE_RED)
    _para(doc, title, 26, True, WD_ALIGN_PARAGRAPH.CENTER, word.TITLE_FONT, TITLE_RED, space_after=6)
    _para(doc, number, 14, False, WD_ALIGN_PARAGRAPH.CENTER)
    word.rule_below(_para(doc, ""))

    _para(doc, f"{department}:", 16, space_after=4)
    counts = {lvl: sum(1 for i in items if i["level"] == lvl) for lvl in (RED, YELLOW, BLUE)}
    summary = "、".join(f"{LEVELS[lvl]} {n} 项" for lvl, n in counts.items() if n)
    plans = sorted({i["plan_title"] for i in items if i.get("plan_title")})
    basis = f"根据{'、'.join('《' + p + '》' for p in plans)}任务分工," if plans else "根据工作任务分工,"
    _para(doc, f"{basis}截至 {cn_date(today)},贵单位承担的以下 {len(items)} 项任务"
               f"需要抓紧办理({summary}),现予{title[:2]}:", 16, indent=True, space_after=6)

    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(1.1), Cm(7.2), Cm(1.4), Cm(2.6), Cm(2.6), Cm(1.6)]
    for cell, text, w in zip(table.rows[0].cells, ["序号", "任务事项", "责任", "完成时限", "当前情况", "预警"],
                             widths, strict=True):
        word.cell_text(cell, text, 11, True, True)
        word.shade(cell, "D9D9D9")
        cell.width = w
    for n, it in enumerate(items, 1):
        row = table.add_row().cells
        due = dt.date.fromisoformat(it["due"])
        when = cn_date(due) + (f"\n({it['period_label']})" if it.get("period_label") else "")
        state = it["status"] + (f",完成 {it['progress']}%" if it.get("progress") else "")
        if it["overdue_days"]:
            state += f"\n逾期 {it['overdue_days']} 天"
        title_text = (f"{it['number']} " if it.get("number") else "") + it["title"]
        values = [str(n), title_text, ROLE_NAMES[it["role"]], when, state,
                  f"{it['level']}色\n{LEVELS[it['level']]}"]
        for col, (cell, text, w) in enumerate(zip(row, values, widths, strict=True)):
            word.cell_text(cell, text, 10.5, center=col != 1)
            cell.width = w
        word.shade(row[5], SHADES[it["level"]])

    _para(doc, "", 10)
    _para(doc, f"请于 {cn_date(reply_by)} 前将上述事项的办理情况书面报送{office}"
               f"(已办结的附佐证材料;未办结的说明原因、整改措施和完成时限),并在督办系统中更新进展。",
          16, indent=True)
    _para(doc, "预警说明:红色为已逾期,黄色为进度滞后,蓝色为临近到期。", 12, indent=True, space_after=18)
    _para(doc, office, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(today), 16, align=WD_ALIGN_PARAGRAPH.RIGHT)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
