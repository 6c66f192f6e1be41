"""总览: across every plan, which tasks are on track, which are late and whose they are; each number opens its tasks."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.rules.status import LIGHTS, STATUSES
from duban.services import overview
from ui import charts, page
from ui import overview_parts as parts
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
INDICATORS_PAGE = "pages/indicators.py"
MAX_DEPARTMENT_BARS = 15
MAX_PLAN_BARS = 15

actor, db, today = page.start(None)  # the title follows the figures (an error stops the page before it)

filters = w.filter_sidebar(db, actor, "ov", options=overview.filter_options(db, actor))
ignored = w.ignored_filters(filters, ("jurisdiction", "plan", "department", "light"))
w.sync_query_params(filters)
try:
    data = overview.dashboard(db, actor, today, **filters)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()
options, version, chart_key = data["options"], data["version"], repr((actor.user_id, today, sorted(filters.items())))

st.title("总览")
w.note_ignored(ignored)
names = {
    "jurisdiction": {j["id"]: j["name"] for j in options["jurisdictions"]},
    "plan": {p.id: p.label for p in options["plans"]},
    "department": {d.id: d.label for d in options["departments"]},
    "light": w.LIGHT_MARKS,
}
active = [names[k].get(filters[k], str(filters[k])) for k in ("jurisdiction", "plan", "department", "light") if k in filters]
st.caption(f"按 {w.cn_date(today)} 计 · 共 {data['total']} 项任务"
           + (f" · 筛选:{w.plain_markdown('、'.join(active))}" if active else "")
           + f" · 红灯:有期次已逾期未完成;黄灯:{data['warn_days']} 天内到期或进度落后于时间")

# ---- the headline numbers
cols = st.columns(4)
parts.card(cols[0], "任务总数", data["total"], "查看全部任务", filters)
for col, light in zip(cols[1:], LIGHTS, strict=True):
    parts.card(col, w.LIGHT_LABELS[light], data["by_light"][light], f"查看{light}灯任务", filters, light=light)

st.markdown("##### 按状态")
for col, status in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    parts.card(col, status, data["by_status"][status], "查看", filters, status=status)  # five in a row: a short word

st.markdown("##### 按期限")
due = data["due"]
cols = st.columns(3)
parts.card(cols[0], "已逾期任务", due["overdue"]["tasks"], "查看逾期任务", filters,
           f"共有 {due['overdue']['count']} 个期次已过截止日期仍未完成", due="overdue")
for col, days in zip(cols[1:], ("30", "90"), strict=True):
    parts.card(col, f"{days} 天内到期", due[days]["tasks"], "查看任务", filters,
               f"{due[days]['count']} 个期次在 {days} 天内到期", due=days)

rollup = overview.place_rollup(db, actor, today)
if rollup:
    st.subheader("下级地区")
    parts.place_rows(db, actor, today, rollup)

if data["total"] == 0:
    st.info("没有符合条件的任务。可在左侧调整筛选条件,或在“导入”页导入规划文件。")
    st.stop()

# ---- by plan
st.subheader("各规划任务灯色")
plans, charted = overview.chart_plans(data["by_plan"], MAX_PLAN_BARS)
short = [p["full_label"] if len(p["full_label"]) <= 26 else p["full_label"][:25] + "…" for p in charted]
bar = parts.clicked_bar(charts.plan_lights(version, chart_key, charted, short), "ov_plan_chart")
if bar and bar[0]:
    plan_id, light = bar[:2]
    st.switch_page(TASKS_PAGE, query_params=w.link_params(
        {k: v for k, v in filters.items() if k != "light"}, plan=plan_id, light=light))
parts.plan_rows(plans, filters, len(charted))
if any(not p["plan_id"] for p in plans):
    st.caption("“其他来源任务”是会议议定事项、领导批示和上级交办的任务。")

# ---- by department
st.subheader("各部门牵头与配合任务")
deps = overview.ranked_departments(data["by_department"])
top = deps[:MAX_DEPARTMENT_BARS]
bar = parts.clicked_bar(charts.department_roles(version, chart_key, top), "ov_department_chart")
if bar:
    department_id, role = bar[:2]
    st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, department=department_id, role=role))
if len(deps) > len(top):
    st.caption(f"图中为牵头任务最多的 {len(top)} 个部门;全部 {len(deps)} 个部门见下表。")
with st.expander(f"全部责任部门({len(deps)} 个)· 点选一行查看该部门的任务"):
    state = w.dataframe(pd.DataFrame([{"部门": d["name"], "地区": d["jurisdiction"] or "", "牵头": d["lead"],
                                        "配合": d["co"], "牵头红灯": d["red_lead"], "配合红灯": d["red_co"]}
                                       for d in deps]),
                         hide_index=True, width="stretch", key="ov_department_table", on_select="rerun",
                         selection_mode="single-row")
    if (row := parts.picked_row(state, len(deps))) is not None:
        st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, department=deps[row]["department_id"]))

# ---- deadlines by month
st.subheader("期限分布(按月)")
bar = parts.clicked_bar(charts.deadlines_by_month(version, chart_key, today, data["by_month"]), "ov_month_chart")
if bar:
    st.switch_page(TASKS_PAGE, query_params=w.link_params(filters, month=bar[0]))
st.caption("点击柱形可查看当月有期限的任务。")

# ---- overdue and upcoming items
st.subheader("逾期与即将到期")
tabs = st.tabs([f"已逾期({due['overdue']['count']} 个期次)", f"30 天内到期({due['30']['count']} 个期次)",
                f"90 天内到期({due['90']['count']} 个期次)"])
for tab, key in zip(tabs, ("overdue", "30", "90"), strict=True):
    with tab:
        parts.due_tab(key, due, filters)
st.caption("点选一行可打开该任务。")

# ---- indicators off course
if data["off_course_error"]:
    st.warning(w.plain_markdown(data["off_course_error"]))
off = data["off_course"]
st.subheader(f"偏离目标的指标({len(off)})")
if off:
    parts.off_course_table(off)
else:
    st.info("没有偏离目标的指标。")
st.page_link(INDICATORS_PAGE, label="查看全部指标", icon=":material/arrow_forward:")
