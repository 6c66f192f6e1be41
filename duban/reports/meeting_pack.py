"""The joint-meeting pack (联席会议材料): the figures, read from the database in one pass, and the Word file."""
from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from xml.sax.saxutils import escape

import sqlite_utils
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from db.queries import meetings as q
from duban.access import Actor, require_office
from duban.rules import instances as instance_rules
from duban.rules import status as rules
from duban.rules.dates import add_months, cn_date
from duban.rules.instances import describe
from duban.rules.names import ROLE_NAMES, written_name
from duban.rules.rates import on_time_rate, percent
from duban.rules.text import printable
from duban.services.reports import RETURNED

EXCERPT = 80
UPCOMING_MONTHS = 3
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体", "仿宋"
LIGHT_FILL = {rules.RED: "F8D7DA", rules.YELLOW: "FFF3CD", rules.GREEN: "D4EDDA"}


def _excerpt(text: str | None, limit: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _returned_mark(report: dict) -> str:
    """A returned report is never passed off as progress: the pack says it was returned."""
    return "(已退回)" if report.get("review_state") == RETURNED else ""


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def deadline_text(deadlines: list[dict], instances: list[dict]) -> str:
    """完成时限 as the plan wrote it, with the computed date where there is one."""
    every = [i["due"] for i in instances]
    parts = [instance_rules.deadline_text(d, [i["due"] for i in instances if i["deadline_id"] == d["id"]] or every)
             for d in deadlines]
    if not parts and instances:
        parts.append(instance_rules.deadline_text({"kind": "plan_end"}, every))
    return ";".join(parts)


def _instance_counts(instances: list[dict], today: str, task_closed: bool) -> tuple[int, int]:
    """(closed on time, due so far): instances closed, or open and past due, for a task not closed."""
    on_time = due = 0
    for i in instances:
        if i["state"] == "closed":
            due += 1
            on_time += bool(i["closed_on"] and i["closed_on"] <= i["due"])
        elif i["state"] == "open" and i["due"] < today and not task_closed:
            due += 1
    return on_time, due


def collect(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None,
            period: dict | None = None) -> dict:
    """Every figure and list the pack and the ledger show, as plain JSON-ready data (the office builds packs)."""
    from duban.services.tasks import list_tasks

    require_office(actor)
    iso = today.isoformat()
    window = q.report_window(period)
    scope = q.scope_tasks(db, plan_id)
    meta = {t["id"]: t for t in scope}
    tasks = list_tasks(db, actor, today, task_ids=list(meta)) if meta else []
    deadlines: dict[int, list[dict]] = defaultdict(list)
    for d in q.scope_deadlines(db, plan_id):
        deadlines[d["task_id"]].append(d)
    instances: dict[int, list[dict]] = defaultdict(list)
    for i in q.scope_instances(db, plan_id):
        instances[i["task_id"]].append(i)
    latest: dict[tuple[int, int], dict] = {}
    for r in q.scope_latest_reports(db, plan_id, window):
        latest[(r["task_id"], r["department_id"])] = r
    jurisdiction_of = {(u["task_id"], u["department_id"]): u["jurisdiction"] for u in q.scope_units(db, plan_id)}
    deadline_by_id = {d["id"]: d for ds in deadlines.values() for d in ds}

    summary = {"tasks": 0, "closed": 0, "in_progress": 0, "pending_review": 0, "not_started": 0, "overdue": 0,
               "coordination": 0, "on_time": 0, "due": 0, "red": 0, "yellow": 0, "green": 0}
    status_key = {rules.CLOSED: "closed", rules.IN_PROGRESS: "in_progress", rules.DONE_PENDING: "pending_review",
                  rules.NOT_STARTED: "not_started", rules.NEEDS_COORDINATION: "coordination"}
    light_key = {rules.RED: "red", rules.YELLOW: "yellow", rules.GREEN: "green"}
    depts: dict[int, dict] = {}
    overdue, coordination, decisions, ledger = [], [], [], []
    upcoming_end = add_months(today, UPCOMING_MONTHS).isoformat()
    upcoming = []

    for n, t in enumerate(tasks, start=1):
        m = meta[t.id]
        closed = t.status == rules.CLOSED
        insts = instances[t.id]
        on_time, due = _instance_counts(insts, iso, closed)
        summary["tasks"] += 1
        summary[status_key.get(t.status, "in_progress")] += 1
        summary[light_key[t.light]] += 1
        summary["overdue"] += bool(t.overdue)
        summary["on_time"] += on_time
        summary["due"] += due
        lead = "、".join(t.lead) or "—"
        reports = [latest[(t.id, u.id)] for u in t.departments if (t.id, u.id) in latest]
        newest = max(reports, key=lambda r: (r["reported_on"], r["id"])) if reports else None
        when = deadline_text(deadlines[t.id], insts)
        origin = (m["plan_title"] or "") if t.source == "规划" else (
            f"{t.source}:{m['meeting_title']}({m['meeting_date']})" if m["meeting_title"]
            else f"{t.source}" + (f":{m['source_note']}" if m["source_note"] else ""))

        for u in t.departments:
            d = depts.setdefault(u.id, {
                "id": u.id, "name": u.name, "jurisdiction": jurisdiction_of.get((t.id, u.id)),
                "led": 0, "shared": 0, "closed": 0, "overdue": 0, "on_time": 0, "due": 0, "last_report": None})
            d["led" if u.role == "lead" else "shared"] += 1
            d["closed"] += closed
            d["overdue"] += bool(t.overdue)
            if u.role == "lead":
                d["on_time"] += on_time
                d["due"] += due
            r = latest.get((t.id, u.id))
            if r and (d["last_report"] is None or r["reported_on"] > d["last_report"]):
                d["last_report"] = r["reported_on"]
            progress = (f"[{r['reported_on']}] {_excerpt(r['progress_text'], 200)}"
                        + (f"(进度{r['percent']}%)" if r.get("percent") is not None
                           and f"{r['percent']}%" not in (r["progress_text"] or "") else "")) if r else "暂无报送"
            if r:
                progress += _returned_mark(r)
            ledger.append({"seq": n, "task_id": t.id, "title": (f"{t.number}. " if t.number else "") + t.title,
                           "lead": lead, "unit": u.name, "role": ROLE_NAMES[u.role],
                           "deadline": when, "progress": progress, "status": t.status, "light": t.light,
                           "origin": origin, "jurisdiction": t.jurisdiction})

        if t.overdue:
            late = min((i for i in insts if i["state"] == "open" and i["due"] < iso), key=lambda i: i["due"], default=None)
            dl = deadline_by_id.get(late["deadline_id"]) if late else None
            phrase = (dl.get("phrase") or describe(dl)) if dl else when
            overdue.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction, "lead": lead,
                            "phrase": phrase or "规划期末", "due": late["due"] if late else t.next_due,
                            "days": (today - dt.date.fromisoformat(late["due"])).days if late else None,
                            "report": (_excerpt(newest["progress_text"]) + _returned_mark(newest)) if newest else "暂无报送",
                            "report_date": newest["reported_on"] if newest else None,
                            "report_unit": next((u.name for u in t.departments
                                                 if newest and u.id == newest["department_id"]), None)})

        if not closed:
            asked = [r for r in reports if (r.get("coordination_need") or "").strip()
                     or r["claimed_status"] == rules.NEEDS_COORDINATION]
            names = {u.id: u.name for u in t.departments}
            for r in asked:
                coordination.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "unit": names.get(r["department_id"], ""),
                                     "need": _excerpt(r.get("coordination_need") or r["progress_text"], 120),
                                     "of": (r.get("coordination_from") or "").strip() or "领导小组办公室",
                                     "date": r["reported_on"]})
            if t.status == rules.NEEDS_COORDINATION and not asked:
                coordination.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "unit": lead, "need": "任务状态为需协调,尚未说明具体事项", "of": "—", "date": None})
            for i in insts:
                if i["state"] == "open" and iso <= i["due"] <= upcoming_end:
                    dl = deadline_by_id.get(i["deadline_id"])
                    upcoming.append({"task_id": t.id, "title": t.title, "jurisdiction": t.jurisdiction,
                                     "lead": lead, "due": i["due"], "period_label": i["period_label"],
                                     "phrase": (dl.get("phrase") or describe(dl)) if dl else "", "status": t.status})

        if t.source != "规划":
            decisions.append({"task_id": t.id, "title": t.title, "source": t.source, "origin": origin,
                              "units": "、".join(u.name for u in t.departments), "due": min((i["due"] for i in insts), default=None),
                              "status": t.status, "light": t.light})

    summary["on_time_rate"] = percent(on_time_rate(summary["on_time"], summary["due"]))
    dept_rows = sorted(depts.values(), key=lambda d: (d["jurisdiction"] or "", -d["led"], -d["shared"], d["id"]))
    plan = q.plan(db, plan_id) if plan_id is not None else None
    # the assessment in the pack covers the year so far; each unit's 按时完成率 in section 二 is the same figure
    start = dt.date(today.year, 1, 1).isoformat()
    scores = _assessment(db, actor, start, iso, today, plan_id)
    rate_of = {r["department_id"]: r["completion_rate"] for r in scores["rows"]}
    for d in dept_rows:
        d["on_time_rate"] = rate_of.get(d["id"])
    overdue.sort(key=lambda o: (o["due"] or "", o["task_id"]))
    upcoming.sort(key=lambda u: (u["due"], u["task_id"]))
    coordination.sort(key=lambda c: (c["date"] or "", c["task_id"]), reverse=True)

    return {
        "today": iso,
        "plan_id": plan_id,
        "plan_title": plan["title"] if plan else None,
        "jurisdiction": plan["jurisdiction"] if plan else None,
        "title": _title(plan),
        "meeting": _next_meeting(db, today, plan_id),
        "period": {"label": period["label"], "start": period["start"], "end": period["end"]} if period else None,
        "summary": summary,
        "departments": dept_rows,
        "overdue": overdue,
        "coordination": coordination,
        "indicators": _indicators(db, actor, today, plan_id),
        "upcoming": upcoming,
        "upcoming_end": upcoming_end,
        "decisions": decisions,
        "assessment": scores,
        "ledger": ledger,
    }


