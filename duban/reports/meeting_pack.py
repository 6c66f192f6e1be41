"""The joint-meeting pack (联席会议材料) as a Word file, and building it: lock the period, store its figures,
render the Word pack and the Excel ledger in the same transaction."""
from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

import sqlite_utils
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from db import transaction
from duban.access import Actor
from duban.errors import DubanError
from duban.reports import docx as word
from duban.reports import ledger
from duban.rules import status as rules
from duban.rules.dates import cn_date
from duban.rules.names import written_name
from duban.services import stored_packs
from duban.services.meeting_pack import PackFigures

log = logging.getLogger("duban.meetings")
LIGHT_FILL = {rules.RED: "F8D7DA", rules.YELLOW: "FFF3CD", rules.GREEN: "D4EDDA"}


@dataclass
class Pack:
    """A built meeting pack: the Word document, the Excel ledger and the figures both were made from."""

    docx: bytes
    xlsx: bytes
    data: PackFigures
    period: str
    reused: bool

    @property
    def docx_name(self) -> str:
        """The Word file's name, dated by the pack's day."""
        return f"会议材料_{self.data['today']}.docx"

    @property
    def xlsx_name(self) -> str:
        """The Excel ledger's name, dated by the pack's day."""
        return f"工作台账_{self.data['today']}.xlsx"


def build(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None) -> Pack:
    """Build the meeting pack and ledger for `today`, locking the reporting period; a period's figures are
    stored with it, so a pack rebuilt for a locked period shows the same figures.

    The Word and Excel files are rendered inside the transaction that locks the period: if rendering fails,
    nothing is locked or stored and the office can simply try again."""
    try:
        with transaction(db):
            figures = stored_packs.lock_figures(db, actor, today, plan_id)
            return Pack(docx=render_docx(figures.data), xlsx=ledger.render_xlsx(figures.data), data=figures.data,
                        period=figures.period, reused=figures.reused)
    except DubanError:
        raise
    except Exception as e:  # noqa: BLE001 - a rendering failure: the office is told, the period stays open
        log.exception("会议材料生成失败")
        raise DubanError(f"会议材料生成失败,报送期未锁定,请稍后重试({type(e).__name__})。") from e


def stored(db: sqlite_utils.Database, actor: Actor, label: str, plan_id: int | None = None) -> Pack:
    """A locked period's pack, rendered again from the figures stored when it was built."""
    data = stored_packs.stored_figures(db, actor, label, plan_id)
    return Pack(docx=render_docx(data), xlsx=ledger.render_xlsx(data), data=data, period=label, reused=True)


def rate_text(rate: float | None) -> str:
    """A rate as the pack prints it: one decimal and a per cent sign, or a dash when nothing was due."""
    return "—" if rate is None else f"{rate:.1f}%"


def _table(doc, headers: list[str], rows: list[list], widths: list[float], light_col: int | None = None):
    return word.table(doc, headers, rows, widths, light_col, LIGHT_FILL)


