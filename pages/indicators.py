"""指标: the plans' indicators against their targets, the path to each target, and reporting actual values."""
from __future__ import annotations

import streamlit as st

from duban.errors import DubanError
from duban.rules.dates import cn_date
from duban.services import indicator_board as board
from ui import indicator_view as view
from ui import page
from ui.widgets import LIGHT_LABELS, plain_markdown

ALL = "全部"
COURSE_LABELS = {None: ALL, **board.COURSES}

actor, db, today = page.start("指标", lambda today: f"各规划指标的基期、目标与实际完成情况(按 {cn_date(today)} 计)。"
                               "约束性指标偏离进度为红灯,预期性(及未标注性质的)指标偏离为黄灯,达标或按期推进为绿灯,"
                               "尚无实际值为灰灯。", flash_key="ind_flash")

options = board.filter_options(db, actor)
plan_labels = {p["id"]: p["label"] for p in options["plans"]}
department_labels = {u["id"]: u["label"] for u in options["units"]}

c1, c2, c3, c4, c5 = st.columns([3, 1, 1, 2, 2])
plan_id = c1.selectbox("规划", [None, *plan_labels], format_func=lambda v: plan_labels.get(v, ALL), key="ind_plan")
category = c2.selectbox("类别", [ALL, *options["categories"]], key="ind_category")
nature = c3.selectbox("性质", [ALL, *options["natures"]], key="ind_nature")
department_id = c4.selectbox("责任单位", [None, *department_labels], format_func=lambda v: department_labels.get(v, ALL),
                             key="ind_unit")
course = c5.selectbox("进度", list(COURSE_LABELS), format_func=COURSE_LABELS.get, key="ind_course")

shown = board.board(db, actor, today, plan_id=plan_id, category=None if category == ALL else category,
                    nature=None if nature == ALL else nature, department_id=department_id, course=course)
rows = shown.rows

m = st.columns(5)
m[0].metric("指标数", len(rows))
m[1].metric(LIGHT_LABELS["红"], shown.counts["红"])
m[2].metric(LIGHT_LABELS["黄"], shown.counts["黄"])
m[3].metric(LIGHT_LABELS["绿"], shown.counts["绿"])
m[4].metric(LIGHT_LABELS["灰"] + "(待填报/待评估)", shown.counts["灰"])
if shown.missing_actuals:
    st.caption(f"其中 {shown.missing_actuals} 项尚缺最近年度(至 {today.year - 1} 年或目标年)的实际值。")

if not rows:
    st.info("没有符合条件的指标。")
    st.stop()

view.table(rows)

# --- progress against target -------------------------------------------------------------------------------
st.subheader("完成进度")
if shown.bars:
    st.plotly_chart(view.progress_chart(shown.bars), key="ind_progress_chart")
    if shown.more_bars:
        st.caption(f"仅显示前 {board.MAX_BARS} 项(按灯色排序),可用上方筛选缩小范围。")
else:
    st.caption("所选指标均为文字目标或尚无实际值,无法绘制进度。")

# --- one indicator: its path and its history ------------------------------------------------------------------
st.subheader("指标详情")
names = {r["id"]: board.choice_label(r) for r in rows}
picked = st.selectbox("选择指标", list(names), format_func=names.get, key="ind_pick")
try:
    item = board.detail(db, actor, picked, today)
except DubanError as e:
    st.error(plain_markdown(str(e)))
    st.stop()

left, right = st.columns([3, 2])
with left:
    fig = view.path_chart(item)
    if fig is not None:
        st.plotly_chart(fig, key="ind_path_chart")
    else:
        st.info("该指标为文字目标或尚无数值,不绘制路径图。")
with right:
    view.facts(item)

if item["history"]:
    view.history(item)

# --- report an actual value -----------------------------------------------------------------------------------
# a lower place's indicator is read-only to the office above: that place's own office reports and corrects it
own = actor.owns_place(item.get("jurisdiction_id"))
if item["can_report"] and own:
    view.report_form(db, actor, item, today)
elif actor.role == "leader":
    st.caption("领导账号为只读。")
elif not own:
    st.caption("这是下级地区的指标,只能查看;由该地区的办公室填报和修正。")
else:
    st.caption("该指标由其责任单位填报" if item["units"] else "该指标未指定责任单位,由办公室填报。")

# --- the office corrects an indicator ---------------------------------------------------------------------------
if actor.is_office and own:
    with st.expander("修正指标信息(办公室)"):
        view.correction_form(db, actor, item)
