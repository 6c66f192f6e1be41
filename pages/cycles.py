"""填报周期: when a plan's departments report even if nothing falls due, and per period who has and has not."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.rules.names import ROLE_NAMES
from duban.rules.status import LIGHT_COLOURS
from duban.services import cycles
from ui import page
from ui import scope as choices
from ui import widgets as w

actor, db, today = page.start("填报周期", "填报周期与任务期限分开:即使本期没有任务到期,责任单位也要按周期报送进展。"
                               "下表按周期列出每一期应报送的单位(该规划中有未销号任务、且有联络员账号或联络邮箱的牵头和配合单位)"
                               "及其是否已报送;报送该规划任一任务的进展即算本期已报送。", flash_key="cycles_flash")

try:
    plans = cycles.list_plans(db, actor)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()
if not plans:
    st.info("还没有导入任何规划。")
    st.stop()

plan_labels = {p.id: f"{p.jurisdiction or ''} · {p.title}" for p in plans}
asked = w.id_param(st.query_params.get("plan"))  # the 导入 page links here for the plan just imported
plan_id = st.selectbox("规划", list(plan_labels), format_func=plan_labels.get, key="cycle_plan",
                       index=list(plan_labels).index(asked) if asked in plan_labels else 0)
plan_cycles = cycles.list_cycles(db, actor, plan_id)
# a lower place's plan is read-only here: its own office sets and changes its cycles
office = actor.is_office and plan_id in choices.own_plan_ids(db, actor)
if actor.is_office and not office:
    st.caption("这是下级地区的规划,其填报周期只能查看;请由该地区的办公室设置。")


def _toggle(cycle_id: int, active: bool) -> None:
    try:
        cycles.set_active(db, actor, cycle_id, active)
        st.session_state["cycles_flash"] = [("ok", "已" + ("恢复" if active else "停用") + "该填报周期。")]
    except DubanError as e:
        st.session_state["cycles_flash"] = [("error", str(e))]


def _add_date(cycle_id: int) -> None:
    s = st.session_state
    try:
        cycles.add_meeting_date(db, actor, cycle_id, s[f"meeting_date_{cycle_id}"], s.get(f"meeting_label_{cycle_id}"))
        s["cycles_flash"] = [("ok", "已添加会议日期。")]
    except DubanError as e:
        s["cycles_flash"] = [("error", str(e))]


if not plan_cycles:
    st.info("该规划还没有设置填报周期。")

for c in plan_cycles:
    with st.container(border=True):
        head, tool = st.columns([4, 1])
        head.markdown(f"**{w.plain_markdown(c.label)}**" + ("" if c.active else " · :gray[已停用]"))
        if c.note:
            head.caption(w.plain_markdown(c.note))
        if office:
            tool.button("恢复" if not c.active else "停用", key=f"cycle_toggle_{c.id}",
                        on_click=_toggle, args=(c.id, not c.active))
        overview = cycles.cycle_overview(db, actor, c.id, today)
        if not overview:
            st.caption("尚无联席会议日期:请在下方添加,或在“会议”页安排该规划的联席会议。")
        for k, item in enumerate(overview):
            p, deps, done = item["period"], item["departments"], item["done"]
            st.markdown(f"{item['state']} **{w.plain_markdown(p.label)}** · 截止 {w.cn_date(p.due)} · 已报送 **{done}** / {len(deps)} 个单位"
                        + (f" · :red[未报送 {len(deps) - done} 个]" if done < len(deps) else ""))
            if deps:
                table = pd.DataFrame([{
                    "单位": d["name"], "角色": ROLE_NAMES["lead" if d["leads"] else "co"], "任务数": d["tasks"],
                    "报送情况": d["report_state"],
                    "最近报送": w.cn_date(d["last"]), "报告数": d["count"],
                } for d in sorted(deps, key=lambda d: (d["reported"], not d["leads"], d["name"]))])
                styled = table.style.map(lambda v: f"color: {LIGHT_COLOURS[cycles.REPORT_LIGHTS[v]]}; "
                                                   "font-weight: 600", subset=["报送情况"])
                with st.expander(f"{w.plain_markdown(p.label)} 明细", expanded=(k == 0)):
                    w.dataframe(styled, hide_index=True, width="stretch", key=f"cycle_table_{c.id}_{k}")
        if office and c.kind == "meeting":
            d1, d2, d3 = st.columns([1, 2, 1])
            d1.date_input("会议前报送截止日", value=today + dt.timedelta(days=14), key=f"meeting_date_{c.id}")
            d2.text_input("说明(可选)", key=f"meeting_label_{c.id}", placeholder="例如:第一季度联席会议前")
            d3.button("添加日期", key=f"meeting_add_{c.id}", on_click=_add_date, args=(c.id,))

if office:
    st.subheader("新增填报周期")
    with st.form("cycle_add"):
        kind = st.radio("周期", list(cycles.KINDS), format_func=cycles.KINDS.get, horizontal=True, key="cycle_kind")
        a, b = st.columns(2)
        month = a.selectbox("每季度第几个月(仅“每季度”)", [1, 2, 3], key="cycle_month")
        day = b.number_input("报送截止日(每月几日前;小月按月末)", min_value=1, max_value=31, value=28, key="cycle_day")
        dates_text = st.text_area("联席会议前报送截止日期(仅“每次联席会议前”,每行一个,格式 2026-12-10 第四季度联席会议前)",
                                  key="cycle_dates", height=80)
        note = st.text_input("说明(可选)", key="cycle_note")
        if st.form_submit_button("添加周期", key="cycle_submit"):
            try:
                dates = cycles.meeting_dates_from_text(dates_text, kind)
                cycles.add_cycle(db, actor, plan_id, kind, day=int(day), month=int(month), dates=dates,
                                 note=note)
                st.session_state["cycles_flash"] = [("ok", "已添加填报周期。")]
                st.rerun()
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))
