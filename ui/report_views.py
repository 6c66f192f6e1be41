"""我的任务's report form (its result shown beside its button, emptied after a report is filed) and a task's
report history."""
from __future__ import annotations

import math

import sqlite_utils
import streamlit as st

from duban.access import Actor
from duban.errors import DubanError, FileRefused, SessionEnded
from duban.rules.status import NEEDS_COORDINATION
from duban.services import evidence, reports
from ui import feedback
from ui.evidence import evidence_buttons
from ui.session import keep_unsent, restore_unsent
from ui.text import plain
from ui.widgets import chinese_file_uploader, cn_date

STATE_MARKS = {"待审核": ":orange[待审核]", "已采纳": ":green[已采纳]", "已退回": ":red[已退回]", "已更正": ":gray[已更正]"}
UNSENT_KEYS = ("report_text", "report_status", "report_need", "report_from")
TEXT_KEYS = ("report_text", "report_need", "report_from")


def report_form(db: sqlite_utils.Database, actor: Actor, task_id: int, mine: list[dict], choices: list[dict],
                own_latest: dict | None, percent: int, today) -> None:
    """The form a department files its report on a task with; what happened is said right beside its button."""
    own_departments = [m["department_id"] for m in mine]
    if restore_unsent("my_tasks", actor.username):
        st.info("已填回上次未能提交的内容(附件需重新选择),请检查后提交。")

    def submit() -> None:
        """Runs before the page reruns: file the report, then empty the form (or keep it and say what is wrong)."""
        s = st.session_state
        files = s.get(feedback.fresh_key("report_files")) or []
        try:
            report_id = reports.file_report(
                db, actor, task_id, s.get("report_text", ""), s.get("report_percent", 0), s.get("report_status"),
                today, instance_id=s.get("report_instance"), coordination_need=s.get("report_need"),
                coordination_from=s.get("report_from"), evidence=[(f.name, f.getvalue()) for f in files],
                department_id=s.get("report_department", own_departments[0]),
                supersedes_id=own_latest["id"] if (own_latest and s.get("report_correct")) else None)
        except SessionEnded as e:  # the login ended since the page was drawn: nothing stored, the typing kept
            keep_unsent(e, "my_tasks", actor.username, {k: s.get(k) for k in UNSENT_KEYS if s.get(k) is not None},
                        "\n".join(str(s.get(k)) for k in TEXT_KEYS if s.get(k)))
            return
        except FileRefused as e:  # the refused file leaves the form, so the next try does not send it again
            feedback.renew("report_files")
            feedback.say("report", f"未提交:{e}已移除所选文件,请重新选择后提交,填写的内容已保留。", ok=False)
            return
        except DubanError as e:
            feedback.say("report", f"未提交:{e}", ok=False)
            return
        feedback.say("report", f"已提交第 {report_id} 号报告" + (f"(附 {len(files)} 个文件)" if files else "")
                     + ",等待办公室审核。表单已清空,可继续填报。")
        for key in TEXT_KEYS:
            s[key] = ""
        s["report_correct"] = False
        feedback.renew("report_files")

    with st.form("report_form"):
        if len(own_departments) > 1:
            st.selectbox("报告单位", own_departments, key="report_department",
                         format_func=lambda d: next(m["department_name"] for m in mine if m["department_id"] == d))
        if choices:
            st.selectbox("对应期限", [c["id"] for c in choices], key="report_instance",
                         format_func=lambda i: next(c["label"] for c in choices if c["id"] == i))
        else:
            st.caption("该任务没有待完成的期限。")
        st.text_area("进展情况", key="report_text", height=120, max_chars=reports.MAX_TEXT,
                     placeholder="写明本期完成的具体工作、数量和下一步安排。")
        c1, c2 = st.columns([1, 2])
        c1.number_input("完成百分比(%)", min_value=0, max_value=100, step=5, key="report_percent", value=percent)
        c2.radio("申报状态", reports.CLAIMS, horizontal=True, key="report_status")
        st.caption(f"选择“{NEEDS_COORDINATION}”时请填写下面两项:")
        c3, c4 = st.columns([2, 1])
        c3.text_area("需要协调的事项", key="report_need", height=68)
        c4.text_input("需要哪个单位协调", key="report_from")
        limit_mb = evidence.max_bytes(db) / 1024 / 1024
        chinese_file_uploader(f"也可将文件拖放到此处 · 单个文件不超过 {limit_mb:g} MB")
        st.file_uploader("佐证材料", type=evidence.UPLOAD_TYPES, accept_multiple_files=True,
                         key=feedback.fresh_key("report_files"), max_upload_size=max(1, math.ceil(limit_mb)))
        st.caption(f"可上传 {evidence.KINDS_TEXT} 文件,可多选;单个文件不超过 {limit_mb:g} MB。系统按文件内容核对类型。")
        # always drawn (off until there is a report to correct), so the button stays where it was after a report
        st.checkbox(f"作为对本单位第 {own_latest['id']} 号报告的更正(原报告保留,不再审核)" if own_latest
                    else "作为对本单位上一份报告的更正(本单位尚无报告)", key="report_correct", disabled=not own_latest)
        button, beside = st.columns([1, 6], vertical_alignment="center")  # seen wherever the button is seen
        button.form_submit_button("提交报告", type="primary", key="report_submit", on_click=submit)
        with beside:
            feedback.show("report")


def report_history(db: sqlite_utils.Database, actor: Actor, history: list[dict]) -> None:
    """Every version of every report on the task, newest first, with the office's answer and the files."""
    if not history:
        st.caption("该任务还没有报告。")
    superseded = {h["supersedes_id"]: h["id"] for h in history if h["supersedes_id"]}
    for h in history:
        with st.container(border=True):
            head = (f"第 {h['id']} 号 · {plain(h['department_name'])}({plain(h['role_name'] or '—')}) · "
                    f"{cn_date(h['reported_on'] or h['created_at'])} · {plain(h['claimed_status'])} {h['percent'] or 0}% · "
                    f"{STATE_MARKS.get(h['review_state'], h['review_state'])}")
            if h["instance_id"]:
                head += f" · {plain(h['instance_label'] or '')}(截止 {cn_date(h['instance_due'])})"
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
            evidence_buttons(db, actor, h, prefix="下载 ")
