"""提醒设置: the reminder rules, mail server, chat robots, the outbox with its failures, and 催办单.

Rules, channels and times apply to every place: the system administrator and the whole database's office change
them, the office of one place reads them (and its own places' messages only); 催办单 are the office's."""
from __future__ import annotations

import streamlit as st

from duban.jobs import reminder_page as rp
from ui import page
from ui import reminders_view as view

actor, db, today = page.start("提醒设置", flash_key=view.FLASH)
view.guard(actor, rp.require_viewer)
manage = actor.manages_system
top = rp.summary(db, actor, today)
view.summary_strip(top, manage)

# keyed, so the tab the office is on stays open after an action reruns the page
tabs = st.tabs(["今日提醒", "提醒规则", "邮件", "群机器人", "发送记录", "催办单", "其他设置"], key="remind_tab", on_change="rerun")

with tabs[0]:
    st.caption("每个工作日定时发送一次:每位联络员一封汇总(按规划分组),逾期事项抄送办公室(按单位分组)。"
               "节假日不发送,顺延到下一个工作日;同一提醒不会重复发送。")
    c1, c2 = st.columns(2)
    if c1.button("预览今天将发送的提醒", key="remind_preview"):
        st.session_state["remind_preview_rows"] = view.attempt(lambda: rp.preview(db, actor, today)) or ([], "")
    if manage and c2.button("立即发送今天的提醒", key="remind_run_now", type="primary"):
        ran, detail = rp.send_now(db, actor, today)
        view.flash("ok" if ran else "error", detail)
        st.rerun()
    if shown := st.session_state.get("remind_preview_rows"):
        rows, nothing = shown
        if rows:
            st.write(f"将发送 {len(rows)} 条消息:")
            view.table(rows)
        elif nothing:
            st.info(nothing)
    if runs := rp.run_rows(db, actor):
        st.caption("最近运行")
        view.table(runs)

with tabs[1]:
    rules = rp.list_rules(db, actor)
    view.table(rp.rule_rows(rules))
    st.caption("“会议前 N 天”用于联席会议前请成员单位报送进展;逾期催办从到期次日起每 N 天一次。"
               "定期报送的三类规则提醒填报周期(如每月28日前)中本期尚未报送的单位:截止前 N 天、截止当日、"
               "截止后第 N 天(一次),抄送办公室时附未报送单位名单。")
    by_id = {r.id: r for r in rules}
    n = st.selectbox("编辑", [0, *by_id], key="rule_pick",
                     format_func=lambda i: "新增规则" if i == 0 else f"{by_id[i].label}(编号 {i})") if manage else None
    cur = by_id.get(n)
    if not manage:
        view.read_only()
    elif (entered := view.rule_form(n, cur)) is not None:
        view.attempt(lambda: rp.save_rule(db, actor, **entered), "规则已保存。")
        st.rerun()
    if cur and st.button("删除此规则", key="rule_delete"):
        view.attempt(lambda: rp.delete_rule(db, actor, cur.id), "规则已删除。")
        st.rerun()

with tabs[2]:
    form = rp.smtp_form(db, actor)
    st.info(form["summary"], icon=":material/mail:")
    if not manage:
        view.read_only()
    elif form["from_env"]:
        st.warning("邮件服务器已由服务器的环境变量设定(" + "、".join(form["from_env"]) + "),本页填写的邮件设置暂不生效。",
                   icon=":material/dns:")
    if manage and (entered := view.smtp_form(form, rp.TLS_MODES)) is not None:
        view.attempt(lambda: rp.save_smtp(db, actor, **entered), "邮件设置已保存。")
        st.rerun()
    if manage:
        c = st.columns([3, 1])
        to = c[0].text_input("测试收件地址", key="smtp_test_to", placeholder="you@example.gov.cn")
        if c[1].button("发送测试邮件", key="smtp_test_send"):
            view.attempt(lambda: rp.send_test_email(db, actor, to, today), "{}")
            st.rerun()

with tabs[3]:
    st.caption("企业微信、钉钉群机器人或任意接收 JSON 的地址。指定单位的机器人收到该单位的提醒;"
               "“全部单位”的机器人收到所有单位当天的提醒(按单位分组)。地址和密钥保存后不再显示。")
    hooks = rp.list_webhooks(db, actor)
    if not hooks:
        st.info("还没有群机器人。")
    for h in hooks:
        if action := view.robot_card(h, manage):
            view.attempt(lambda h=h, a=action: rp.robot_action(db, actor, h, a, today), "{}")
            st.rerun()
    if not manage:
        view.read_only()
    elif (entered := view.robot_form(rp.WEBHOOK_KINDS, rp.robot_departments(db, actor))) is not None:
        view.attempt(lambda: rp.add_webhook(db, actor, *entered), "已添加机器人。")
        st.rerun()

with tabs[4]:
    pick = st.selectbox("状态", list(rp.OUTBOX_FILTERS), format_func=rp.OUTBOX_FILTERS.get, key="outbox_status",
                        index=1 if top.failed else 0)
    rows, failed_ids = rp.outbox_rows(db, actor, pick)
    if rows:
        view.table(rows)
    else:
        st.info("没有符合条件的消息。")
    if failed_ids:
        c = st.columns([2, 1, 1])
        again = c[0].selectbox("重新发送第几号", failed_ids, key="outbox_retry_pick")
        for col, label, key, ids, done in ((c[1], "重新发送", "outbox_retry", [again], "已重新发送"),
                                           (c[2], "全部立即重试", "outbox_retry_all", failed_ids, "已重试")):
            if col.button(label, key=key):
                errors, detail = rp.send_again(db, actor, ids, today)
                for text in errors:
                    view.flash("error", text)
                view.flash("ok", f"{done}:{detail}")
                st.rerun()

with tabs[5]:
    st.caption("为逾期或进度滞后的单位生成正式的督办单(红)/催办单(黄)/提醒单(蓝),自动编号,写明回复期限。")
    order, labels, names = rp.notice_departments(db, actor, today) if actor.is_office else ([], {}, {})
    if not actor.is_office:  # the system administrator sees no task content
        st.info("催办单列出各单位的任务,由办公室生成。")
    elif not order:
        st.info("还没有单位。")
    else:
        department_id = st.selectbox("单位", order, format_func=labels.get, key="notice_department")
        if not (items := rp.notice_rows(db, actor, department_id, today)):
            st.success("该单位目前没有逾期、滞后或临近到期的事项。")
        else:
            view.table(items)
            if st.button("生成并编号", key="notice_make", type="primary"):
                if made := view.attempt(lambda: rp.create_notice(db, actor, department_id, today)):
                    st.session_state["notice_file"] = (made.filename, made.data, made.number, made.title)
                    view.flash("ok", f"已生成{made.title} {made.number},请于 {made.reply_by} 前回复。")
                st.rerun()
        if made := st.session_state.get("notice_file"):
            st.download_button(f"下载 {made[2]}({made[3]})", data=made[1], file_name=made[0], mime=rp.DOCX,
                               key="notice_download", icon=":material/download:")
        st.download_button("下载该单位到期日历(.ics)", data=rp.department_calendar(db, actor, department_id),
                           file_name=f"督办到期日_{names[department_id]}.ics", mime="text/calendar", key="notice_ics")

with tabs[6]:
    if not manage:
        view.read_only()
        view.general_table(rp.general(db, actor), rp.GENERAL_KEYS)
    elif (entered := view.general_form(rp.general(db, actor))) is not None:
        view.attempt(lambda: rp.save_general(db, actor, entered), "已保存。")
        st.rerun()
