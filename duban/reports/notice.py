"""提醒单 / 催办单 / 督办单: the formal, numbered notice the office sends a unit about its late items (Word)."""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import sqlite_utils
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from db import transaction
from db.queries import audit
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.access import SYSTEM, Actor, require_department, require_office
from duban.errors import InputError, NotFound
from duban.reminders.workdays import add_workdays, load_office_calendar
from duban.rules.dates import cn_date
from duban.rules.names import ROLE_NAMES, written_name
from duban.rules.status import DEFAULT_BEHIND_TOLERANCE, DEFAULT_WARN_DAYS
from duban.rules.text import printable

BLUE, YELLOW, RED = "蓝", "黄", "红"
LEVELS = {BLUE: "临近到期", YELLOW: "进度滞后", RED: "已逾期"}
SHADES = {BLUE: "BDD7EE", YELLOW: "FFE699", RED: "F4B6B6"}
TITLE_RED = RGBColor(0xC0, 0x00, 0x00)
# the worst level decides the notice: 督办单 (red), 催办单 (yellow), 提醒单 (blue)
WORDS = {RED: ("督办", "督办单"), YELLOW: ("催办", "催办单"), BLUE: ("提醒", "提醒单")}
DEFAULT_REPLY_DAYS = 5
DEFAULT_RED_DAYS = 1


@dataclass
class Notice:
    number: str
    word: str
    title: str
    department: str
    reply_by: dt.date
    items: list[dict]
    data: bytes
    filename: str


def _int_setting(db: sqlite_utils.Database, key: str, default: int) -> int:
    try:
        return int(settings_q.setting(db, key) or default)
    except ValueError:
        return default


def _behind(row: dict, today: dt.date) -> bool:
    """Progress trails the share of time elapsed since the plan began (by more than the tolerance)."""
    if not row.get("plan_start"):
        return False
    try:
        start = dt.date.fromisoformat(row["plan_start"][:10])
    except ValueError:
        return False
    due = dt.date.fromisoformat(row["due"])
    if not start < today < due:
        return False
    elapsed = (today - start).days / max(1, (due - start).days) * 100
    return (row.get("progress") or 0) + DEFAULT_BEHIND_TOLERANCE < elapsed


def _level(row: dict, today: dt.date, red_days: int, horizon: dt.date) -> str | None:
    due = dt.date.fromisoformat(row["due"])
    overdue = (today - due).days
    if overdue >= max(1, red_days):
        return RED
    if overdue > 0 or _behind(row, today):
        return YELLOW
    if due <= horizon:
        return BLUE
    return None


def classify(db: sqlite_utils.Database, department_id: int, today: dt.date, *, actor: Actor = SYSTEM) -> list[dict]:
    """A unit's open items that call for a notice, each with its level: 红 overdue (past the threshold),
    黄 behind schedule (or overdue fewer days), 蓝 due within the warning days. A liaison may ask only for
    its own departments."""
    require_department(actor, {department_id})
    red_days = _int_setting(db, "notice_red_days", DEFAULT_RED_DAYS)
    horizon = today + dt.timedelta(days=DEFAULT_WARN_DAYS)
    out, seen = [], set()
    for r in q.open_instances_between(db, "0000-00-00", "9999-12-31", [department_id]):
        level = _level(r, today, red_days, horizon)
        if level is None or r["instance_id"] in seen:
            continue
        seen.add(r["instance_id"])
        out.append({"instance_id": r["instance_id"], "task_id": r["task_id"], "number": r["number"],
                    "title": r["title"], "plan_title": r["plan_title"], "role": r["role"], "due": r["due"],
                    "period_label": r["period_label"], "status": r["status"], "progress": r["progress"],
                    "overdue_days": max(0, (today - dt.date.fromisoformat(r["due"])).days), "level": level})
    order = {RED: 0, YELLOW: 1, BLUE: 2}
    out.sort(key=lambda i: (order[i["level"]], i["due"], i["task_id"]))
    return out