def _title(plan: dict | None) -> str:
    if plan:
        return f"《{plan['title']}》重点任务推进情况"
    return "重点任务推进情况汇总"


def _next_meeting(db: sqlite_utils.Database, today: dt.date, plan_id: int | None) -> dict | None:
    for m in q.meetings_between(db, today.isoformat(), add_months(today, 6).isoformat()):
        if plan_id is None or any(p["id"] == plan_id for p in q.meeting_plans(db, m["id"])):
            return {"id": m["id"], "title": m["title"], "date": m["date"], "kind": m["kind"]}
    return None


def _indicators(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None) -> list[dict] | None:
    try:
        from duban.services.indicators import off_course
    except ImportError:
        return None
    out = []
    for r in off_course(db, actor, today, plan_id):
        out.append({"name": r.get("name"), "plan": r.get("plan"), "category": r.get("category"),
                    "baseline": r.get("baseline"), "target": r.get("target"), "target_year": r.get("target_year"),
                    "latest": r.get("latest_actual"), "latest_year": r.get("latest_year"),
                    "nature": r.get("nature"), "light": r.get("light"), "units": "、".join(r.get("units") or [])})
    return out


def _assessment(db: sqlite_utils.Database, actor: Actor, start: str, end: str, today: dt.date,
                plan_id: int | None) -> dict:
    from duban.services import assessment

    result = assessment.evaluate(db, actor, start, end, today, plan_id=plan_id)
    return {"start": result["start"], "end": result["end"], "rule_text": result["rule_text"],
            "rows": [{k: r[k] for k in ("department_id", "department", "jurisdiction", "rank", "note", "score",
                                         "completion_rate", "report_rate", "overdue_items", "overdue_days", "returned")}
                     for r in result["rows"]]}


