"""任务: the searchable task list behind every number on 总览, and one task in full (?task=ID)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.clock import local_time
from duban.errors import DubanError
from duban.rules.instances import STATE_LABELS
from duban.rules.names import ROLE_NAMES
from duban.services import task_views
from ui import dispatch_view, page, task_parts
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
EXTRA_KEYS = ("role", "due", "month")  # filters that only arrive from a link on 总览
TEXT = st.column_config.TextColumn

actor, db, today = page.start(None)  # the title is the list's or the task's, drawn below


def table(heading: str, rows: list[dict], empty: str, key: str, alert_columns: tuple[str, ...] = (), **kwargs) -> None:
    """A headed table of one task's facts, or a note that there are none."""
    if heading:
        st.markdown(f"#### {heading}")
    if not rows:
        st.info(empty)
        return
    frame = pd.DataFrame(rows)
    w.dataframe(w.light_styler(frame, alert_columns=alert_columns) if alert_columns else frame, hide_index=True,
                width="stretch", key=key, **kwargs)


def show_task(task_id: int) -> None:
    """One task: its text, units with the lead marked, deadlines beside their phrases, instances, history, reports."""
    st.page_link(TASKS_PAGE, label="返回任务列表", icon=":material/arrow_back:",
                 query_params=st.session_state.get("tl_back_params", {}))
    try:
        view = task_views.task_detail(db, actor, task_id, today)
    except DubanError as e:
        st.error(w.plain_markdown(str(e)))
        return
    t = view.task
    st.title(w.plain_markdown(f"{t.number or ''} {t.title}".strip()))
    where = [f"《{t.plan_title}》" if t.plan_title else (t.source or ""), t.jurisdiction or "", " › ".join(t.path)]
    st.caption(w.plain_markdown(" · ".join(x for x in where if x)))
    late = " :red[(有逾期期次)]" if t.overdue else ""
    for col, (label, value) in zip(st.columns(4), (
            ("状态", f"**{w.plain_markdown(t.status)}**"), ("进度", f"**{t.progress or 0}%**"),
            ("灯色", w.light_badge(t.light)), ("下一期限", f"**{w.cn_date(t.upcoming_due, '无')}**{late}")),
            strict=True):
        with col.container(border=True):
            st.caption(label)
            st.markdown(value)
    dispatched = dispatch_view.show(db, actor, t.id, today)

    st.markdown("#### 任务原文")
    if t.body:
        st.container(border=True).markdown(w.plain_markdown(t.body))
    else:
        st.caption("未收录该任务的原文。")

    table("责任单位", [{"单位": u.name, "角色": f"★ {ROLE_NAMES['lead']}" if u.role == "lead" else ROLE_NAMES["co"], "联络员": u.liaison_name or "",
            "电话": u.liaison_phone or "", "邮箱": u.liaison_email or ""} for u in t.departments], "", "task_units")
    if not t.lead_explicit:
        st.caption("原文未写明牵头单位,按惯例以排在首位的单位为牵头单位。")

    table("期限", list(view.deadline_rows), "该任务没有期限。", "task_deadlines",
          column_config={"原文表述": TEXT(width="large")})
    table("期次", [{"期次": i.period_label or "", "截止日期": w.cn_date(i.due),
                  "完成情况": STATE_LABELS.get(i.state, i.state),
                  "是否逾期": "已逾期" if i.overdue else "", "完成日期": w.cn_date(i.closed_at, "")}
                 for i in t.instances], "该任务没有期次。", "task_instances", alert_columns=("是否逾期",))
    table("状态记录", [{"时间": local_time(h.get("at")), "变更": f"{h.get('old_status') or '—'} → {h['new_status']}",
                    "操作人": h.get("username") or "系统", "说明": h.get("note") or ""} for h in reversed(t.history)],
          "尚无状态变更记录。", "task_history", column_config={"说明": TEXT(width="large")})

    st.markdown("#### 各单位最新进展报告")
    if not view.latest:
        st.info("尚无单位报告进展。")
    for r in view.latest:
        task_parts.report_card(r)
    dispatch_view.act(db, actor, t.id, dispatched, today)


# ---- one task
if asked := st.query_params.get("task"):
    if (task_id := w.id_param(asked)) is None:
        st.error("链接中的任务编号不正确。")
        st.page_link(TASKS_PAGE, label="返回任务列表", icon=":material/arrow_back:")
    else:
        show_task(task_id)
    st.stop()

# ---- the list
st.title("任务")
filters = w.filter_sidebar(db, actor, "tl", with_status=True)
qp = w.params_of()
extra = w.link_conditions(qp)
if "role" in extra and "department" not in filters:
    extra.pop("role")
chosen = {**filters, **extra}
w.note_ignored(w.ignored_filters(chosen, ("jurisdiction", "plan", "department", "light", "status", *EXTRA_KEYS)))
search = st.text_input("搜索", value=qp.get("q", ""), key="tl_q", placeholder="任务名称、原文、编号或单位名称",
                       label_visibility="collapsed").strip()
w.sync_query_params({**chosen, "q": search})
st.session_state["tl_back_params"] = w.link_params(chosen, q=search)

task_parts.extra_conditions(extra, EXTRA_KEYS, "tl_clear_extra")
dispatch_view.inbox(db, actor, today)

try:
    rows = task_views.task_list(db, actor, today, chosen, search)
except DubanError as e:
    st.error(f"筛选条件有误:{w.plain_markdown(str(e))}")
    st.stop()

st.caption(f"共 {len(rows)} 项任务 · 按 {w.cn_date(today)} 计 · 点选一行查看任务详情")
if not rows:
    st.info("没有符合条件的任务。")
    st.stop()

listing = pd.DataFrame([{
    "编号": r.number or (str(r.seq) if r.seq else ""), "任务": r.title, "地区": r.jurisdiction or "",
    "牵头单位": "、".join(r.lead), "状态": r.status, "进度": r.progress or 0,
    "灯色": w.LIGHT_MARKS.get(r.light, r.light or ""), "下一期限": w.cn_date(r.upcoming_due, ""),
    "逾期": "逾期" if r.overdue else "", "配合单位": "、".join(r.co),
} for r in rows])
# the columns that fit a 1,280 px screen come first; the office may show the others
optional = ["编号", "进度", "配合单位"]
one_place = len({r.jurisdiction for r in rows}) == 1
shown = st.multiselect("显示更多列", optional, key="tl_more_cols", placeholder="显示更多列:编号、进度、配合单位",
                       label_visibility="collapsed")
columns = [c for c in listing.columns if (c not in optional or c in shown) and not (c == "地区" and one_place)]
widths = {"编号": 60, "任务": 250, "地区": 75, "牵头单位": 110, "状态": 110, "下一期限": 115, "灯色": 70, "逾期": 55,
          "配合单位": "large"}
state = w.dataframe(
    w.light_styler(listing, alert_columns=("逾期",)), hide_index=True, width="stretch", column_order=columns,
    key=f"task_table_{st.session_state.get('tl_picks', 0)}",
    height=min(35 * (len(rows) + 1) + 3, 720), on_select="rerun", selection_mode="single-row",
    column_config={**{c: TEXT(width=v) for c, v in widths.items()},
                   "进度": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width="small")})
picked = (state or {}).get("selection", {}).get("rows", []) if state else []
if picked and picked[0] < len(rows):
    # a fresh table next time: the row picked now must not send the user back here on the way back
    st.session_state["tl_picks"] = st.session_state.get("tl_picks", 0) + 1
    st.query_params["task"] = str(rows[picked[0]].id)
    st.rerun()
