"""Pieces of the 总览 page: a number that opens its tasks, a clickable chart, the per-plan rows, the places below
and the due lists."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.rules.status import LIGHTS
from duban.services import tasks
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
MAX_PLAN_ROWS = 12  # more plans than this: a table instead of a row of links each
TEXT = st.column_config.TextColumn


def card(col, label: str, value: int, link_label: str, filters: dict, help_text: str | None = None, **extra) -> None:
    """A bordered number with a link to the task list filtered to exactly those tasks."""
    with col.container(border=True):
        st.metric(label, value, help=help_text)
        st.page_link(TASKS_PAGE, label=link_label, icon=":material/arrow_forward:",
                     query_params=w.link_params(filters, **extra), disabled=value == 0)


def picked_row(state, n: int) -> int | None:
    """The row picked in a table of n rows, if any."""
    picked = (state or {}).get("selection", {}).get("rows", []) if state else []
    return picked[0] if picked and picked[0] < n else None


def clicked_bar(fig, key: str) -> list | None:
    """Shows a chart; what the clicked bar carries, so the click can open those tasks."""
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points",
                            config={"displayModeBar": False})
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return points[0].get("customdata") if points else None


def plan_rows(plans: list[dict], filters: dict, charted: int) -> None:
    """Each plan's total and lights as links to its tasks; many plans: one table, a picked row opens its tasks."""
    if len(plans) <= MAX_PLAN_ROWS:
        for p in plans:
            c = st.columns([5, 1, 1, 1, 1], vertical_alignment="center")
            extra = {"plan": p["plan_id"]} if p["plan_id"] else {}
            c[0].page_link(TASKS_PAGE, label=p["full_label"], query_params=w.link_params(filters, **extra),
                           disabled=not p["plan_id"])
            c[1].page_link(TASKS_PAGE, label=f"共 {p['total']} 项", query_params=w.link_params(filters, **extra),
                           disabled=not p["plan_id"])
            for col, light in zip(c[2:], LIGHTS, strict=True):
                col.page_link(TASKS_PAGE, label=f"{w.LIGHT_LABELS[light]} {p[light]}",
                              query_params=w.link_params(filters, light=light, **extra),
                              disabled=not p["plan_id"] or p[light] == 0)
        return
    st.caption(f"图中为红灯任务最多的 {charted} 个规划;全部 {len(plans)} 个规划见下表,点选一行查看其任务。")
    state = w.dataframe(pd.DataFrame([{"地区": p["jurisdiction"] or "", "规划": p["label"], "任务数": p["total"],
                                        "红灯": p["红"], "黄灯": p["黄"], "绿灯": p["绿"]} for p in plans]),
                         hide_index=True, width="stretch", key="ov_plan_table", on_select="rerun",
                         selection_mode="single-row", column_config={"规划": TEXT(width="large")})
    row = picked_row(state, len(plans))
    if row is not None and plans[row]["plan_id"]:
        st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, plan=plans[row]["plan_id"]))


def place_rows(db, actor, today, rows: list[dict]) -> None:
    """The 下级地区 table: each place's tasks, lights and on-time rate; a picked row lists that place's tasks,
    each opening read-only on the 任务 page."""
    state = w.dataframe(pd.DataFrame([{
        "地区": r["label"], "任务数": r["tasks"], "红灯": r["红"], "黄灯": r["黄"], "绿灯": r["绿"],
        "按时完成率": "—" if r["on_time_rate"] is None else f"{r['on_time_rate']}%"} for r in rows]),
        hide_index=True, width="stretch", key="ov_place_table", on_select="rerun", selection_mode="single-row")
    st.caption("下级地区的任务按该地区及其以下各地区合计;“本级”为本地区自己的任务;不受左侧筛选影响。点选一行查看其任务(只读)。")
    row = picked_row(state, len(rows))
    if row is None:
        return
    picked = rows[row]
    listed = tasks.list_tasks(db, actor, today, task_ids=picked["task_ids"]) if picked["task_ids"] else []
    if not listed:
        st.info(f"{picked['label']}没有任务。")
    for t in listed:
        st.page_link(TASKS_PAGE, label=w.plain_markdown(f"{w.LIGHT_MARKS.get(t.light, '')} {t.number or ''} {t.title}".strip()),
                     query_params={"task": str(t.id)})


def due_tab(key: str, due: dict, filters: dict) -> None:
    """One due list (overdue, 30 or 90 days): its instances earliest first; a picked row opens the task."""
    items = due[key]["items"]
    if not items:
        st.info("没有此类事项。")
        return
    table = pd.DataFrame([{
        "截止日期": w.cn_date(i["due"]), "时间": w.days_text(i["days"]), "期次": i["period_label"] or "",
        "任务": f"{i['number'] or ''} {i['title']}".strip(), "原文期限": i["phrase"] or "",
        "牵头单位": i["lead"] or "", "地区": i["jurisdiction"] or "", "状态": i["status"],
    } for i in items])
    state = w.dataframe(table, hide_index=True, width="stretch", key=f"ov_due_{key}", on_select="rerun",
                         selection_mode="single-row",
                         column_config={"任务": TEXT(width="medium"), "原文期限": TEXT(width="small"),
                                        "地区": TEXT(width="small"), "状态": TEXT(width="small")})
    row = picked_row(state, len(items))
    if row is not None:
        st.switch_page(TASKS_PAGE, query_params={"task": str(items[row]["task_id"])})
    if due[key]["count"] > len(items):
        st.caption(f"仅列出最早的 {len(items)} 个期次。")
    st.page_link(TASKS_PAGE, label="在任务页查看这些任务", icon=":material/arrow_forward:",
                 query_params=w.link_params(filters, due=key))


def off_course_table(off: list[dict]) -> None:
    """The first ten indicators off course, binding ones first."""
    w.dataframe(w.light_styler(pd.DataFrame([{
        "灯色": w.LIGHT_MARKS.get(r.get("light"), r.get("light") or ""), "指标": r.get("name"),
        "地区": r.get("jurisdiction") or "", "类别": r.get("category") or "", "基期值": r.get("baseline") or "",
        "目标值": r.get("target") or "", "目标年份": str(r.get("target_year") or ""),
        "最新实际值": r.get("latest_actual") or "", "性质": r.get("nature") or "",
    } for r in off[:10]])), hide_index=True, width="stretch", key="ov_off_course")
    if len(off) > 10:
        st.caption(f"仅列出前 10 个,共 {len(off)} 个。")
