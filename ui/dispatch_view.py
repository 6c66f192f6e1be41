"""The 任务 page's dispatch parts: 下达到下级地区 (with a confirmation), 下级地区进展 (the roll-up), and, on a task
given to this office's place from above, the upper task it came from, 接收任务, 分解任务 and the progress report."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils
import streamlit as st

from duban.access import Actor
from duban.errors import DubanError
from duban.services import dispatch
from duban.services.dispatch import DispatchView
from ui import feedback
from ui import widgets as w
from ui.report_views import report_form
from ui.task_form import TaskEntry, task_entry_form

TASKS_PAGE = "pages/tasks.py"


def _open_task(task_id: int) -> None:
    st.query_params["task"] = str(task_id)
    st.rerun()


def _pickable(frame: pd.DataFrame, ids: list[int], key: str, **kwargs) -> None:
    """A table whose picked row opens that task."""
    count = st.session_state.get(f"{key}_picks", 0)
    state = w.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                        key=f"{key}_{count}", **kwargs)
    picked = (state or {}).get("selection", {}).get("rows", []) if state else []
    if picked and picked[0] < len(ids):
        st.session_state[f"{key}_picks"] = count + 1
        _open_task(ids[picked[0]])


def upper_line(view: DispatchView) -> None:
    """Where a lower place's task came from, and whether this office only reads it."""
    up = view.upper
    if up is not None:
        name = w.plain_markdown(f"{up.place or ''} · {up.number or ''} {up.title}".replace("  ", " "))
        if up.visible:
            st.page_link(TASKS_PAGE, label=f"上级任务:{name}", icon=":material/north:", query_params={"task": up.task_id})
        else:
            st.caption(f"上级任务:{name}(由上级地区下达,上级地区的任务仅其办公室查看)")
    if view.dispatch_state:
        st.caption(f"接收情况:**{view.dispatch_state}**")
    if view.read_only:
        st.info("这是下级地区的任务,只能查看;接收、分解、填报和审核由该地区的办公室办理。", icon=":material/visibility:")


def _dispatch(db: sqlite_utils.Database, actor: Actor, task_id: int, places: list[int], today: dt.date) -> None:
    try:
        created = dispatch.dispatch(db, actor, task_id, places, today)
    except DubanError as e:
        feedback.say("dispatch", f"未下达:{e}", ok=False)
        return
    feedback.say("dispatch", f"已下达到 {len(created)} 个下级地区,各地区办公室接收后即可分解、填报。"
                 if created else "所选地区此前均已下达,未重复下达。")


def dispatch_section(db: sqlite_utils.Database, actor: Actor, task_id: int, view: DispatchView,
                     today: dt.date) -> None:
    """下达到下级地区, for the task's own office when it names a group of lower places."""
    if not view.can_dispatch:
        feedback.show("dispatch")  # after the last place got it, the result stays in view once
        return
    st.markdown("#### 下达到下级地区")
    st.caption("该任务的责任单位包含下级地区,可下达给各下级地区的办公室,成为其本地区的一项任务(期限与本任务相同)。")
    st.dataframe(pd.DataFrame([{"地区": t.name, "下达情况": f"已下达 · {t.dispatch_state}" if t.dispatched else "未下达"}
                               for t in view.targets]), hide_index=True, key="dispatch_targets")
    waiting = {t.place_id: t.name for t in view.targets if not t.dispatched}
    chosen = st.multiselect("下达到", list(waiting), default=list(waiting), format_func=waiting.get,
                            key="dispatch_places", placeholder="选择下级地区")
    names = "、".join(waiting[p] for p in chosen)
    w.confirm_button("下达", f"将该任务下达到{w.plain_markdown(names) or '(未选地区)'}的办公室?每个地区成为一项"
                     "待接收的任务,由其人民政府牵头;已下达的地区不会重复下达。", "确认下达",
                     key="dispatch_confirm", on_click=_dispatch, args=(db, actor, task_id, chosen, today),
                     icon=":material/call_split:", type="primary", disabled=not chosen,
                     box_key="dispatch_box", result_slot="dispatch")


