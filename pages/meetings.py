"""会议: joint meetings proposed from the plans, who has reported before each, the meeting pack, decisions, assigned tasks (交办)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.reminders.inbox import local_time
from duban.services import duty_report, meetings
from ui import page
from ui import widgets as w

actor, db, today = page.start("会议", "联席会议、领导小组例会:按规划条款自动提出会议安排,会前通知成员单位报送进展,"
                              "一键生成会议材料和工作台账,会后录入议定事项并转为督办任务。", flash_key="meet_flash")
office = actor.is_office


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault("meet_flash", []).append((kind, text))


def dept_label(d: dict) -> str:
    return f"{d['jurisdiction'] or ''} · {d['name']}"


plans = meetings.list_plans(db)
plan_labels = {p["id"]: f"{p['jurisdiction'] or ''} · {p['title']}" for p in plans}
all_departments = meetings.list_departments(db)
dept_labels = {d["id"]: dept_label(d) for d in all_departments}

tab_list, tab_pack, tab_hand, tab_duty = st.tabs(["会议安排", "会议材料", "交办任务", "履职报告"], key="meeting_tab",
                                                 on_change="rerun")

# ------------------------------------------------------------------ meetings
with tab_list:
    proposals = meetings.proposals(db, actor, today)
    st.subheader("根据规划条款建议召开的会议")
    if not proposals:
        st.caption("各规划中按期召开的会议均已安排。")
    for i, p in enumerate(proposals):
        with st.container(border=True):
            c1, c2 = st.columns([5, 1])
            c1.markdown(f"**{w.plain_markdown(p['title'])}**  \n{w.plain_markdown(p['kind'])} · 建议在 {w.cn_date(p['date'])} 前召开 · "
                        f"依据:“{w.plain_markdown(p['sentence'])}”")
            if office and c2.button("采纳", key=f"accept_{p['deadline_id']}_{i}"):
                try:
                    meetings.accept_proposal(db, actor, p)
                    flash("ok", f"已安排:{p['title']}")
                except DubanError as e:
                    flash("error", str(e))
                st.rerun()

    rows = meetings.list_meetings(db, actor)
    st.subheader("会议列表")
    if rows:
        w.dataframe(pd.DataFrame([{
            "日期": w.cn_date(m["date"]), "类型": m["kind"], "名称": m["title"],
            "状态": "已召开" if m["date"] < today.isoformat() else ("今天" if m["date"] == today.isoformat() else "即将召开"),
            "涉及规划数": m["plan_count"], "成员单位数": m["unit_count"], "议定事项数": m["decision_count"],
        } for m in rows]), hide_index=True, width="stretch", key="meeting_table")
    else:
        st.info("还没有安排会议。")

    if office:
        with st.expander("新建会议"), st.form("meeting_new"):
            kind = st.selectbox("会议类型", meetings.KINDS, key="new_kind")
            day = st.date_input("会议日期", value=today + dt.timedelta(days=14), key="new_date")
            chosen_plans = st.multiselect("涉及规划", list(plan_labels), format_func=plan_labels.get, key="new_plans",
                                          placeholder="请选择规划")
            title = st.text_input("会议名称(可留空,自动生成)", key="new_title")
            remind = st.number_input("会前几天通知成员单位报送", min_value=0, max_value=90,
                                     value=meetings.default_remind_days(db), key="new_remind")
            st.caption("成员单位默认为所选规划中全部牵头和配合单位。")
            if st.form_submit_button("创建会议"):
                try:
                    meetings.create_meeting(db, actor, kind, day, chosen_plans, title=title or None,
                                            remind_days=int(remind))
                    flash("ok", "会议已创建。")
                    st.rerun()
                except DubanError as e:
                    st.error(w.plain_markdown(str(e)))

    if rows:
        st.subheader("会议详情")
        labels = {m["id"]: f"{w.cn_date(m['date'])} {m['title']}" for m in rows}
        upcoming = [m["id"] for m in sorted(rows, key=lambda m: m["date"]) if m["date"] >= today.isoformat()]
        default = list(labels).index(upcoming[0]) if upcoming else 0
        meeting_id = st.selectbox("选择会议", list(labels), index=default, format_func=labels.get, key="meeting_pick")
        status = meetings.reporting_status(db, actor, meeting_id, today)
        m = status["meeting"]
        held = m["date"] <= today.isoformat()
        st.markdown(f"**{w.plain_markdown(m['title'])}**({w.plain_markdown(m['kind'])},{w.cn_date(m['date'])})  \n涉及规划:"
                    + w.plain_markdown(";".join(p["title"] for p in m["plans"]))
                    + (f"  \n{w.plain_markdown(m['notes'])}" if m.get("notes") else ""))
        c = st.columns(3)
        c[0].metric("成员单位", len(status["units"]))
        c[1].metric("已报送", status["reported"])
        c[2].metric("未报送", status["missing"])
        st.caption(f"统计报送期 {w.plain_markdown(status['period'] or '(尚未开始)')}:自 {w.cn_date(status['start'])} 至 {w.cn_date(status['until'])} 的进展报告。")
        w.dataframe(pd.DataFrame([{
            "单位": u["department"], "是否已报送": "已报送" if u["reported"] else "未报送", "报送次数": u["reports"],
            "最近报送": w.cn_date(u["last_report"], ""),
            "会前通知": w.cn_date(u["asked_on"], "") or ("未通知" if not held else ""),
        } for u in status["units"]]), hide_index=True, width="stretch", key="meeting_units_table")
        if office and not held:
            notice_day = dt.date.fromisoformat(m["date"]) - dt.timedelta(days=m["remind_days"])
            st.caption(f"系统将于 {w.cn_date(notice_day)}(会前 {m['remind_days']} 天)自动通知成员单位报送进展。")
            if st.button("立即通知尚未通知的成员单位", key="send_requests"):
                try:
                    sent = meetings.send_update_requests(db, today, actor, meeting_id=meeting_id)
                    flash("ok", f"已通知 {len(sent)} 个成员单位。")
                except DubanError as e:
                    flash("error", str(e))
                st.rerun()

        st.markdown("#### 议定事项")
        if m["decisions"]:
            w.dataframe(pd.DataFrame([{"事项": d["title"], "责任单位": d["units"], "完成时限": w.cn_date(d["due"]),
                                        "状态": d["status"]} for d in m["decisions"]]),
                         hide_index=True, width="stretch", key="decision_table")
        else:
            st.caption("尚未录入议定事项。")
        if office and held:
            unit_ids = [u["id"] for u in m["units"]] or list(dept_labels)
            with st.form("decision_form", clear_on_submit=True):
                st.markdown("**录入议定事项**(保存后即成为督办任务)")
                d_title = st.text_input("议定事项", key="dec_title")
                d_lead = st.multiselect("牵头单位", unit_ids, format_func=dept_labels.get, key="dec_lead",
                                         placeholder="输入单位名称查找")
                d_co = st.multiselect("配合单位", unit_ids, format_func=dept_labels.get, key="dec_co",
                                       placeholder="输入单位名称查找")
                d_due = st.date_input("完成时限", value=today + dt.timedelta(days=30), key="dec_due")
                d_body = st.text_area("具体要求(可选)", key="dec_body")
                if st.form_submit_button("保存议定事项"):
                    try:
                        task_id = meetings.record_decision(db, actor, meeting_id, d_title, d_lead, d_co, d_due, today,
                                                           body=d_body)
                        flash("ok", f"已录入议定事项,并生成督办任务(编号 {task_id})。")
                        st.rerun()
                    except DubanError as e:
                        st.error(w.plain_markdown(str(e)))

# ------------------------------------------------------------------ the pack
with tab_pack:
    st.markdown("生成会议材料时将**锁定当前报送期**:材料中的数字即数据库中该报送期的数字;"
                "此后报送的进展计入下一报送期。")
    scope_options = [None] + list(plan_labels)
    scope = st.selectbox("范围", scope_options, format_func=lambda p: "全部规划" if p is None else plan_labels[p],
                         key="pack_scope")
    periods = meetings.list_periods(db, actor)
    covered = any(p["locked_at"] and p["start"] <= today.isoformat() <= (p["end"] or "") for p in periods)
    open_label = next((p["label"] for p in periods if not p["locked_at"]), None)
    if office and covered:
        build = st.button("生成会议材料", type="primary", key="build_pack")
    elif office:
        which = f"报送期 **{w.plain_markdown(open_label)}**" if open_label else "上次锁定以来的报送期"
        build = w.confirm_button("生成会议材料", f"生成后将锁定{which}(截至 {w.cn_date(today)}):"
                                 "材料中的数字从此固定,此后报送的进展计入下一报送期。锁定后不能撤销。",
                                 "确认生成并锁定", key="build_pack", type="primary")
    else:
        build = False
    if build:
        with st.spinner("正在生成会议材料和工作台账…"):
            try:
                pack = meetings.build_pack(db, actor, today, plan_id=scope)
                st.session_state["meet_pack"] = pack
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))
    pack = st.session_state.get("meet_pack")
    if pack is not None:
        s = pack.data["summary"]
        st.success(f"报送期 {w.plain_markdown(pack.period)} 的会议材料已生成" + ("(该报送期已锁定,沿用锁定时的数据)。" if pack.reused else "。"))
        c = st.columns(6)
        for col, (label, value) in zip(c, [("任务", s["tasks"]), ("已销号", s["closed"]), ("推进中", s["in_progress"]),
                                           ("逾期", s["overdue"]), ("需协调", s["coordination"]),
                                           ("按时完成率", "—" if s["on_time_rate"] is None else f"{s['on_time_rate']}%")],
                                      strict=True):
            col.metric(label, value)
        d1, d2 = st.columns(2)
        d1.download_button("下载会议材料(Word)", data=pack.docx, file_name=pack.docx_name,
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="dl_docx")
        d2.download_button("下载工作台账(Excel)", data=pack.xlsx, file_name=pack.xlsx_name,
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")

    st.subheader("报送期")
    periods = meetings.list_periods(db, actor)  # again: building the pack may have just locked one
    if periods:
        w.dataframe(pd.DataFrame([{"报送期": p["label"], "开始": w.cn_date(p["start"]), "结束": w.cn_date(p["end"], ""),
                                    "状态": "已锁定" if p["locked_at"] else "进行中",
                                    "锁定时间": local_time(p["locked_at"])} for p in periods]),
                     hide_index=True, width="stretch", key="period_table")
        locked = [p["label"] for p in periods if p["locked_at"] and p["has_snapshot"]]
        if locked:
            c1, c2 = st.columns(2)
            label = c1.selectbox("已锁定的报送期", locked[::-1], key="period_pick")
            snap = meetings.period_snapshot(db, actor, label)
            scopes = [None if k == "all" else int(k.split(":")[1]) for k in snap]
            old_scope = c2.selectbox("范围", scopes, key="period_scope",
                                     format_func=lambda p: "全部规划" if p is None else plan_labels.get(p, str(p)))
            if st.button("重新下载该期材料", key="stored_pack"):
                try:
                    st.session_state["meet_stored"] = meetings.stored_pack(db, actor, label, old_scope)
                except DubanError as e:
                    st.error(w.plain_markdown(str(e)))
            old = st.session_state.get("meet_stored")
            if old is not None:
                e1, e2 = st.columns(2)
                e1.download_button(f"下载 {old.period} 会议材料", data=old.docx, file_name=f"会议材料_{old.period}.docx",
                                   key="dl_old_docx")
                e2.download_button(f"下载 {old.period} 工作台账", data=old.xlsx, file_name=f"工作台账_{old.period}.xlsx",
                                   key="dl_old_xlsx")
    else:
        st.caption("尚无报送期:首次报送进展或生成会议材料时开始第一期。")

# ------------------------------------------------------------------ assigned tasks (交办)
with tab_hand:
    st.caption("领导批示、上级交办等规划以外的任务,录入后与规划任务一样督办、提醒,并进入下一期会议材料。")
    if office:
        with st.form("hand_form", clear_on_submit=True):
            h_source = st.selectbox("任务来源", meetings.ASSIGNED_SOURCES, key="hand_source")
            h_note = st.text_input("来源说明(如批示领导、交办文件)", key="hand_note")
            h_title = st.text_input("任务名称", key="hand_title")
            h_lead = st.multiselect("牵头单位", list(dept_labels), format_func=dept_labels.get, key="hand_lead",
                                    placeholder="输入单位名称查找")
            h_co = st.multiselect("配合单位", list(dept_labels), format_func=dept_labels.get, key="hand_co",
                                  placeholder="输入单位名称查找")
            h_due = st.date_input("完成时限", value=today + dt.timedelta(days=30), key="hand_due")
            h_body = st.text_area("具体要求(可选)", key="hand_body")
            if st.form_submit_button("保存任务"):
                try:
                    task_id = meetings.add_assigned_task(db, actor, h_source, h_title, h_lead, h_co, h_due, today,
                                                     source_note=h_note, body=h_body)
                    flash("ok", f"已新增{h_source}任务(编号 {task_id})。")
                    st.rerun()
                except DubanError as e:
                    st.error(w.plain_markdown(str(e)))
    hand = meetings.assigned_tasks(db, actor)
    if hand:
        w.dataframe(pd.DataFrame([{"来源": h["source"], "来源说明": h["source_note"] or "", "任务": h["title"],
                                    "责任单位": h["units"], "完成时限": w.cn_date(h["due"]), "状态": h["status"]} for h in hand]),
                     hide_index=True, width="stretch", key="hand_table")
    else:
        st.caption("暂无交办任务。")

# ------------------------------------------------------------------ duty report
with tab_duty:
    st.caption("根据部门承担的任务和全年报送的进展,生成年度履职情况报告草稿(Word),供部门修改后报送领导小组。")
    c1, c2 = st.columns([3, 1])
    dept = c1.selectbox("部门", list(dept_labels), format_func=dept_labels.get, key="duty_dept")
    year = c2.number_input("年度", min_value=2000, max_value=2100, value=today.year, key="duty_year")
    if st.button("生成履职报告草稿", key="duty_build"):
        try:
            st.session_state["meet_duty"] = (duty_report.file_name(db, dept, int(year)),
                                             duty_report.build(db, actor, dept, int(year), today))
        except DubanError as e:
            st.error(w.plain_markdown(str(e)))
    made = st.session_state.get("meet_duty")
    if made:
        st.download_button(f"下载 {w.plain_markdown(made[0])}", data=made[1], file_name=made[0], key="duty_download")
