"""任务: the searchable task list behind every number on 总览, and one task in full (?task=ID)."""
from __future__ import annotations

import importlib

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.rules.instances import KIND_LABELS
from duban.services import overview, tasks
from duban.services.inbox import local_time
from ui import page
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
EXTRA_KEYS = ("role", "due", "month")  # filters that only arrive from a link on 总览
INSTANCE_STATES = {"open": "未完成", "claimed": "已申报完成,待审核", "closed": "已完成"}

actor, db, today = page.start(None)  # the title is the list's or the task's, drawn below


def list_link_params() -> dict:
    """The list's filters as they are in the address now (for the way back from a task)."""
    return {k: v for k, v in w.params_of().items() if k != "task"}


def show_task(task_id: int) -> None:
    """One task: its text, units with the lead marked, deadlines beside their phrases, instances, history, reports."""
    back = st.session_state.get("tl_back_params", {})
    st.page_link(TASKS_PAGE, label="返回任务列表", icon=":material/arrow_back:", query_params=back)
    try:
        t = tasks.get_task(db, actor, task_id, today)
    except DubanError as e:
        st.error(w.plain_markdown(str(e)))
        return
    st.title(w.plain_markdown(f"{t.get('number') or ''} {t['title']}".strip()))
    where = [f"《{t['plan_title']}》" if t.get("plan_title") else (t.get("source") or "")]
    if t.get("jurisdiction"):
        where.append(t["jurisdiction"])
    if t.get("path"):
        where.append(" › ".join(t["path"]))
    st.caption(w.plain_markdown(" · ".join(x for x in where if x)))

    c = st.columns(4)
    with c[0].container(border=True):
        st.caption("状态")
        st.markdown(f"**{w.plain_markdown(t['status'])}**")
    with c[1].container(border=True):
        st.caption("进度")
        st.markdown(f"**{t.get('progress') or 0}%**")
    with c[2].container(border=True):
        st.caption("灯色")
        st.markdown(w.light_badge(t.get("light")))
    with c[3].container(border=True):
        st.caption("下一期限")
        st.markdown(f"**{w.cn_date(t.get('upcoming_due'), '无')}**" + (" :red[(有逾期期次)]" if t.get("overdue") else ""))

    st.markdown("#### 任务原文")
    if t.get("body"):
        with st.container(border=True):
            st.markdown(w.plain_markdown(t["body"]))
    else:
        st.caption("未收录该任务的原文。")

    st.markdown("#### 责任单位")
    w.dataframe(pd.DataFrame([{
        "单位": u["name"],
        "角色": "★ 牵头" if u["role"] == "lead" else "配合",
        "联络员": u.get("liaison_name") or "",
        "电话": u.get("liaison_phone") or "",
        "邮箱": u.get("liaison_email") or "",
    } for u in t["units"]]), hide_index=True, width="stretch", key="task_units")
    if not t.get("lead_explicit", 1):
        st.caption("原文未写明牵头单位,按惯例以排在首位的单位为牵头单位。")

    st.markdown("#### 期限")
    by_deadline: dict = {}
    for i in t["instances"]:
        by_deadline.setdefault(i.get("deadline_id"), []).append(i)
    rows = []
    for d in t["deadlines"]:
        dues = by_deadline.get(d["id"], [])
        if d["kind"] == "once":
            computed = w.cn_date(d.get("due"))
        elif d["kind"] == "recurring":
            computed = f"{d.get('rule') or ''}(共 {len(dues)} 期)"
        else:
            computed = "、".join(w.cn_date(i["due"]) for i in dues) + "(规划期末)" if dues else "规划期末"
        rows.append({"原文表述": d.get("phrase") or "(原文未写明期限)", "计算出的期限": computed,
                     "类型": KIND_LABELS.get(d["kind"], d["kind"])})
    if rows:
        w.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="task_deadlines",
                     column_config={"原文表述": st.column_config.TextColumn(width="large")})
    else:
        st.info("该任务没有期限。")

    st.markdown("#### 期次")
    if t["instances"]:
        w.dataframe(pd.DataFrame([{
            "期次": i.get("period_label") or "",
            "截止日期": w.cn_date(i["due"]),
            "完成情况": INSTANCE_STATES.get(i["state"], i["state"]),
            "是否逾期": "已逾期" if i.get("overdue") else "",
            "完成日期": w.cn_date(i.get("closed_at"), ""),
        } for i in t["instances"]]).pipe(w.light_styler, alert_columns=("是否逾期",)), hide_index=True, width="stretch", key="task_instances")
    else:
        st.info("该任务没有期次。")

    st.markdown("#### 状态记录")
    if t["history"]:
        w.dataframe(pd.DataFrame([{
            "时间": local_time(h.get("at")),
            "变更": f"{h.get('old_status') or '—'} → {h['new_status']}",
            "操作人": h.get("username") or "系统",
            "说明": h.get("note") or "",
        } for h in reversed(t["history"])]), hide_index=True, width="stretch", key="task_history",
            column_config={"说明": st.column_config.TextColumn(width="large")})
    else:
        st.info("尚无状态变更记录。")

    try:
        reports = importlib.import_module("duban.services.reports")
    except ModuleNotFoundError:
        return
    if not hasattr(reports, "latest_reports"):
        return
    st.markdown("#### 各单位最新进展报告")
    try:
        latest = reports.latest_reports(db, actor, task_id)
    except DubanError as e:
        st.error(w.plain_markdown(str(e)))
        return
    if not latest:
        st.info("尚无单位报告进展。")
    for r in latest:
        with st.container(border=True):
            role = r.get("role_name") or w.ROLE_NAMES.get(r.get("unit_role"), "")
            when = r.get("reported_on") or (r.get("created_at") or "")[:10]
            st.markdown(f"**{w.plain_markdown(r.get('department_name') or '')}**" + (f"({w.plain_markdown(role)})" if role else "")
                        + f" · {w.cn_date(when)} · 申报:{w.plain_markdown(r.get('claimed_status') or '')}"
                        + (f" · 完成 {r['percent']}%" if r.get("percent") is not None else "")
                        + f" · 审核:{w.plain_markdown(r.get('review_state') or '')}")
            st.markdown(w.plain_markdown(r.get("progress_text") or ""))
            if r.get("coordination_need"):
                st.markdown(f":orange[需协调:]{w.plain_markdown(r['coordination_need'])}"
                            + (f"(需{w.plain_markdown(r['coordination_from'])}协调)" if r.get("coordination_from") else ""))
            if r.get("review_note"):
                st.caption(f"审核意见:{w.plain_markdown(r['review_note'])}")
            files = r.get("evidence") or []
            if files:
                st.caption("佐证材料:" + w.plain_markdown("、".join(f["filename"] for f in files)))


