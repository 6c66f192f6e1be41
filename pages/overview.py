"""总览: across every plan, which tasks are on track, which are late and whose they are; each number opens its tasks."""
from __future__ import annotations

import importlib

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.rules.status import LIGHTS, STATUSES
from duban.services import cache, overview
from ui import charts, page
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
INDICATORS_PAGE = "pages/indicators.py"
MAX_DEPARTMENT_BARS = 15
MAX_PLAN_BARS = 15
MAX_PLAN_ROWS = 12  # more plans than this: a table instead of a row of links each

actor, db, today = page.start(None)  # the title follows the figures (an error stops the page before it)

options = overview.filter_options(db, actor)
filters = w.filter_sidebar(db, actor, "ov", options=options)
ignored = w.ignored_filters(filters, ("jurisdiction", "plan", "department", "light"))
w.sync_query_params(filters)
version, chart_key = cache.data_version(db), repr((actor.user_id, today, sorted(filters.items())))
try:
    data = overview.overview(db, actor, today, **filters)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()

st.title("总览")
w.note_ignored(ignored)
active = []
names = {
    "jurisdiction": {j["id"]: j["name"] for j in options["jurisdictions"]},
    "plan": {p["id"]: p["label"] for p in options["plans"]},
    "department": {d["id"]: d["label"] for d in options["departments"]},
    "light": w.LIGHT_MARKS,
}
for key in ("jurisdiction", "plan", "department", "light"):
    if key in filters:
        active.append(names[key].get(filters[key], str(filters[key])))
st.caption(f"按 {w.cn_date(today)} 计 · 共 {data['total']} 项任务"
           + (f" · 筛选:{w.plain_markdown('、'.join(active))}" if active else "")
           + f" · 红灯:有期次已逾期未完成;黄灯:{data['warn_days']} 天内到期或进度落后于时间")


def card(col, label: str, value: int, link_label: str, help_text: str | None = None, **extra) -> None:
    """A bordered number with a link to the task list filtered to exactly those tasks."""
    with col.container(border=True):
        st.metric(label, value, help=help_text)
        st.page_link(TASKS_PAGE, label=link_label, icon=":material/arrow_forward:",
                     query_params=w.link_params(filters, **extra), disabled=value == 0)


def open_task_on_select(state, rows: list[dict]) -> None:
    """A row picked in a table opens that task."""
    picked = (state or {}).get("selection", {}).get("rows", []) if state else []
    if picked and picked[0] < len(rows):
        st.switch_page(TASKS_PAGE, query_params={"task": str(rows[picked[0]]["task_id"])})


def clicked_bar(fig, key: str) -> list | None:
    """Shows a chart; what the clicked bar carries, so the click can open those tasks."""
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points",
                            config={"displayModeBar": False})
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return points[0].get("customdata") if points else None


# ---- the headline numbers
cols = st.columns(4)
card(cols[0], "任务总数", data["total"], "查看全部任务")
for col, light in zip(cols[1:], LIGHTS, strict=True):
    card(col, w.LIGHT_LABELS[light], data["by_light"][light], f"查看{light}灯任务", light=light)

st.markdown("##### 按状态")
cols = st.columns(len(STATUSES))
for col, status in zip(cols, STATUSES, strict=True):
    card(col, status, data["by_status"][status], "查看", status=status)  # five cards in a row: a short word

st.markdown("##### 按期限")
due = data["due"]
cols = st.columns(3)
card(cols[0], "已逾期任务", due["overdue"]["tasks"], "查看逾期任务",
     f"共有 {due['overdue']['count']} 个期次已过截止日期仍未完成", due="overdue")
card(cols[1], "30 天内到期", due["30"]["tasks"], "查看任务", f"{due['30']['count']} 个期次在 30 天内到期", due="30")
card(cols[2], "90 天内到期", due["90"]["tasks"], "查看任务", f"{due['90']['count']} 个期次在 90 天内到期", due="90")

if data["total"] == 0:
    st.info("没有符合条件的任务。可在左侧调整筛选条件,或在“导入”页导入规划文件。")
    st.stop()

# ---- by plan
st.subheader("各规划任务灯色")
plans = data["by_plan"]
for p in plans:
    p["full_label"] = f"{p['jurisdiction']} · {p['label']}" if p["jurisdiction"] else p["label"]
charted = plans if len(plans) <= MAX_PLAN_BARS else sorted(plans, key=lambda p: (-p["红"], -p["total"]))[:MAX_PLAN_BARS]
short = [p["full_label"] if len(p["full_label"]) <= 26 else p["full_label"][:25] + "…" for p in charted]
bar = clicked_bar(charts.plan_lights(version, chart_key, charted, short), "ov_plan_chart")
if bar and bar[0]:
    plan_id, light = bar[:2]
    st.switch_page(TASKS_PAGE, query_params=w.link_params(
        {k: v for k, v in filters.items() if k != "light"}, plan=plan_id, light=light))

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
else:
    st.caption(f"图中为红灯任务最多的 {len(charted)} 个规划;全部 {len(plans)} 个规划见下表,点选一行查看其任务。")
    state = w.dataframe(pd.DataFrame([{"地区": p["jurisdiction"] or "", "规划": p["label"], "任务数": p["total"],
                                        "红灯": p["红"], "黄灯": p["黄"], "绿灯": p["绿"]} for p in plans]),
                         hide_index=True, width="stretch", key="ov_plan_table", on_select="rerun",
                         selection_mode="single-row", column_config={"规划": st.column_config.TextColumn(width="large")})
    picked = (state or {}).get("selection", {}).get("rows", []) if state else []
    if picked and picked[0] < len(plans) and plans[picked[0]]["plan_id"]:
        st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, plan=plans[picked[0]]["plan_id"]))
