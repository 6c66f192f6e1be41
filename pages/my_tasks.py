"""我的任务: a liaison's tasks, what the office returned, and the progress report form."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from duban import clock
from duban.errors import DubanError, SessionEnded
from duban.rules.status import NEEDS_COORDINATION
from duban.services import cycles, evidence, reports, tasks
from ui import widgets as w
from ui.session import get_db, keep_unsent, require_actor, restore_unsent, served_briefly

STATE_MARKS = {"待审核": ":orange[待审核]", "已采纳": ":green[已采纳]", "已退回": ":red[已退回]", "已更正": ":gray[已更正]"}

actor = require_actor()
db = get_db()
today = clock.today()

st.title("我的任务")
if not actor.department_ids:
    st.info("此页面供部门联络员使用:您的账号没有关联部门。请在“任务”页查看全部任务。")
    st.stop()

rows = reports.my_tasks(db, actor, today)
departments = sorted({r["department_name"] for r in rows})
st.caption(f"{w.plain_markdown('、'.join(departments)) or '本单位'} · 共 {len({r['id'] for r in rows})} 项任务 · 按 {w.cn_date(today)} 计 · "
           "被退回、红灯、黄灯的任务排在前面")

for kind, text in st.session_state.pop("my_tasks_flash", []):
    (st.success if kind == "ok" else st.error)(w.plain_markdown(text))

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

# ---- the report form
st.markdown("#### 填报进展")
if any(r["role"] == "co" for r in mine) and not any(r["role"] == "lead" for r in mine):
    st.caption("本单位是配合单位:请报告本单位承担部分的进展。任务状态以牵头单位的报告为准。")
else:
    st.caption("本单位是牵头单位:报告将更新任务状态;申报“已完成”后由办公室审核,审核通过才销号。")

own_depts = [m["department_id"] for m in mine]
own_latest = next((h for h in history if h["department_id"] in own_depts), None)
n = st.session_state.setdefault("report_upload_n", 0)
UNSENT_KEYS = ("report_text", "report_status", "report_need", "report_from")
if restore_unsent("my_tasks", actor.username):
    st.info("已填回上次未能提交的内容(附件需重新选择),请检查后提交。")


def _submit() -> None:
    """Runs before the page reruns: file the report, then empty the form (or keep it and say what is wrong)."""
    s = st.session_state
    files = s.get(f"report_files_{n}") or []
    try:
        report_id = reports.file_report(
            db, actor, task_id, s.get("report_text", ""), s.get("report_percent", 0), s.get("report_status"),
            today, instance_id=s.get("report_instance"), coordination_need=s.get("report_need"),
            coordination_from=s.get("report_from"), evidence=[(f.name, f.getvalue()) for f in files],
            department_id=s.get("report_department", own_depts[0]),
            supersedes_id=own_latest["id"] if (own_latest and s.get("report_correct")) else None)
    except SessionEnded as e:  # the login ended since the page was drawn: nothing stored, the typing kept
        keep_unsent(e, "my_tasks", actor.username, {k: s.get(k) for k in UNSENT_KEYS if s.get(k) is not None},
                    "\n".join(str(s.get(k)) for k in ("report_text", "report_need", "report_from") if s.get(k)))
        return
    except DubanError as e:
        s["my_tasks_flash"] = [("error", f"未提交:{e}")]
        return
    s["my_tasks_flash"] = [("ok", f"已提交第 {report_id} 号报告" + (f"(附 {len(files)} 个文件)" if files else "")
                            + ",等待办公室审核。")]
    for key in ("report_text", "report_need", "report_from"):
        s[key] = ""
    s["report_correct"] = False
    s["report_upload_n"] = n + 1


with st.form("report_form"):
    if len(own_depts) > 1:
        st.selectbox("报告单位", own_depts, key="report_department",
                     format_func=lambda d: next(m["department_name"] for m in mine if m["department_id"] == d))
    if choices:
        st.selectbox("对应期限", [c["id"] for c in choices], key="report_instance",
                     format_func=lambda i: next(c["label"] for c in choices if c["id"] == i))
    else:
        st.caption("该任务没有待完成的期限。")
    st.text_area("进展情况", key="report_text", height=120, max_chars=reports.MAX_TEXT,
                 placeholder="写明本期完成的具体工作、数量和下一步安排。")
    c1, c2 = st.columns([1, 2])
    c1.number_input("完成百分比(%)", min_value=0, max_value=100, step=5, key="report_percent",
                    value=int((own_latest or {}).get("percent") or row["progress"] or 0))
    c2.radio("申报状态", reports.CLAIMS, horizontal=True, key="report_status")
    st.caption(f"选择“{NEEDS_COORDINATION}”时请填写下面两项:")
    c3, c4 = st.columns([2, 1])
    c3.text_area("需要协调的事项", key="report_need", height=68)
    c4.text_input("需要哪个单位协调", key="report_from")
    limit_mb = evidence.max_bytes(db) / 1024 / 1024
    w.chinese_file_uploader(f"也可将文件拖放到此处 · 单个文件不超过 {limit_mb:g} MB")
    st.file_uploader("佐证材料", type=evidence.UPLOAD_TYPES, accept_multiple_files=True, key=f"report_files_{n}",
                     max_upload_size=max(1, math.ceil(limit_mb)))
    st.caption(f"可上传 {evidence.KINDS_TEXT} 文件,可多选;单个文件不超过 {limit_mb:g} MB。系统按文件内容核对类型。")
    if own_latest:
        st.checkbox(f"作为对本单位第 {own_latest['id']} 号报告的更正(原报告保留,不再审核)", key="report_correct")
    st.form_submit_button("提交报告", type="primary", key="report_submit", on_click=_submit)

# ---- the report history of this task
st.markdown("#### 报告记录")
if not history:
    st.caption("该任务还没有报告。")
superseded = {h["supersedes_id"]: h["id"] for h in history if h["supersedes_id"]}
for h in history:
    with st.container(border=True):
        head = (f"第 {h['id']} 号 · {w.plain_markdown(h['department_name'])}({w.plain_markdown(h['role_name'] or '—')}) · "
                f"{w.cn_date(h['reported_on'] or h['created_at'])} · {w.plain_markdown(h['claimed_status'])} {h['percent'] or 0}% · "
                f"{STATE_MARKS.get(h['review_state'], h['review_state'])}")
        if h["instance_id"]:
            head += f" · {w.plain_markdown(h['instance_label'] or '')}(截止 {w.cn_date(h['instance_due'])})"
        st.markdown(head)
        if h["supersedes_id"]:
            st.caption(f"更正第 {h['supersedes_id']} 号报告")
        if h["id"] in superseded:
            st.caption(f"已由第 {superseded[h['id']]} 号报告更正")
        st.text(h["progress_text"])
        if h["coordination_need"]:
            st.text(f"需协调:{h['coordination_need']}(需{h['coordination_from'] or '有关单位'}协调)")
        if h["review_state"] == "已退回" and h["review_note"]:
            st.text(f"退回原因:{h['review_note']}")
        elif h["review_note"] and h["review_state"] == "已采纳":
            st.text(f"审核意见:{h['review_note']}")
        for e in h["evidence"]:
            st.download_button(f"下载 {w.plain_markdown(e['filename'])}({e['size'] / 1024:.0f} KB)",
                               data=served_briefly(lambda eid=e["id"]: evidence.read(db, actor, eid)[2],
                                                   e["mime"], e["filename"]),
                               file_name=e["filename"], mime=e["mime"], key=f"evidence_{h['id']}_{e['id']}",
                               on_click="ignore", icon=":material/download:")
