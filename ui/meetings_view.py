"""The 会议 page's forms and files: setting up a meeting, recording a 议定事项, adding an assigned task (交办), the
meeting pack's downloads (new and stored) and the duty report draft."""
from __future__ import annotations

import datetime as dt

import sqlite_utils
import streamlit as st

from duban.access import Actor
from duban.errors import DubanError
from duban.reports import duty_report as duty_report_file
from duban.reports import meeting_pack
from duban.services import decisions, duty_report, meetings, stored_packs
from ui import page
from ui import widgets as w
from ui.task_form import TaskEntry, task_entry_form

FLASH = "meet_flash"


def flash(kind: str, text: str) -> None:
    """A message shown at the top of the 会议 page after the rerun an action causes."""
    page.flash(FLASH, kind, text)


def new_meeting(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_labels: dict[int, str]) -> None:
    """新建会议: type, date, plans, name and notice days; member units default to the plans' units."""
    with st.expander("新建会议"), st.form("meeting_new"):
        kind = st.selectbox("会议类型", meetings.KINDS, key="new_kind")
        day = st.date_input("会议日期", value=today + dt.timedelta(days=14), key="new_date")
        chosen = st.multiselect("涉及规划", list(plan_labels), format_func=plan_labels.get, key="new_plans",
                                placeholder="请选择规划")
        title = st.text_input("会议名称(可留空,自动生成)", key="new_title")
        remind = st.number_input("会前几天通知成员单位报送", min_value=0, max_value=90,
                                 value=meetings.default_remind_days(db), key="new_remind")
        st.caption("成员单位默认为所选规划中全部牵头和配合单位。")
        if st.form_submit_button("创建会议"):
            try:
                meetings.create_meeting(db, actor, kind, day, chosen, title=title or None, remind_days=int(remind))
                flash("ok", "会议已创建。")
                st.rerun()
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))


def decision(db: sqlite_utils.Database, actor: Actor, today: dt.date, meeting_id: int, department_ids: list[int],
             labels: dict[int, str]) -> None:
    """录入议定事项: saved, it becomes a tracked task of its departments."""
    def save(entry: TaskEntry) -> None:
        task_id = decisions.record_decision(db, actor, meeting_id, entry.title, entry.lead_ids, entry.co_ids,
                                            entry.due, today, body=entry.body)
        flash("ok", f"已录入议定事项,并生成督办任务(编号 {task_id})。")

    task_entry_form("decision_form", "dec", department_ids, labels.get, today, save, title_label="议定事项",
                    submit_label="保存议定事项", heading="**录入议定事项**(保存后即成为督办任务)")


def assigned_task(db: sqlite_utils.Database, actor: Actor, today: dt.date, labels: dict[int, str]) -> None:
    """A task from a leader's instruction or a higher authority, carrying its source."""
    def save(entry: TaskEntry) -> None:
        task_id = decisions.add_assigned_task(db, actor, entry.source, entry.title, entry.lead_ids, entry.co_ids,
                                              entry.due, today, source_note=entry.source_note, body=entry.body)
        flash("ok", f"已新增{entry.source}任务(编号 {task_id})。")

    task_entry_form("hand_form", "hand", list(labels), labels.get, today, save, sources=decisions.ASSIGNED_SOURCES)


def build_pack(db: sqlite_utils.Database, actor: Actor, today: dt.date, scope: int | None) -> None:
    """生成会议材料: asks first when building would lock the open reporting period (it cannot be undone)."""
    before = stored_packs.pack_periods(db, actor, today)
    if not before["locks"]:
        build = st.button("生成会议材料", type="primary", key="build_pack")
    else:
        which = f"报送期 **{w.plain_markdown(before['open'])}**" if before["open"] else "上次锁定以来的报送期"
        build = w.confirm_button("生成会议材料", f"生成后将锁定{which}(截至 {w.cn_date(today)}):"
                                 "材料中的数字从此固定,此后报送的进展计入下一报送期。锁定后不能撤销。",
                                 "确认生成并锁定", key="build_pack", type="primary")
    if build:
        with st.spinner("正在生成会议材料和工作台账…"):
            try:
                st.session_state["meet_pack"] = meeting_pack.build(db, actor, today, plan_id=scope)
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))


def pack_files(pack: meeting_pack.Pack) -> None:
    """The pack just built: its period, headline figures and both files to download."""
    s = pack.data["summary"]
    st.success(f"报送期 {w.plain_markdown(pack.period)} 的会议材料已生成" + ("(该报送期已锁定,沿用锁定时的数据)。" if pack.reused else "。"))
    for col, (label, value) in zip(st.columns(6), [
            ("任务", s["tasks"]), ("已销号", s["closed"]), ("推进中", s["in_progress"]), ("逾期", s["overdue"]),
            ("需协调", s["coordination"]),
            ("按时完成率", "—" if s["on_time_rate"] is None else f"{s['on_time_rate']}%")], strict=True):
        col.metric(label, value)
    d1, d2 = st.columns(2)
    d1.download_button("下载会议材料(Word)", data=pack.docx, file_name=pack.docx_name,
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="dl_docx")
    d2.download_button("下载工作台账(Excel)", data=pack.xlsx, file_name=pack.xlsx_name,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")


def stored_pack(db: sqlite_utils.Database, actor: Actor, labels: list[str], plan_labels: dict[int, str]) -> None:
    """A locked period's pack downloaded again, rendered from the figures stored with it."""
    c1, c2 = st.columns(2)
    label = c1.selectbox("已锁定的报送期", labels[::-1], key="period_pick")
    old_scope = c2.selectbox("范围", stored_packs.stored_scopes(db, actor, label), key="period_scope",
                             format_func=lambda p: "全部规划" if p is None else plan_labels.get(p, str(p)))
    if st.button("重新下载该期材料", key="stored_pack"):
        try:
            st.session_state["meet_stored"] = meeting_pack.stored(db, actor, label, old_scope)
        except DubanError as e:
            st.error(w.plain_markdown(str(e)))
    if (old := st.session_state.get("meet_stored")) is not None:
        e1, e2 = st.columns(2)
        e1.download_button(f"下载 {old.period} 会议材料", data=old.docx, file_name=f"会议材料_{old.period}.docx",
                           key="dl_old_docx")
        e2.download_button(f"下载 {old.period} 工作台账", data=old.xlsx, file_name=f"工作台账_{old.period}.xlsx",
                           key="dl_old_xlsx")


def duty_report_draft(db: sqlite_utils.Database, actor: Actor, today: dt.date,
                      department_labels: dict[int, str]) -> None:
    """A department's annual duty report draft, generated and offered for download."""
    c1, c2 = st.columns([3, 1])
    department = c1.selectbox("部门", list(department_labels), format_func=department_labels.get,
                              key="duty_department")
    year = c2.number_input("年度", min_value=2000, max_value=2100, value=today.year, key="duty_year")
    if st.button("生成履职报告草稿", key="duty_build"):
        try:
            st.session_state["meet_duty"] = (duty_report.file_name(db, department, int(year)),
                                             duty_report_file.build(db, actor, department, int(year), today))
        except DubanError as e:
            st.error(w.plain_markdown(str(e)))
    if made := st.session_state.get("meet_duty"):
        st.download_button(f"下载 {w.plain_markdown(made[0])}", data=made[1], file_name=made[0], key="duty_download")
