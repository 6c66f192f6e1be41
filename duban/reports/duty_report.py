"""A department's annual duty report draft (年度履职情况报告) as a Word document, written from its year's figures."""
from __future__ import annotations

import datetime as dt
import io

import sqlite_utils
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from duban.access import Actor
from duban.reports import docx as word
from duban.rules import status as rules
from duban.rules.dates import cn_date
from duban.rules.names import ROLE_NAMES
from duban.rules.numerals import cn_numeral
from duban.rules.text import printable
from duban.services import duty_report


def _clean(text: str | None) -> str:
    return " ".join(printable(text).split()).rstrip("。")


def render(data: dict) -> bytes:
    """The draft as a Word document in the usual form of such a report."""
    doc = Document()
    word.body_style(doc)
    sec = doc.sections[0]
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    department, year = data["department"], data["year"]
    tasks = data["lead"] + data["co"]
    status_count = {s: sum(t.status == s for t in tasks) for s in rules.STATUSES}

    word.paragraph(doc, f"{department['name']}{year}年度履职情况报告", word.TITLE_FONT, 22,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    word.paragraph(doc, "(草稿)", word.SUBHEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    word.paragraph(doc)
    word.paragraph(doc, "领导小组:", indent=False)
    word.paragraph(doc, f"{year}年,{department['name']}作为领导小组成员单位,按照职责分工认真推进承担的重点任务。"
               f"现将{year}年度履职情况报告如下。")

    word.paragraph(doc, "一、基本情况", word.HEADING_FONT, 16)
    rate = "—" if data["on_time_rate"] is None else f"{data['on_time_rate']:.1f}%"
    word.paragraph(doc, f"我单位共承担重点任务{len(tasks)}项,其中牵头{len(data['lead'])}项、配合{len(data['co'])}项。"
               f"截至{cn_date(data['as_of'])},已销号{status_count[rules.CLOSED]}项,已完成待审核{status_count[rules.DONE_PENDING]}项,"
               f"推进中{status_count[rules.IN_PROGRESS]}项,需协调{status_count[rules.NEEDS_COORDINATION]}项,"
               f"未开始{status_count[rules.NOT_STARTED]}项。年内已到期的牵头事项{data['due_in_year']}项,"
               f"按时完成{data['on_time']}项,按时完成率{rate}。全年报送工作进展{len(data['reports'])}次,"
               f"其中被退回补充{data['returned']}次。")

    word.paragraph(doc, "二、主要工作及成效", word.HEADING_FONT, 16)
    n = 0
    for t in data["lead"] + data["co"]:
        reps = data["by_task"].get(t.id)
        if not reps:
            continue
        n += 1
        last = reps[-1]
        role = ROLE_NAMES["lead" if t in data["lead"] else "co"]
        p = word.paragraph(doc)
        word.font(p.add_run(f"({cn_numeral(n)}){_clean(t.title)}。"), word.SUBHEADING_FONT, 14, bold=True)
        text = _clean(last["progress_text"])
        percent = (f"目前完成约{last['percent']}%。" if last.get("percent") is not None
                   and f"{last['percent']}%" not in text else "")
        word.font(p.add_run(f"我单位{role}推进,{text}。{percent}"), word.BODY_FONT, 14)
    if n == 0:
        word.paragraph(doc, f"{year}年我单位尚未报送工作进展,请据实补充主要工作及成效。")

    word.paragraph(doc, "三、存在的问题", word.HEADING_FONT, 16)
    problems = [f"{_clean(t.title)}未能按期完成(时限:{t.next_due or '—'}),需加快推进。" for t in data["overdue"]]
    problems += [f"{_clean(r['coordination_need'])}(需{r['coordination_from'] or '有关单位'}协调)。"
                 for r in data["coordination"]]
    for i, text in enumerate(problems or ["暂无突出问题。"], 1):
        word.paragraph(doc, f"{i}. {text}" if problems else text)

    word.paragraph(doc, "四、下一步工作打算", word.HEADING_FONT, 16)
    plans = [f"{_clean(t.title)},{i['due']}前完成{('(' + i['period_label'] + ')') if i['period_label'] else ''}。"
             for i, t in data["next_year"][:20]]
    for i, text in enumerate(plans or ["继续做好承担任务的推进落实,按要求及时报送进展。"], 1):
        word.paragraph(doc, f"{i}. {text}" if plans else text)
    if plans:
        word.paragraph(doc, "我单位将继续对照任务清单和时间节点,压实责任,按要求及时报送进展。")

    word.paragraph(doc)
    word.paragraph(doc, department["name"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    word.paragraph(doc, cn_date(data["as_of"]), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build(db: sqlite_utils.Database, actor: Actor, department_id: int, year: int, today: dt.date) -> bytes:
    """The annual duty report draft of one department as .docx bytes."""
    return render(duty_report.collect(db, actor, department_id, year, today))