# ---------------------------------------------------------------- Word

def _rfonts(rpr):
    """The run properties' font element, added when missing, so the Chinese font can be named in it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    return fonts


def _font(run, east_asia: str, size: float | None = None, bold: bool | None = None, latin: str = "Times New Roman"):
    run.font.name = latin
    fonts = _rfonts(run._element.get_or_add_rPr())
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    return run


def _style_fonts(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    _rfonts(normal.element.get_or_add_rPr()).set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(26)
    normal.paragraph_format.space_after = Pt(0)


def _para(doc, text: str = "", font: str = BODY_FONT, size: float = 14, bold: bool = False, align=None,
          indent: bool = True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(printable(text)), font, size, bold)
    return p


def _heading(doc, text: str) -> None:
    p = _para(doc, text, HEADING_FONT, 16)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True


def _subheading(doc, text: str) -> None:
    p = _para(doc, text, SUBHEADING_FONT, 14, bold=True)
    p.paragraph_format.keep_with_next = True


TABLE_STYLE, TABLE_HEAD_STYLE = "表格正文", "表格标题"


def _table_styles(doc: Document) -> None:
    """Paragraph styles for table cells, so thousands of cells need no per-run formatting."""
    from docx.enum.style import WD_STYLE_TYPE

    for name, font in ((TABLE_STYLE, BODY_FONT), (TABLE_HEAD_STYLE, HEADING_FONT)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(10.5)
        style.font.name = "Times New Roman"
        _rfonts(style.element.get_or_add_rPr()).set(qn("w:eastAsia"), font)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.line_spacing = Pt(16)
        style.paragraph_format.space_after = Pt(0)


def _cell_xml(text, width: int, style: str, centre: bool, fill: str | None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    jc = '<w:jc w:val="center"/>' if centre else ""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if i == 0 else
                    f'<w:r><w:br/><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                    for i, line in enumerate(printable(text).split("\n")))
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{runs}</w:p></w:tc>')


def _table(doc, headers: list[str], rows: list[list], widths: list[float], light_col: int | None = None):
    """A bordered table whose header row repeats on every page; cells are written as XML in one go."""
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    twips = [int(w * 567) for w in widths]
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
    head_id = doc.styles[TABLE_HEAD_STYLE].style_id
    body_id = doc.styles[TABLE_STYLE].style_id
    xml = [f'<w:tr {nsdecls("w")}><w:trPr><w:tblHeader/></w:trPr>'
           + "".join(_cell_xml(h, twips[i], head_id, True, "D9E2F3") for i, h in enumerate(headers)) + "</w:tr>"]
    for values in rows:
        xml.append(f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit/></w:trPr>' + "".join(
            _cell_xml(v, twips[i], body_id, isinstance(v, int | float) or i == light_col,
                      LIGHT_FILL.get(v) if i == light_col else None)
            for i, v in enumerate(values)) + "</w:tr>")
    tbl = table._tbl
    for row in xml:
        tbl.append(parse_xml(row))
    doc.add_paragraph()
    return table


def render_docx(data: dict) -> bytes:
    """The pack as a Word document: title and date, summary figures, tables, lists."""
    doc = Document()
    _style_fonts(doc)
    _table_styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
    _page_number(section)

    s = data["summary"]
    _para(doc, data["title"], TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    sub = f"(截至{cn_date(data['today'])}"
    if data.get("period"):
        sub += f",报送期:{data['period']['label']} {data['period']['start']} 至 {data['period']['end']}"
    _para(doc, sub + ")", SUBHEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if data.get("meeting"):
        _para(doc, f"供{cn_date(data['meeting']['date'])}{data['meeting']['title']}审议", SUBHEADING_FONT, 14,
              align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc)

    _heading(doc, "一、总体情况")
    _para(doc, f"纳入督办的重点任务共{s['tasks']}项,其中已销号{s['closed']}项,推进中{s['in_progress']}项,"
               f"已完成待审核{s['pending_review']}项,未开始{s['not_started']}项,逾期{s['overdue']}项,"
               f"需协调{s['coordination']}项。到期事项按时完成率{rate_text(s['on_time_rate'])}"
               f"(按期办结{s['on_time']}项/应办结{s['due']}项)。红灯{s['red']}项、黄灯{s['yellow']}项、绿灯{s['green']}项。")
    _table(doc, ["任务总数", "已销号", "推进中", "逾期", "需协调", "按时完成率"],
           [[s["tasks"], s["closed"], s["in_progress"], s["overdue"], s["coordination"], rate_text(s["on_time_rate"])]],
           [2.6, 2.6, 2.6, 2.6, 2.6, 3.0])

    _heading(doc, "二、各单位推进情况")
    rows = [[d["name"] if not _multi(data) else written_name(d['jurisdiction'], d['name']), d["led"], d["shared"],
             d["closed"], d["overdue"], rate_text(d["on_time_rate"]), d["last_report"] or "暂无报送"]
            for d in data["departments"]]
    _table(doc, ["单位", "牵头任务", "配合任务", "已销号", "逾期", "本年按时完成率", "最近报送"], rows,
           [4.6, 1.6, 1.6, 1.5, 1.3, 2.2, 2.6])

    _heading(doc, "三、逾期未完成事项")
    if data["overdue"]:
        rows = [[i, o["title"], o["lead"], f"{o['phrase']}({o['due']})", o["days"],
                 (f"[{o['report_date']}] " if o["report_date"] else "") + o["report"]]
                for i, o in enumerate(data["overdue"], 1)]
        _table(doc, ["序号", "任务", "牵头单位", "完成时限", "逾期天数", "最新进展"], rows, [1.1, 4.4, 2.4, 3.0, 1.4, 4.2])
    else:
        _para(doc, "本期无逾期未完成事项。")

    _heading(doc, "四、需协调解决的事项")
    if data["coordination"]:
        rows = [[i, c["title"], c["unit"], c["need"], c["of"]] for i, c in enumerate(data["coordination"], 1)]
        _table(doc, ["序号", "任务", "提出单位", "需协调事项", "请求协调单位"], rows, [1.1, 4.2, 2.6, 5.4, 3.2])
    else:
        _para(doc, "本期各单位未提出需协调事项。")

    _heading(doc, "五、指标进展偏离情况")
    if data["indicators"] is None:
        _para(doc, "指标监测数据暂未接入。")
    elif data["indicators"]:
        rows = [[i, x["name"], x["category"] or "", x["baseline"] or "—", f"{x['target'] or '—'}({x['target_year'] or '—'})",
                 f"{x['latest'] or '未填报'}" + (f"({x['latest_year']})" if x.get("latest_year") else ""),
                 x["nature"] or "", x["light"]] for i, x in enumerate(data["indicators"], 1)]
        _table(doc, ["序号", "指标", "类别", "基期值", "目标值(年份)", "最新值", "性质", "灯色"], rows,
               [1.0, 4.4, 1.3, 1.6, 2.6, 2.2, 1.4, 1.4], light_col=7)
    else:
        _para(doc, "各项指标均按进度推进,暂无偏离。")

    _heading(doc, f"六、未来三个月到期事项(至{cn_date(data['upcoming_end'])})")
    if data["upcoming"]:
        rows = [[i, u["due"], u["title"], u["lead"], u["phrase"] or u["period_label"] or "", u["status"]]
                for i, u in enumerate(data["upcoming"], 1)]
        _table(doc, ["序号", "到期日", "任务", "牵头单位", "时限要求", "状态"], rows, [1.1, 2.2, 5.2, 2.6, 3.4, 2.0])
    else:
        _para(doc, "未来三个月无到期事项。")

    _heading(doc, "七、会议议定及交办事项落实情况")
    if data["decisions"]:
        rows = [[i, d["title"], d["origin"], d["units"], d["due"] or "—", d["status"], d["light"]]
                for i, d in enumerate(data["decisions"], 1)]
        _table(doc, ["序号", "事项", "来源", "责任单位", "完成时限", "状态", "灯色"], rows,
               [1.0, 3.8, 3.4, 3.1, 2.0, 1.8, 1.4], light_col=6)
    else:
        _para(doc, "暂无会议议定事项和领导批示、上级交办事项。")

    a = data["assessment"]
    _heading(doc, f"八、成员单位考核得分({a['start']} 至 {a['end']})")
    _para(doc, "计分规则:" + a["rule_text"], size=12)
    rows = [[r["note"] if r["rank"] is None else r["rank"],
             (r["jurisdiction"] or "") + r["department"] if _multi(data) else r["department"],
             "—" if r["score"] is None else r["score"],
             rate_text(r["completion_rate"]), rate_text(r["report_rate"]), r["overdue_items"], r["overdue_days"],
             r["returned"]] for r in a["rows"]]
    _table(doc, ["名次", "单位", "得分", "按时完成率", "按时填报率", "逾期事项", "逾期天数", "退回报告"], rows,
           [1.1, 4.4, 1.5, 2.1, 2.1, 1.6, 1.6, 1.6])

    _para(doc, "领导小组办公室", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, cn_date(data["today"]), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _multi(data: dict) -> bool:
    return data.get("plan_id") is None


def _page_number(section) -> None:
    """— 1 — style page numbers centred in the footer."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 12)
    run = p.add_run()
    _font(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), BODY_FONT, 12)