def levels_by_department(db: sqlite_utils.Database, today: dt.date, *,
                         actor: Actor = SYSTEM) -> dict[int, dict[str, int]]:
    """For every unit with something to chase: how many red, yellow and blue items (one query for all);
    a liaison sees its own departments' counts only."""
    red_days = _int_setting(db, "notice_red_days", DEFAULT_RED_DAYS)
    horizon = today + dt.timedelta(days=DEFAULT_WARN_DAYS)
    out: dict[int, dict[str, int]] = {}
    seen = set()
    visible = None if actor.sees_all else sorted(actor.department_ids)
    for r in q.open_instances_between(db, "0000-00-00", "9999-12-31", visible):
        level = _level(r, today, red_days, horizon)
        key = (r["department_id"], r["instance_id"])
        if level is None or key in seen:
            continue
        seen.add(key)
        counts = out.setdefault(r["department_id"], {RED: 0, YELLOW: 0, BLUE: 0})
        counts[level] += 1
    return out


def create_notice(db: sqlite_utils.Database, actor: Actor, department_id: int, today: dt.date,
                  levels: tuple[str, ...] = (RED, YELLOW, BLUE)) -> Notice:
    """Number and record a notice for one unit and render it as Word; refused when nothing calls for one."""
    require_office(actor)
    dept = q.department(db, department_id)
    if dept is None:
        raise NotFound("单位不存在。")
    items = [i for i in classify(db, department_id, today, actor=actor) if i["level"] in levels]
    if not items:
        raise InputError(f"{dept['name']}目前没有逾期、滞后或临近到期的事项,无需发单。")
    worst = items[0]["level"]
    word, title = WORDS[worst]
    load_office_calendar(db)
    reply_by = add_workdays(today, _int_setting(db, "notice_reply_days", DEFAULT_REPLY_DAYS))
    office = settings_q.setting(db, "office_name") or "领导小组办公室"
    unit = written_name(dept.get("jurisdiction"), dept["name"])
    with transaction(db):
        seq = q.next_notice_seq(db, word, today.year)
        number = f"{word}〔{today.year}〕第{seq}号"
        notice_id = q.insert_notice(db, word, today.year, seq, department_id, today.isoformat(),
                                    reply_by.isoformat(), json.dumps(items, ensure_ascii=False), actor.user_id)
        audit.record(db, actor, f"生成{title}", "notice", notice_id,
                     {"number": number, "department_id": department_id, "items": len(items)})
    data = render(office=office, title=title, number=number, unit=unit, today=today, reply_by=reply_by, items=items)
    return Notice(number=number, word=word, title=title, department=unit, reply_by=reply_by, items=items,
                  data=data, filename=f"{number}_{dept['name']}.docx")


# ---- Word ---------------------------------------------------------------------------------------

def _font(run, size: float, bold: bool = False, east_asia: str = "仿宋", color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if color is not None:
        run.font.color.rgb = color


def _para(doc, text: str = "", size: float = 16, bold: bool = False, align=None, east_asia: str = "仿宋",
          color: RGBColor | None = None, indent: bool = False, space_after: float = 0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = 1.35
    if text:
        _font(p.add_run(printable(text)), size, bold, east_asia, color)
    return p


def _shade(cell, fill: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cell(cell, text: str, size: float = 11, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(printable(text)), size, bold)


def render(*, office: str, title: str, number: str, unit: str, today: dt.date, reply_by: dt.date,
           items: list[dict]) -> bytes:
    """The notice in the usual form: red masthead, number, addressee, items table by colour, reply-by date."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)

    _para(doc, office, 22, True, WD_ALIGN_PARAGRAPH.CENTER, "方正小标宋简体", TITLE_RED)
    _para(doc, title, 26, True, WD_ALIGN_PARAGRAPH.CENTER, "方正小标宋简体", TITLE_RED, space_after=6)
    _para(doc, number, 14, False, WD_ALIGN_PARAGRAPH.CENTER)
    rule = _para(doc, "")
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", "C00000")):
        bottom.set(qn(f"w:{k}"), v)
    pbdr.append(bottom)
    rule._p.get_or_add_pPr().append(pbdr)

    _para(doc, f"{unit}:", 16, space_after=4)
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
        _cell(cell, text, 11, True, True)
        _shade(cell, "D9D9D9")
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
            _cell(cell, text, 10.5, center=col != 1)
            cell.width = w
        _shade(row[5], SHADES[it["level"]])

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
