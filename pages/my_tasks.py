"""我的任务: a liaison's tasks, what the office returned, and the progress report form."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.services import cycles, reports, tasks
from ui import page
from ui import widgets as w
from ui.report_views import report_form, report_history

actor, db, today = page.start("我的任务")
if not actor.department_ids:
    st.info("此页面供部门联络员使用:您的账号没有关联部门。请在“任务”页查看全部任务。")
    st.stop()

rows = reports.my_tasks(db, actor, today)
departments = sorted({r["department_name"] for r in rows})
st.caption(f"{w.plain_markdown('、'.join(departments)) or '本单位'} · 共 {len({r['id'] for r in rows})} 项任务 · 按 {w.cn_date(today)} 计 · "
           "被退回、红灯、黄灯的任务排在前面")

for due in cycles.due_for(db, actor, today):
    st.info(f"报送提醒:《{w.plain_markdown(due['plan_title'])}》要求{w.plain_markdown(due['rule'])}报送进展,本期截止 {w.cn_date(due['due'])},"
            f"本单位尚未报送。", icon=":material/event_repeat:")

returned = reports.returned_reports(db, actor, only_unanswered=True)
if returned:
    st.subheader(f"被退回的报告({len(returned)})")
    for r in returned:
        with st.container(border=True):
            st.markdown(f":red[**退回**] **{w.plain_markdown((str(r['task_number'] or '') + ' ' + r['task_title']).strip())}**")
            st.caption(f"{w.plain_markdown(r['department_name'])} · {w.cn_date(r['reported_on'] or r['created_at'])}报告 · "
                       f"{w.cn_date(r['reviewed_at'])}由办公室退回")
            st.text(f"退回原因:{r['review_note']}")

if not rows:
    st.info("本单位暂无需要负责的任务。")
    st.stop()

st.subheader("任务清单")
table = pd.DataFrame([{
    "编号": r["number"] or "",
    "任务": r["title"],
    **({"本单位": r["department_name"]} if len(departments) > 1 else {}),
    "角色": r["role_name"],
    "逾期期限": w.cn_date(r["next_due"]) if r.get("overdue") else "",
    "下一期限": w.cn_date(r.get("upcoming_due")),
    "时限": w.LIGHT_MARKS.get(r["light"], r["light"]),
    "牵头单位申报": r["claim_text"],
    "办公室核验": r["verified"],
    "退回原因": r["returned_reason"] or "",
} for r in rows])
w.dataframe(w.light_styler(table, columns=("时限",)), hide_index=True, width="stretch", key="my_tasks_table",
             column_config={"任务": st.column_config.TextColumn(width="large"),
                            "退回原因": st.column_config.TextColumn(width="medium")})
st.caption("三项事实分开记录:“牵头单位申报”是部门自己的说法,“办公室核验”是审核后的结论,“时限”灯只看期限是否按时。")

# ---- one task: facts, the report form, the report history
task_ids = list(dict.fromkeys(r["id"] for r in rows))
labels = {r["id"]: f"{r['number'] or ''} {r['title']}".strip() for r in rows}
asked = st.query_params.get("task")
index = 0
if asked:
    asked_id = w.id_param(asked)
    try:
        if asked_id is None:
            st.error("链接中的任务编号不正确。")
        elif asked_id in task_ids:
            index = task_ids.index(asked_id)
        else:
            tasks.get_task(db, actor, asked_id, today)  # refuses another department's task
    except DubanError as e:
        st.error(w.plain_markdown(str(e)))

st.divider()
task_id = st.selectbox("选择任务", task_ids, index=index, format_func=lambda t: labels[t], key="task_select")
try:
    task = tasks.get_task(db, actor, task_id, today)
    history = reports.task_reports(db, actor, task_id)
    choices = reports.open_instances(db, actor, task_id)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()
mine = [r for r in rows if r["id"] == task_id]
row = mine[0]

st.subheader(w.plain_markdown(f"{task.number or ''} {task.title}".strip()))
lead = "、".join(task.lead) or "—"
co = "、".join(task.co) or "—"
own = "、".join(f"{m['department_name']}({m['role_name']})" for m in mine)
where = f"《{task.plan_title}》" if task.plan_title else (task.source or "")
st.caption(w.plain_markdown(f"{where} · 牵头单位:{lead} · 配合单位:{co} · 本单位:{own}"))

f1, f2, f3 = st.columns(3)
with f1.container(border=True):
    st.caption("牵头单位申报")
    st.markdown(f"**{w.plain_markdown(row['claim_text'])}**")
with f2.container(border=True):
    st.caption("办公室核验")
    st.markdown(f"**{w.plain_markdown(row['verified'])}**")
with f3.container(border=True):
    st.caption("时限")
    st.markdown(f"{w.light_badge(row['light'])} 下一期限 {w.cn_date(row.get('upcoming_due'))}")

if row["returned_reason"]:
    with st.container(border=True):
        st.markdown(":red[**上一份报告被退回**],请按退回原因修改后重新报告:")
        st.text(row["returned_reason"])

if task.body:
    with st.expander("任务原文"):
        st.text(task.body)

# ---- the report form, then the report history of this task
st.markdown("#### 填报进展")
if any(r["role"] == "co" for r in mine) and not any(r["role"] == "lead" for r in mine):
    st.caption("本单位是配合单位:请报告本单位承担部分的进展。任务状态以牵头单位的报告为准。")
else:
    st.caption("本单位是牵头单位:报告将更新任务状态;申报“已完成”后由办公室审核,审核通过才销号。")
own_latest = next((h for h in history if h["department_id"] in {m["department_id"] for m in mine}), None)
report_form(db, actor, task_id, mine, choices, own_latest, int((own_latest or {}).get("percent") or row["progress"] or 0),
            today)

st.markdown("#### 报告记录")
report_history(db, actor, history)
