"""A department's annual duty report draft (年度履职情况报告), written from its tasks and reports of the year."""
from __future__ import annotations

import datetime as dt
import io

import sqlite_utils
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from db.queries import meetings as q
from duban.access import Actor
from duban.errors import AccessDenied, InputError, NotFound
from duban.reports.meeting_pack import BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TITLE_FONT, _font, _para, _style_fonts
from duban.rules import status as rules
from duban.rules.dates import cn_date
from duban.rules.numerals import cn_numeral
from duban.rules.text import printable


def _clean(text: str | None) -> str:
    return " ".join(printable(text).split()).rstrip("。")


def _number(value: object, what: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InputError(f"{what}应为整数:{value!r}") from None


def collect(db: sqlite_utils.Database, actor: Actor, department_id: int, year: int, today: dt.date) -> dict:
    """What the draft says: the department's tasks, its reports of the year, what is late, what comes next."""
    from duban.services.tasks import list_tasks

    department_id, year = _number(department_id, "部门编号"), _number(year, "年度")
    if not actor.sees_all and department_id not in actor.department_ids:
        raise AccessDenied("只能生成本单位的履职情况报告。")
    dept = q.departments(db, [department_id])
    if not dept:
        raise NotFound("部门不存在。")
    if not 2000 <= year <= 2100:
        raise InputError(f"年度不正确:{year},应为 2000 到 2100 之间的年份。")
    dept = dept[0]
    start, end = f"{year}-01-01", f"{year}-12-31"
    as_of = min(today, dt.date(year, 12, 31))
    tasks = list_tasks(db, actor, as_of, department_id=dept["id"])
    role = {r["id"]: r["role"] for r in q.department_tasks(db, dept["id"])}
    reports = q.department_reports(db, dept["id"], start, min(end, as_of.isoformat()))
    by_task: dict[int, list[dict]] = {}
    for r in reports:
        by_task.setdefault(r["task_id"], []).append(r)
    instances = q.department_instances(db, dept["id"])
    due_in_year = [i for i in instances if start <= i["due"] <= end and i["role"] == "lead"]
    on_time = [i for i in due_in_year if i["state"] == "closed" and i["closed_on"] and i["closed_on"] <= i["due"]]
    next_year = [i for i in instances if f"{year + 1}-01-01" <= i["due"] <= f"{year + 1}-12-31" and i["state"] == "open"]
    titles = {t.id: t for t in tasks}
    return {
        "department": dept, "year": year, "as_of": as_of.isoformat(),
        "lead": [t for t in tasks if role.get(t.id) == "lead"],
        "co": [t for t in tasks if role.get(t.id) == "co"],
        "reports": reports, "by_task": by_task,
        "returned": sum(r["review_state"] == "已退回" for r in reports),
        "due_in_year": len(due_in_year), "on_time": len(on_time),
        "overdue": [t for t in tasks if t.overdue],
        "coordination": [r for r in reports if (r["coordination_need"] or "").strip()],
        "next_year": [(i, titles[i["task_id"]]) for i in next_year if i["task_id"] in titles],
    }


def render(data: dict) -> bytes:
    """The draft as a Word document in the usual form of such a report."""
    doc = Document()
    _style_fonts(doc)
    sec = doc.sections[0]
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    dept, year = data["department"], data["year"]
    tasks = data["lead"] + data["co"]
    status_count = {s: sum(t.status == s for t in tasks) for s in rules.STATUSES}

    _para(doc, f"{dept['name']}{year}年度履职情况报告", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "(草稿)", SUBHEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc)
    _para(doc, "领导小组:", indent=False)
    _para(doc, f"{year}年,{dept['name']}作为领导小组成员单位,按照职责分工认真推进承担的重点任务。"
               f"现将{year}年度履职情况报告如下。")

    _para(doc, "一、基本情况", HEADING_FONT, 16)
    rate = f"{data['on_time'] / data['due_in_year'] * 100:.1f}%" if data["due_in_year"] else "—"
    _para(doc, f"我单位共承担重点任务{len(tasks)}项,其中牵头{len(data['lead'])}项、配合{len(data['co'])}项。"
               f"截至{cn_date(data['as_of'])},已销号{status_count[rules.CLOSED]}项,已完成待审核{status_count[rules.DONE_PENDING]}项,"
               f"推进中{status_count[rules.IN_PROGRESS]}项,需协调{status_count[rules.NEEDS_COORDINATION]}项,"
               f"未开始{status_count[rules.NOT_STARTED]}项。年内到期的牵头事项{data['due_in_year']}项,"
               f"按时完成{data['on_time']}项,按时完成率{rate}。全年报送工作进展{len(data['reports'])}次,"
               f"其中被退回补充{data['returned']}次。")

    _para(doc, "二、主要工作及成效", HEADING_FONT, 16)
    n = 0
    for t in data["lead"] + data["co"]:
        reps = data["by_task"].get(t.id)
        if not reps:
            continue
        n += 1
        last = reps[-1]
        role = "牵头" if t in data["lead"] else "配合"
        p = _para(doc)
        _font(p.add_run(f"({cn_numeral(n)}){_clean(t.title)}。"), SUBHEADING_FONT, 14, bold=True)
        text = _clean(last["progress_text"])
        percent = (f"目前完成约{last['percent']}%。" if last.get("percent") is not None
                   and f"{last['percent']}%" not in text else "")
        _font(p.add_run(f"我单位{role}推进,{text}。{percent}"), BODY_FONT, 14)
    if n == 0:
        _para(doc, f"{year}年我单位尚未报送工作进展,请据实补充主要工作及成效。")

    _para(doc, "三、存在的问题", HEADING_FONT, 16)
    problems = [f"{_clean(t.title)}未能按期完成(时限:{t.next_due or '—'}),需加快推进。" for t in data["overdue"]]
    problems += [f"{_clean(r['coordination_need'])}(需{r['coordination_from'] or '有关单位'}协调)。"
                 for r in data["coordination"]]
    for i, text in enumerate(problems or ["暂无突出问题。"], 1):
        _para(doc, f"{i}. {text}" if problems else text)

    _para(doc, "四、下一步工作打算", HEADING_FONT, 16)
    plans = [f"{_clean(t.title)},{i['due']}前完成{('(' + i['period_label'] + ')') if i['period_label'] else ''}。"
             for i, t in data["next_year"][:20]]
    for i, text in enumerate(plans or ["继续做好承担任务的推进落实,按要求及时报送进展。"], 1):
        _para(doc, f"{i}. {text}" if plans else text)
    if plans:
        _para(doc, "我单位将继续对照任务清单和时间节点,压实责任,按要求及时报送进展。")

    _para(doc)
    _para(doc, dept["name"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, cn_date(data["as_of"]), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build(db: sqlite_utils.Database, actor: Actor, department_id: int, year: int, today: dt.date) -> bytes:
    """The annual duty report draft of one department as .docx bytes."""
    return render(collect(db, actor, department_id, year, today))


def file_name(db: sqlite_utils.Database, department_id: int, year: int) -> str:
    dept = q.departments(db, [int(department_id)])
    return f"{dept[0]['name'] if dept else department_id}{year}年度履职情况报告(草稿).docx"
