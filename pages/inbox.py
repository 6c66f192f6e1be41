"""消息: the user's in-app inbox (reminders, returned reports, meeting requests), and the unit's deadline calendar."""
from __future__ import annotations

import streamlit as st

from duban import clock
from duban.errors import DubanError
from duban.reports import ics
from duban.services import calendars, inbox
from ui import page
from ui.text import plain, plain_lines

KIND_LABELS = {"reminder": "提醒", "message": "通知", "returned": "退回", "meeting": "会议", "info": "消息"}

actor, db, _ = page.start("消息", flash_key="inbox_flash")

unread = inbox.unread_count(db, actor)
top = st.columns([2, 1, 1])
top[0].markdown(f"未读消息 :red-badge[{unread}]" if unread else "没有未读消息。")
only_unread = top[1].toggle("只看未读", key="inbox_only_unread")
if top[2].button("全部标为已读", key="inbox_mark_all", disabled=unread == 0):
    n = inbox.mark_read(db, actor)
    st.session_state["inbox_flash"] = f"已将 {n} 条消息标为已读。"
    st.rerun()


rows = inbox.inbox(db, actor, unread_only=only_unread)
if not rows:
    st.info("这里还没有消息。到期提醒、退回的报告和会前报送通知都会出现在这里。")
for i, row in enumerate(rows):
    new = row["read_at"] is None
    title = row["title"] if row["title"].startswith("【") else f"【{KIND_LABELS.get(row['kind'], '消息')}】{row['title']}"
    label = f"{title} · {clock.local_time(row['created_at'])}" + (" · 未读" if new else "")
    icon = ":material/mark_email_unread:" if new else ":material/drafts:"
    with st.expander(plain(label), expanded=new and i == 0, icon=icon):
        st.markdown(plain_lines(row["body"] or ""))
        cols = st.columns([1, 1, 4])
        if new and cols[0].button("标为已读", key=f"inbox_read_{row['id']}"):
            inbox.mark_read(db, actor, [row["id"]])
            st.rerun()
        if row.get("link") == "my_tasks" and actor.role == "liaison":
            cols[1].page_link("pages/my_tasks.py", label="去填报", icon=":material/edit_note:")

departments = calendars.calendar_departments(db, actor)
if departments:
    st.divider()
    st.subheader("到期日历")
    st.caption("下载本单位任务的到期日(.ics),可导入手机或电脑日历(Outlook、苹果日历、钉钉、企业微信日程等);"
               "每个到期日前一天会提醒。再次导入会更新已有日程,不会重复。")
    if actor.role == "liaison":
        chosen = departments
    else:
        names = {d["id"]: d["label"] for d in departments}
        pick = st.selectbox("单位", list(names), format_func=names.get, key="inbox_ics_department")
        chosen = [d for d in departments if d["id"] == pick]
    for d in chosen:
        try:
            data = ics.department_calendar(db, actor, d["id"])
        except DubanError as e:
            st.error(plain(str(e)))
            continue
        st.download_button(f"下载 {d['label']} 到期日历", data=data, file_name=f"督办到期日_{d['name']}.ics",
                           mime="text/calendar", key=f"inbox_ics_{d['id']}", icon=":material/calendar_month:")