def render_docx(data: PackFigures) -> bytes:
    """The pack as a Word document: title and date, summary figures, tables, lists."""
    doc = Document()
    word.body_style(doc)
    word.table_styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
    word.page_number(section)

    s = data["summary"]
    word.paragraph(doc, data["title"], word.TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    sub = f"(截至{cn_date(data['today'])}"
    if data.get("period"):
        sub += f",报送期:{data['period']['label']} {data['period']['start']} 至 {data['period']['end']}"
    word.paragraph(doc, sub + ")", word.SUBHEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if data.get("meeting"):
        word.paragraph(doc, f"供{cn_date(data['meeting']['date'])}{data['meeting']['title']}审议", word.SUBHEADING_FONT, 14,
              align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    word.paragraph(doc)

    word.heading(doc, "一、总体情况")
    word.paragraph(doc, f"纳入督办的重点任务共{s['tasks']}项,其中已销号{s['closed']}项,推进中{s['in_progress']}项,"
               f"已完成待审核{s['pending_review']}项,未开始{s['not_started']}项,逾期{s['overdue']}项,"
               f"需协调{s['coordination']}项。到期事项按时完成率{rate_text(s['on_time_rate'])}"
               f"(按期办结{s['on_time']}项/应办结{s['due']}项)。红灯{s['red']}项、黄灯{s['yellow']}项、绿灯{s['green']}项。")
    _table(doc, ["任务总数", "已销号", "推进中", "逾期", "需协调", "按时完成率"],
           [[s["tasks"], s["closed"], s["in_progress"], s["overdue"], s["coordination"], rate_text(s["on_time_rate"])]],
           [2.6, 2.6, 2.6, 2.6, 2.6, 3.0])

    word.heading(doc, "二、各单位推进情况")
    rows = [[d["name"] if not _multi(data) else written_name(d['jurisdiction'], d['name']), d["led"], d["shared"],
             d["closed"], d["overdue"], rate_text(d["on_time_rate"]), d["last_report"] or "暂无报送"]
            for d in data["departments"]]
    _table(doc, ["单位", "牵头任务", "配合任务", "已销号", "逾期", "本年按时完成率", "最近报送"], rows,
           [4.6, 1.6, 1.6, 1.5, 1.3, 2.2, 2.6])

    word.heading(doc, "三、逾期未完成事项")
    if data["overdue"]:
        rows = [[i, o["title"], o["lead"], f"{o['phrase']}({o['due']})", o["days"],
                 (f"[{o['report_date']}] " if o["report_date"] else "") + o["report"]]
                for i, o in enumerate(data["overdue"], 1)]
        _table(doc, ["序号", "任务", "牵头单位", "完成时限", "逾期天数", "最新进展"], rows, [1.1, 4.4, 2.4, 3.0, 1.4, 4.2])
    else:
        word.paragraph(doc, "本期无逾期未完成事项。")

    word.heading(doc, "四、需协调解决的事项")
    if data["coordination"]:
        rows = [[i, c["title"], c["unit"], c["need"], c["of"]] for i, c in enumerate(data["coordination"], 1)]
        _table(doc, ["序号", "任务", "提出单位", "需协调事项", "请求协调单位"], rows, [1.1, 4.2, 2.6, 5.4, 3.2])
    else:
        word.paragraph(doc, "本期各单位未提出需协调事项。")

    word.heading(doc, "五、指标进展偏离情况")
    if data["indicators"] is None:
        word.paragraph(doc, "指标监测数据暂未接入。")
    elif data["indicators"]:
        rows = [[i, x["name"], x["category"] or "", x["baseline"] or "—", f"{x['target'] or '—'}({x['target_year'] or '—'})",
                 f"{x['latest'] or '未填报'}" + (f"({x['latest_year']})" if x.get("latest_year") else ""),
                 x["nature"] or "", x["light"]] for i, x in enumerate(data["indicators"], 1)]
        _table(doc, ["序号", "指标", "类别", "基期值", "目标值(年份)", "最新值", "性质", "灯色"], rows,
               [1.0, 4.4, 1.3, 1.6, 2.6, 2.2, 1.4, 1.4], light_col=7)
    else:
        word.paragraph(doc, "各项指标均按进度推进,暂无偏离。")

    word.heading(doc, f"六、未来三个月到期事项(至{cn_date(data['upcoming_end'])})")
    if data["upcoming"]:
        rows = [[i, u["due"], u["title"], u["lead"], u["phrase"] or u["period_label"] or "", u["status"]]
                for i, u in enumerate(data["upcoming"], 1)]
        _table(doc, ["序号", "到期日", "任务", "牵头单位", "时限要求", "状态"], rows, [1.1, 2.2, 5.2, 2.6, 3.4, 2.0])
    else:
        word.paragraph(doc, "未来三个月无到期事项。")

    word.heading(doc, "七、会议议定及交办事项落实情况")
    if data["decisions"]:
        rows = [[i, d["title"], d["origin"], d["units"], d["due"] or "—", d["status"], d["light"]]
                for i, d in enumerate(data["decisions"], 1)]
        _table(doc, ["序号", "事项", "来源", "责任单位", "完成时限", "状态", "灯色"], rows,
               [1.0, 3.8, 3.4, 3.1, 2.0, 1.8, 1.4], light_col=6)
    else:
        word.paragraph(doc, "暂无会议议定事项和领导批示、上级交办事项。")

    a = data["assessment"]
    word.heading(doc, f"八、成员单位考核得分({a['start']} 至 {a['end']})")
    word.paragraph(doc, "计分规则:" + a["rule_text"], size=12)
    rows = [[r["note"] if r["rank"] is None else r["rank"],
             (r["jurisdiction"] or "") + r["department"] if _multi(data) else r["department"],
             "—" if r["score"] is None else r["score"],
             rate_text(r["completion_rate"]), rate_text(r["report_rate"]), r["overdue_items"], r["overdue_days"],
             r["returned"]] for r in a["rows"]]
    _table(doc, ["名次", "单位", "得分", "按时完成率", "按时填报率", "逾期事项", "逾期天数", "退回报告"], rows,
           [1.1, 4.4, 1.5, 2.1, 2.1, 1.6, 1.6, 1.6])

    if data.get("lower") is not None:
        _lower_section(doc, data["lower"])

    word.paragraph(doc, "领导小组办公室", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    word.paragraph(doc, cn_date(data["today"]), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _lower_section(doc, lower: list[dict]) -> None:
    """九、下级地区任务: the lower places' own tasks, apart from the office's, which sections 一 to 八 count."""
    word.heading(doc, "九、下级地区任务")
    if not lower:
        word.paragraph(doc, "下级地区暂无纳入督办的任务。")
        return
    counts: dict[str, list[int]] = {}
    for t in lower:
        c = counts.setdefault(t["jurisdiction"] or "", [0, 0, 0])
        c[0] += 1
        c[1] += t["status"] == rules.CLOSED
        c[2] += bool(t["overdue"])
    word.paragraph(doc, ";".join(f"{place}{n}项(已销号{closed}项、逾期{late}项)"
                                 for place, (n, closed, late) in counts.items()) + "。")
    rows = [[t["seq"], t["jurisdiction"] or "", t["title"], t["lead"], t["deadline"] or "—", t["status"], t["light"]]
            for t in lower]
    _table(doc, ["序号", "地区", "任务", "牵头单位", "完成时限", "状态", "灯色"], rows,
           [1.0, 2.0, 5.0, 2.8, 3.0, 1.8, 1.4], light_col=6)


def _multi(data: dict) -> bool:
    return data.get("plan_id") is None
