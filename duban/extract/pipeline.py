"""The extraction run: text -> outline -> metadata, tasks, tables, indicators, document rules."""
from __future__ import annotations

from datetime import date

from duban.extract.document_rules import apply_rules, find_rules
from duban.extract.errors import ExtractionError
from duban.extract.goal_targets import goal_targets
from duban.extract.indicators import table_indicators
from duban.extract.meta import plan_period, read_meta
from duban.extract.structure import build_outline
from duban.extract.task_tables import tasks_from_tables
from duban.extract.tasks import collect_tasks, finish_task


def _body_start(outline) -> int:
    for b in outline.root.body:
        if getattr(b, "label", None) is not None and b.label.style in ("cn_comma", "chapter"):
            return b.line
    return -1


def extract_plan(text: str, source_name: str, reference_date: date | None = None) -> dict:
    """Extract the structured plan from a document's text."""
    outline = build_outline(text)
    lines = [o for o, _ in outline.lines]
    meta = read_meta(lines, _body_start(outline))
    reference = reference_date or meta.published
    stems = meta.place_stems
    raw = collect_tasks(outline.root)
    raw.extend(tasks_from_tables(outline, reference))
    raw.sort(key=lambda t: t.line)
    tasks = [finish_task(t, i + 1, stems, reference, meta.published, meta.national) for i, t in enumerate(raw)]
    if not tasks:
        raise ExtractionError("文档中没有找到带责任单位的任务(如“(责任单位:…)”或“牵头单位/责任单位”表格),无法生成任务清单。")
    apply_rules(tasks, [t.line for t in raw], find_rules(outline), stems)
    indicators = goal_targets(outline.root)
    draft_period = plan_period(text, meta.published, [])
    for table, _path in outline.tables:
        indicators.extend(table_indicators(table, draft_period))
    years = [i["target_year"] for i in indicators if i.get("target_year")]
    if not years:
        years = [int(d["due"][:4]) for t in tasks for d in t["deadlines"] if d["kind"] == "once"]
    period = plan_period(text, meta.published, years)
    return {
        "source": source_name,
        "jurisdiction": meta.jurisdiction,
        "issuer": meta.issuer,
        "title": meta.title,
        "doc_number": meta.doc_number,
        "published": meta.published.isoformat() if meta.published else None,
        "period": period,
        "tasks": tasks,
        "indicators": indicators,
        "meta_flags": meta.flags,
    }
