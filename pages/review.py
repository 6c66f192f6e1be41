"""审核: the office's queue of reports awaiting review — accept (a completion claim closes its deadline) or return with a reason."""
from __future__ import annotations

import streamlit as st

from duban.errors import DubanError, SessionEnded
from duban.rules.names import ROLE_NAMES
from duban.services import review
from duban.services.task_access import require_task_access
from ui import feedback, page
from ui import widgets as w
from ui.evidence import evidence_buttons
from ui.session import keep_unsent

ALL = "全部地区"

actor, db, today = page.start("审核")

try:
    queue = review.queue(db, actor)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()

places = review.places(queue)
c1, c2 = st.columns([1, 3])
place = c1.selectbox("地区", [ALL, *places], key="review_place")
shown = review.in_one_place(queue, None if place == ALL else place)
c2.caption(f"待审核报告 {len(queue)} 份" + (f",当前显示 {len(shown)} 份" if place != ALL else "")
           + "。牵头单位申报“已完成”的报告,采纳后核销对应期限;该任务没有未核销期限时自动销号。退回必须写明原因,"
             "退回原因会显示在该单位的“我的任务”和消息中。")


def _accept(report_id: int) -> None:
    """Accept a report; the result is a toast (the report leaves the queue) or an error under its button."""
    try:
        status = review.accept(db, actor, report_id, today, st.session_state.get(f"note_{report_id}"))
        feedback.say("review_done", f"已采纳第 {report_id} 号报告,任务当前状态:{status}。")
    except SessionEnded as e:  # the login ended since the page was drawn: nothing stored
        keep_unsent(e, "review", actor.username, {}, st.session_state.get(f"note_{report_id}") or "")
    except DubanError as e:
        feedback.say(f"accept_{report_id}", f"第 {report_id} 号报告未能采纳:{e}", ok=False)


def _return(report_id: int) -> None:
    """Return a report; on success its confirm box closes with it, an error is said inside the box."""
    try:
        review.return_report(db, actor, report_id, st.session_state.get(f"reason_{report_id}", ""), today)
        feedback.say("review_done", f"已退回第 {report_id} 号报告,退回原因已通知该单位。")
        st.session_state[f"return_box_{report_id}"] = False
    except SessionEnded as e:
        keep_unsent(e, "review", actor.username, {}, st.session_state.get(f"reason_{report_id}") or "")
    except DubanError as e:
        feedback.say(f"return_{report_id}", f"第 {report_id} 号报告未能退回:{e}", ok=False)


feedback.show_toast("review_done")
if not shown:
    st.success("没有待审核的报告。")

for r in shown:
    with st.container(border=True):
        head, side = st.columns([3, 1])
        with head:
            st.markdown(f"**{w.plain_markdown((str(r['task_number'] or '') + ' ' + r['task_title']).strip())}**")
            st.caption(w.plain_markdown(f"{r['jurisdiction'] or ''} · 《{r['plan_title'] or '单列任务'}》 · 第 {r['id']} 号报告"))
        with side:
            lead = r["unit_role"] == "lead"
            st.markdown(f"**{w.plain_markdown(r['claimed_status'])} · {r['percent'] or 0}%**")
            st.caption(ROLE_NAMES["lead" if lead else "co"] + "单位" + ("(申报完成,采纳即核销该期限)"
                                                            if lead and r["claimed_status"] == "已完成" else ""))
        facts = [r["department_name"], r["display_name"] or r["username"],
                 f"报告日期 {w.cn_date(r['reported_on'] or r['created_at'])}",
                 f"对应期限 {r['instance_label'] or ''}(截止 {w.cn_date(r['instance_due'])})" if r["instance_id"] else None,
                 f"更正第 {r['supersedes_id']} 号报告" if r["supersedes_id"] else None]
        st.caption(w.plain_markdown(" · ".join(f for f in facts if f)))
        st.text(r["progress_text"])
        if r["coordination_need"]:
            st.text(f"需协调:{r['coordination_need']}(需{r['coordination_from'] or '有关单位'}协调)")
        evidence_buttons(db, actor, r, icon=":material/attach_file:", empty="未附佐证材料。")
        if not actor.owns_place(require_task_access(db, actor, r["task_id"]).task["jurisdiction_id"]):
            st.caption("这是下级地区任务的报告,只能查看;由该地区的办公室审核。")
            continue
        a, b = st.columns(2)
        with a:
            st.text_input("采纳意见(可选)", key=f"note_{r['id']}")
            st.button("采纳", key=f"accept_{r['id']}", type="primary", on_click=_accept, args=(r["id"],),
                      icon=":material/check:")
            feedback.show(f"accept_{r['id']}")
        with b:
            st.text_input("退回原因(必填)", key=f"reason_{r['id']}")
            w.confirm_button("退回", f"将第 {r['id']} 号报告退回{w.plain_markdown(r['department_name'])}?退回原因会通知该单位,退回后不能撤销。",
                             "确认退回", key=f"return_{r['id']}", on_click=_return, args=(r["id"],),
                             icon=":material/undo:", box_key=f"return_box_{r['id']}", result_slot=f"return_{r['id']}")

with st.expander("最近审核记录"):
    done = review.recent(db, actor, 30)
    if not done:
        st.caption("还没有审核记录。")
    for r in done:
        st.markdown(f"**{w.plain_markdown(r['review_state'])}** · {w.cn_date(r['reviewed_at'])} · "
                    + w.plain_markdown(f"{r['reviewer'] or ''} · {r['department_name']} · {r['task_number'] or ''} {r['task_title']}"))
        if r["review_note"]:
            st.text(f"意见:{r['review_note']}")