if any(not p["plan_id"] for p in plans):
    st.caption("“其他来源任务”是会议议定事项、领导批示和上级交办的任务。")

# ---- by department
st.subheader("各部门牵头与配合任务")
deps = sorted(data["by_department"], key=lambda d: (-d["lead"], -d["co"], d["label"]))
top = deps[:MAX_DEPARTMENT_BARS]
bar = clicked_bar(charts.department_roles(version, chart_key, top), "ov_department_chart")
if bar:
    department_id, role = bar[:2]
    st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, department=department_id, role=role))
if len(deps) > len(top):
    st.caption(f"图中为牵头任务最多的 {len(top)} 个部门;全部 {len(deps)} 个部门见下表。")

dep_rows = [{"部门": d["name"], "地区": d["jurisdiction"] or "", "牵头": d["lead"], "配合": d["co"],
             "牵头红灯": d["red_lead"], "配合红灯": d["red_co"], "task_id": None} for d in deps]
with st.expander(f"全部责任部门({len(deps)} 个)· 点选一行查看该部门的任务"):
    state = w.dataframe(pd.DataFrame(dep_rows).drop(columns=["task_id"]), hide_index=True, width="stretch",
                         key="ov_department_table", on_select="rerun", selection_mode="single-row")
    picked = (state or {}).get("selection", {}).get("rows", []) if state else []
    if picked and picked[0] < len(deps):
        st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, department=deps[picked[0]]["department_id"]))

# ---- deadlines by month
st.subheader("期限分布(按月)")
months = data["by_month"]
bar = clicked_bar(charts.deadlines_by_month(version, chart_key, today, months), "ov_month_chart")
if bar:
    st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, month=bar[0]))
st.caption("点击柱形可查看当月有期限的任务。")

# ---- overdue and upcoming items
st.subheader("逾期与即将到期")
tabs = st.tabs([f"已逾期({due['overdue']['count']} 个期次)", f"30 天内到期({due['30']['count']} 个期次)",
                f"90 天内到期({due['90']['count']} 个期次)"])
for tab, key in zip(tabs, ("overdue", "30", "90"), strict=True):
    items = due[key]["items"]
    with tab:
        if not items:
            st.info("没有此类事项。")
            continue
        table = pd.DataFrame([{
            "截止日期": w.cn_date(i["due"]),
            "时间": w.days_text(i["days"]),
            "期次": i["period_label"] or "",
            "任务": f"{i['number'] or ''} {i['title']}".strip(),
            "原文期限": i["phrase"] or "",
            "牵头单位": i["lead"] or "",
            "地区": i["jurisdiction"] or "",
            "状态": i["status"],
        } for i in items])
        state = w.dataframe(table, hide_index=True, width="stretch", key=f"ov_due_{key}", on_select="rerun",
                             selection_mode="single-row",
                             column_config={"任务": st.column_config.TextColumn(width="medium"),
                                            "原文期限": st.column_config.TextColumn(width="small"),
                                            "地区": st.column_config.TextColumn(width="small"),
                                            "状态": st.column_config.TextColumn(width="small")})
        open_task_on_select(state, items)
        if due[key]["count"] > len(items):
            st.caption(f"仅列出最早的 {len(items)} 个期次。")
        st.page_link(TASKS_PAGE, label="在任务页查看这些任务", icon=":material/arrow_forward:",
                     query_params=w.link_params(filters, due=key))
st.caption("点选一行可打开该任务。")

# ---- indicators off course
try:
    indicators = importlib.import_module("duban.services.indicators")
except ModuleNotFoundError:
    indicators = None
if indicators is not None and hasattr(indicators, "off_course"):
    try:
        off = indicators.off_course(db, actor, today, plan_id=filters.get("plan"))
    except DubanError as e:
        off = []
        st.warning(w.plain_markdown(str(e)))
    if "jurisdiction" in filters:
        jname = names["jurisdiction"].get(filters["jurisdiction"])
        off = [r for r in off if r.get("jurisdiction") == jname]
    st.subheader(f"偏离目标的指标({len(off)})")
    if off:
        w.dataframe(w.light_styler(pd.DataFrame([{
            "灯色": w.LIGHT_MARKS.get(r.get("light"), r.get("light") or ""),
            "指标": r.get("name"),
            "地区": r.get("jurisdiction") or "",
            "类别": r.get("category") or "",
            "基期值": r.get("baseline") or "",
            "目标值": r.get("target") or "",
            "目标年份": str(r.get("target_year") or ""),
            "最新实际值": r.get("latest_actual") or "",
            "性质": r.get("nature") or "",
        } for r in off[:10]])), hide_index=True, width="stretch", key="ov_off_course")
        if len(off) > 10:
            st.caption(f"仅列出前 10 个,共 {len(off)} 个。")
    else:
        st.info("没有偏离目标的指标。")
    st.page_link(INDICATORS_PAGE, label="查看全部指标", icon=":material/arrow_forward:")