def rollup_section(view: DispatchView) -> None:
    """下级地区进展: each lower place's task, its status, progress and light; a row opens that task."""
    if not view.progress:
        return
    st.markdown("#### 下级地区进展")
    if view.summary:
        st.caption(w.plain_markdown(view.summary.text) + " · 各地区的状态由其办公室审核确定 · 点选一行查看该地区的任务")
    frame = pd.DataFrame([{"地区": p.place, "接收情况": p.dispatch_state or "", "状态": p.status, "进度": p.progress,
                           "红黄绿灯": w.LIGHT_MARKS.get(p.light, p.light), "是否逾期": "已逾期" if p.late else "",
                           "是否完成": "已完成" if p.done else ""} for p in view.progress])
    _pickable(w.light_styler(frame, columns=("红黄绿灯",), alert_columns=("是否逾期",)),
              [p.task_id for p in view.progress], "rollup_table",
              column_config={"进度": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")})


def _accept(db: sqlite_utils.Database, actor: Actor, task_id: int) -> None:
    s = st.session_state
    units = [(d, "lead") for d in s.get("accept_lead") or []] + [(d, "co") for d in s.get("accept_co") or []]
    try:
        dispatch.accept(db, actor, task_id, units or None)
    except DubanError as e:
        feedback.say("accept", f"未接收:{e}", ok=False)
        return
    feedback.say("accept", "已接收任务。可以分解为本地区的任务,或直接填报进展。")


def accept_section(db: sqlite_utils.Database, actor: Actor, task_id: int, view: DispatchView) -> None:
    """接收任务, for the office of the place a task was given to, while it waits."""
    if view.can_accept:
        names = dict(view.own_departments)
        with st.container(border=True):
            st.markdown("#### 接收任务")
            st.caption("上级下达的任务,接收后由本地区办理;可改由本地区的部门牵头、配合(不选则由本级人民政府牵头)。")
            c1, c2 = st.columns(2)
            c1.multiselect("牵头单位(可选)", list(names), format_func=names.get, key="accept_lead",
                           placeholder="选择本地区的部门")
            c2.multiselect("配合单位(可选)", list(names), format_func=names.get, key="accept_co",
                           placeholder="选择本地区的部门")
            st.button("接收任务", key="accept_button", type="primary", icon=":material/inbox:",
                      on_click=_accept, args=(db, actor, task_id))
    feedback.show("accept")


def parts_section(view: DispatchView) -> None:
    """The tasks a received task was broken down into, for anyone who reads it; a row opens one."""
    if view.parts:
        st.markdown("#### 分解的任务")
        _pickable(pd.DataFrame([{"任务": t.title, "牵头单位": "、".join(t.lead), "状态": t.status, "进度": t.progress,
                                 "红黄绿灯": w.LIGHT_MARKS.get(t.light, t.light)} for t in view.parts]),
                  [t.id for t in view.parts], "parts_table",
                  column_config={"进度": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")})


def received_section(db: sqlite_utils.Database, actor: Actor, task_id: int, view: DispatchView,
                     today: dt.date) -> None:
    """分解任务 and the progress report, for the receiving office."""
    names = dict(view.own_departments)
    if view.can_break_down:
        def save(entry: TaskEntry) -> None:
            units = [(d, "lead") for d in entry.lead_ids] + [(d, "co") for d in entry.co_ids]
            new_id = dispatch.break_down(db, actor, task_id, entry.title, units,
                                         [{"kind": "once", "due": entry.due}], today)
            feedback.say("break_down", f"已分解出第 {new_id} 号任务。")

        with st.expander("分解任务"):
            task_entry_form("break_down_form", "bd", list(names), names.get, today, save, title_label="分解后的任务名称",
                            submit_label="分解任务", heading="把本任务分解为本地区部门的任务(可多次分解)")
        feedback.show("break_down")
    if view.report_units:
        st.markdown("#### 填报进展")
        st.caption("本地区办公室报告该任务的进展;申报“已完成”后在“审核”页审核通过即销号,上级地区的任务随之显示本地区已完成。")
        report_form(db, actor, task_id, list(view.report_units), list(view.report_choices), None, view.progress_now,
                    today)


def show(db: sqlite_utils.Database, actor: Actor, task_id: int, today: dt.date) -> DispatchView | None:
    """The dispatch facts near a task's top: the upper task, 下达到下级地区 and 下级地区进展; the view for `act`
    (None when it cannot be read)."""
    try:
        view = dispatch.view(db, actor, task_id, today)
    except DubanError as e:
        st.error(w.plain_markdown(str(e)))
        return None
    upper_line(view)
    accept_section(db, actor, task_id, view)
    dispatch_section(db, actor, task_id, view, today)
    rollup_section(view)
    return view


def act(db: sqlite_utils.Database, actor: Actor, task_id: int, view: DispatchView | None, today: dt.date) -> None:
    """Near a task's end: the tasks it was broken down into; for the receiving office, 分解任务 and its report."""
    if view is None:
        return
    parts_section(view)
    if not view.read_only and actor.is_office:
        received_section(db, actor, task_id, view, today)


def inbox(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> None:
    """Above the task list: the form that gives a lower place a task, and the tasks given to this office's place
    from above that it has not accepted yet."""
    assign_form(db, actor, today)
    rows = dispatch.received(db, actor, today) if actor.is_office else []
    if not rows:
        return
    with st.container(border=True):
        st.markdown(f"**上级下达、交办的待接收任务({len(rows)})** · 点选一行打开任务并接收")
        _pickable(pd.DataFrame([{"任务": t.title, "来源": t.source_note or t.source or "", "地区": t.jurisdiction or "",
                                 "期限": w.cn_date(t.next_due, "")} for t in rows]),
                  [t.id for t in rows], "received_table")


def assign_form(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> None:
    """上级交办: give a place below this office's own a task with its own time limit."""
    below = {p["id"]: p["name"] for p in dispatch.assignable_places(db, actor)}
    if not below:
        return
    with st.expander("向下级地区交办任务"), st.form("assign_down_form", clear_on_submit=True):
        place = st.selectbox("交办给", list(below), format_func=below.get, key="ad_place")
        title = st.text_input("任务名称", key="ad_title")
        due = st.date_input("完成时限", value=today + dt.timedelta(days=30), key="ad_due")
        body = st.text_area("具体要求(可选)", key="ad_body")
        note = st.text_input("来源说明(可选,如交办文件)", key="ad_note")
        if st.form_submit_button("交办"):
            try:
                new_id = dispatch.assign_down(db, actor, place, title, [{"kind": "once", "due": due}], body=body,
                                              source_note=note, today=today)
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))
            else:
                feedback.say("assign_down", f"已向{below[place]}交办第 {new_id} 号任务,待该地区办公室接收。")
                st.rerun()
    feedback.show("assign_down")