# ---- one task
asked = st.query_params.get("task")
if asked:
    task_id = w.id_param(asked)
    if task_id is None:
        st.error("链接中的任务编号不正确。")
        st.page_link(TASKS_PAGE, label="返回任务列表", icon=":material/arrow_back:")
        st.stop()
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

if extra:
    words = []
    if "due" in extra:
        words.append(w.DUE_NAMES.get(extra["due"], extra["due"]))
    if "month" in extra:
        words.append(f"{w.cn_month(extra['month'])}有期限")
    if "role" in extra:
        words.append(f"该部门{w.ROLE_NAMES.get(extra['role'], extra['role'])}")
    c1, c2 = st.columns([5, 1], vertical_alignment="center")
    c1.info("附加条件:" + w.plain_markdown("、".join(words)), icon=":material/filter_alt:")
    if c2.button("清除附加条件", key="tl_clear_extra"):
        for k in EXTRA_KEYS:
            if k in st.query_params:
                del st.query_params[k]
        st.rerun()

try:
    if chosen:
        ids = overview.task_ids(db, actor, today, **chosen)
        rows = tasks.list_tasks(db, actor, today, task_ids=ids, q=search or None)
    else:
        rows = tasks.list_tasks(db, actor, today, q=search or None)
except DubanError as e:
    st.error(f"筛选条件有误:{w.plain_markdown(str(e))}")
    st.stop()

st.caption(f"共 {len(rows)} 项任务 · 按 {w.cn_date(today)} 计 · 点选一行查看任务详情")
if not rows:
    st.info("没有符合条件的任务。")
    st.stop()

table = pd.DataFrame([{
    "编号": r.get("number") or (str(r["seq"]) if r.get("seq") else ""),
    "任务": r["title"],
    "地区": r.get("jurisdiction") or "",
    "牵头单位": "、".join(r.get("lead") or []),
    "状态": r["status"],
    "进度": r.get("progress") or 0,
    "灯色": w.LIGHT_MARKS.get(r.get("light"), r.get("light") or ""),
    "下一期限": w.cn_date(r.get("upcoming_due"), ""),
    "逾期": "逾期" if r.get("overdue") else "",
    "配合单位": "、".join(r.get("co") or []),
} for r in rows])
# the columns that fit a 1,280 px screen come first; the office may show the others
optional = ["编号", "进度", "配合单位"]
one_place = len({r.get("jurisdiction") for r in rows}) == 1
shown = st.multiselect("显示更多列", optional, key="tl_more_cols", placeholder="显示更多列:编号、进度、配合单位",
                       label_visibility="collapsed")
columns = [c for c in table.columns if (c not in optional or c in shown) and not (c == "地区" and one_place)]
state = w.dataframe(
    w.light_styler(table, alert_columns=("逾期",)), hide_index=True, width="stretch", column_order=columns,
    key=f"task_table_{st.session_state.get('tl_picks', 0)}",
    height=min(35 * (len(rows) + 1) + 3, 720), on_select="rerun", selection_mode="single-row",
    column_config={
        "编号": st.column_config.TextColumn(width=60),
        "任务": st.column_config.TextColumn(width=250),
        "地区": st.column_config.TextColumn(width=75),
        "牵头单位": st.column_config.TextColumn(width=110),
        "状态": st.column_config.TextColumn(width=110),
        "下一期限": st.column_config.TextColumn(width=115),
        "进度": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width="small"),
        "灯色": st.column_config.TextColumn(width=70),
        "逾期": st.column_config.TextColumn(width=55),
        "配合单位": st.column_config.TextColumn(width="large"),
    })
picked = (state or {}).get("selection", {}).get("rows", []) if state else []
if picked and picked[0] < len(rows):
    # a fresh table next time: the row picked now must not send the user back here on the way back
    st.session_state["tl_picks"] = st.session_state.get("tl_picks", 0) + 1
    st.query_params["task"] = str(rows[picked[0]]["id"])
    st.rerun()
