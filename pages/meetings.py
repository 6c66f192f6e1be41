"""会议: joint meetings proposed from the plans, who has reported before each, the meeting pack, decisions, assigned tasks (交办)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.services import meetings_view as meetings
from ui import meetings_view as view
from ui import page
from ui import scope as choices
from ui import widgets as w

actor, db, today = page.start("会议", "联席会议、领导小组例会:按规划条款自动提出会议安排,会前通知成员单位报送进展,"
                              "一键生成会议材料和工作台账,会后录入议定事项并转为督办任务。", flash_key=view.FLASH)
office = actor.is_office

plan_labels = choices.plan_labels(db, actor)
department_labels = choices.department_labels(db, actor)
own_departments = choices.department_labels(db, actor, own=True)  # what a write may name
tab_list, tab_pack, tab_hand, tab_duty = st.tabs(["会议安排", "会议材料", "交办任务", "履职报告"], key="meeting_tab",
                                                 on_change="rerun")


def attempt(action, done) -> None:
    """Run an action; what it did (`done`, or `done(result)`) or why it was refused is shown after the rerun."""
    try:
        result = action()
        view.flash("ok", done(result) if callable(done) else done)
    except DubanError as e:
        view.flash("error", str(e))
    st.rerun()


def table(rows: list[dict], key: str) -> None:
    w.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=key)


with tab_list:
    plan = meetings.schedule(db, actor, today)
    st.subheader("根据规划条款建议召开的会议")
    if not plan["proposals"]:
        st.caption("各规划中按期召开的会议均已安排。")
    for i, p in enumerate(plan["proposals"]):
        with st.container(border=True):
            c1, c2 = st.columns([5, 1])
            c1.markdown(f"**{w.plain_markdown(p['title'])}**  \n{w.plain_markdown(p['kind'])} · 建议在 {w.cn_date(p['date'])} 前召开 · "
                        f"依据:“{w.plain_markdown(p['sentence'])}”")
            if office and c2.button("采纳", key=f"accept_{p['deadline_id']}_{i}"):
                attempt(lambda p=p: meetings.accept_proposal(db, actor, p), f"已安排:{p['title']}")

    rows = plan["meetings"]
    st.subheader("会议列表")
    if rows:
        table([{"日期": w.cn_date(m["date"]), "类型": m["kind"], "名称": m["title"], "状态": m["state"],
                "涉及规划数": m["plan_count"], "成员单位数": m["unit_count"], "议定事项数": m["decision_count"]}
               for m in rows], "meeting_table")
    else:
        st.info("还没有安排会议。")
    if office:
        view.new_meeting(db, actor, today, choices.plan_labels(db, actor, own=True))

    if rows:
        st.subheader("会议详情")
        labels = {m["id"]: f"{w.cn_date(m['date'])} {m['title']}" for m in rows}
        meeting_id = st.selectbox("选择会议", list(labels), index=list(labels).index(plan["first"]),
                                  format_func=labels.get, key="meeting_pick")
        status = meetings.reporting_status(db, actor, meeting_id, today)
        m, held = status["meeting"], status["held"]
        st.markdown(f"**{w.plain_markdown(m['title'])}**({w.plain_markdown(m['kind'])},{w.cn_date(m['date'])})  \n涉及规划:"
                    + w.plain_markdown(";".join(p["title"] for p in m["plans"]))
                    + (f"  \n{w.plain_markdown(m['notes'])}" if m.get("notes") else ""))
        c = st.columns(3)
        c[0].metric("成员单位", len(status["units"]))
        c[1].metric("已报送", status["reported"])
        c[2].metric("未报送", status["missing"])
        st.caption(f"统计报送期 {w.plain_markdown(status['period'] or '(尚未开始)')}:自 {w.cn_date(status['start'])} 至 {w.cn_date(status['until'])} 的进展报告。")
        table([{"单位": u["department"], "是否已报送": "已报送" if u["reported"] else "未报送", "报送次数": u["reports"],
                "最近报送": w.cn_date(u["last_report"], ""),
                "会前通知": w.cn_date(u["asked_on"], "") or ("未通知" if not held else "")}
               for u in status["units"]], "meeting_units_table")
        if office and not held:
            st.caption(f"系统将于 {w.cn_date(status['notice_day'])}(会前 {m['remind_days']} 天)自动通知成员单位报送进展。")
            if st.button("立即通知尚未通知的成员单位", key="send_requests"):
                attempt(lambda: meetings.send_update_requests(db, actor, meeting_id, today),
                        lambda sent: f"已通知 {len(sent)} 个成员单位。")

        st.markdown("#### 议定事项")
        if m["decisions"]:
            table([{"事项": d["title"], "责任单位": d["units"], "完成时限": w.cn_date(d["due"]), "状态": d["status"]}
                   for d in m["decisions"]], "decision_table")
        else:
            st.caption("尚未录入议定事项。")
        if office and held:
            members = [u["id"] for u in m["units"] if u["id"] in own_departments] or list(own_departments)
            view.decision(db, actor, today, meeting_id, members, own_departments)

with tab_pack:
    st.markdown("生成会议材料时将**锁定当前报送期**:材料中的数字即数据库中该报送期的数字;"
                "此后报送的进展计入下一报送期。")
    scope = st.selectbox("范围", [None, *plan_labels], format_func=lambda p: "全部规划" if p is None else plan_labels[p],
                         key="pack_scope")
    if office:
        view.build_pack(db, actor, today, scope)
    if (pack := st.session_state.get("meet_pack")) is not None:
        view.pack_files(pack)

    st.subheader("报送期")
    after = meetings.pack_periods(db, actor, today)  # again: building the pack may have just locked one
    if after["periods"]:
        table([{"报送期": p["label"], "开始": w.cn_date(p["start"]), "结束": w.cn_date(p["end"], ""),
                "状态": "已锁定" if p["locked_at"] else "进行中", "锁定时间": p["locked_time"]}
               for p in after["periods"]], "period_table")
        if after["stored"]:
            view.stored_pack(db, actor, after["stored"], plan_labels)
    else:
        st.caption("尚无报送期:首次报送进展或生成会议材料时开始第一期。")

with tab_hand:
    st.caption("领导批示、上级交办等规划以外的任务,录入后与规划任务一样督办、提醒,并进入下一期会议材料。")
    if office:
        view.assigned_task(db, actor, today, own_departments)
    if hand := meetings.assigned_tasks(db, actor):
        table([{"来源": h["source"], "来源说明": h["source_note"] or "", "任务": h["title"], "责任单位": h["units"],
                "完成时限": w.cn_date(h["due"]), "状态": h["status"]} for h in hand], "hand_table")
    else:
        st.caption("暂无交办任务。")

with tab_duty:
    st.caption("根据部门承担的任务和全年报送的进展,生成年度履职情况报告草稿(Word),供部门修改后报送领导小组。")
    view.duty_report_draft(db, actor, today, department_labels)
