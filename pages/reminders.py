"""提醒设置: the office's reminder rules, mail server, chat robots, the outbox with its failures, and 催办单."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.reminders import channels, inbox, jobs, outbox, settings
from duban.reminders import rules as rules_mod
from duban.reminders.digest import day_label
from duban.reminders.workdays import has_calendar_data, is_workday, load_office_calendar
from duban.reports import ics, notice
from duban.rules.names import JOB_LABELS, RUN_STATUS_LABELS
from ui import page
from ui.text import plain
from ui.widgets import dataframe

actor, db, today = page.start("提醒设置", flash_key="remind_flash", office_only=True)


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault("remind_flash", []).append((kind, text))


def attempt(fn, ok_text: str | None = None):
    """Run a service call; its Chinese error becomes a message on the page instead of a traceback."""
    try:
        result = fn()
    except DubanError as e:
        flash("error", str(e))
        return None
    if ok_text:
        flash("ok", ok_text if "{}" not in ok_text else ok_text.format(result))
    return result


load_office_calendar(db)
counts = outbox.counts(db, actor)
waiting = counts.get("failed", 0) + counts.get("abandoned", 0)
m = st.columns(4)
m[0].metric("今天", f"{today.month}月{today.day}日" + ("" if is_workday(today) else "(休)"),
            help="工作日按设定时间发送提醒;节假日不发送,顺延到下一个工作日。")
m[1].metric("已发送", counts.get("sent", 0))
m[2].metric("待发送", counts.get("pending", 0) + counts.get("sending", 0))
m[3].metric("发送失败", waiting)
for year in (today.year, today.year + 1):
    if not has_calendar_data(dt.date(year, 12, 31)):
        st.warning(f"节假日数据不含 {year} 年:该年暂按周一至周五计算工作日。公布安排后请在“节假日”页录入。",
                   icon=":material/calendar_month:")
        st.page_link("pages/holidays.py", label="录入节假日安排", icon=":material/calendar_month:")
if waiting:
    st.warning(f"有 {waiting} 条消息发送失败,详见“发送记录”,系统会按间隔自动重试。", icon=":material/error:")

# keyed, so the tab the office is on stays open after an action reruns the page
tabs = st.tabs(["今日提醒", "提醒规则", "邮件", "群机器人", "发送记录", "催办单", "其他设置"], key="remind_tab", on_change="rerun")

# ---- today ----------------------------------------------------------------------------------------
with tabs[0]:
    st.caption("每个工作日定时发送一次:每位联络员一封汇总(按规划分组),逾期事项抄送办公室(按单位分组)。"
               "节假日不发送,顺延到下一个工作日;同一提醒不会重复发送。")
    c1, c2 = st.columns(2)
    if c1.button("预览今天将发送的提醒", key="remind_preview"):
        st.session_state["remind_preview_rows"] = attempt(lambda: settings.preview(db, actor, today)) or []
        st.session_state["remind_preview_done"] = True
    if c2.button("立即发送今天的提醒", key="remind_run_now", type="primary"):
        outcome = jobs.run_job(db, actor, jobs.REMIND, today, once_per_day=False)
        flash("ok" if outcome.status == "ran" else "error", outcome.detail)
        st.rerun()
    if st.session_state.get("remind_preview_done"):
        planned = st.session_state.get("remind_preview_rows") or []
        if not planned:
            st.info("今天没有需要发送的提醒。" if is_workday(today) else "今天不是工作日,不发送提醒。")
        else:
            st.write(f"将发送 {len(planned)} 条消息:")
            dataframe(pd.DataFrame([{
                "渠道": rules_mod.CHANNEL_LABELS.get(p.channel, p.channel), "收件人": p.name,
                "地址": p.recipient if p.channel == "email" else "", "标题": p.subject, "事项数": len(p.items),
            } for p in planned]), hide_index=True, width="stretch")
    runs = jobs.recent_runs(db, 10)
    if runs:
        st.caption("最近运行")
        dataframe(pd.DataFrame([{"任务": JOB_LABELS.get(r["job"], r["job"]), "日期": r["day"],
                                    "结果": RUN_STATUS_LABELS.get(r["status"], r["status"]), "说明": r["detail"],
                                    "开始": inbox.local_time(r["started_at"])} for r in runs]),
                     hide_index=True, width="stretch")

# ---- rules ----------------------------------------------------------------------------------------
with tabs[1]:
    rules = rules_mod.list_rules(db, actor)
    dataframe(pd.DataFrame([{
        "编号": r.id, "规则": r.label, "类型": rules_mod.KIND_LABELS[r.kind],
        "提醒配合单位": "是" if r.to_co else "否", "抄送办公室": "是" if r.copy_office else "否",
        "渠道": "、".join(rules_mod.CHANNEL_LABELS[c] for c in rules_mod.CHANNEL_LABELS if c in r.channels),
        "启用": "是" if r.active else "否", "说明": r.note or "",
    } for r in rules]), hide_index=True, width="stretch")
    st.caption("“会议前 N 天”用于联席会议前请成员单位报送进展;逾期催办从到期次日起每 N 天一次。"
               "定期报送的三类规则提醒填报周期(如每月28日前)中本期尚未报送的单位:截止前 N 天、截止当日、"
               "截止后第 N 天(一次),抄送办公室时附未报送单位名单。")
    by_id = {r.id: r for r in rules}
    choice = st.selectbox("编辑", [0, *by_id], key="rule_pick",
                          format_func=lambda i: "新增规则" if i == 0 else f"{by_id[i].label}(编号 {i})")
    current = by_id.get(choice)
    kinds = list(rules_mod.KIND_LABELS)
    with st.form(f"rule_form_{choice}"):
        kind = st.selectbox("类型", kinds, index=kinds.index(current.kind) if current else 0,
                            format_func=rules_mod.KIND_LABELS.get, key=f"rule_kind_{choice}")
        days = st.number_input("天数(到期前 / 逾期间隔 / 会议前 / 报送截止前后)", min_value=0, max_value=366, step=1,
                               value=current.days if current else 3, key=f"rule_days_{choice}")
        chans = st.multiselect("渠道", list(rules_mod.CHANNEL_LABELS), format_func=rules_mod.CHANNEL_LABELS.get,
                               default=sorted(current.channels) if current else ["inapp", "email", "webhook"],
                               key=f"rule_channels_{choice}")
        c = st.columns(3)
        to_co = c[0].checkbox("配合单位也提醒", value=current.to_co if current else True, key=f"rule_co_{choice}")
        copy_office = c[1].checkbox("抄送办公室", value=current.copy_office if current else False,
                                    key=f"rule_copy_{choice}")
        active = c[2].checkbox("启用", value=current.active if current else True, key=f"rule_active_{choice}")
        note = st.text_input("说明", value=(current.note or "") if current else "", key=f"rule_note_{choice}")
        if st.form_submit_button("保存规则"):
            attempt(lambda: rules_mod.save_rule(db, actor, kind, days, rule_id=current.id if current else None,
                                                to_co=to_co, copy_office=copy_office, channels=chans,
                                                active=active, note=note), "规则已保存。")
            st.rerun()
    if current and st.button("删除此规则", key="rule_delete"):
        attempt(lambda: rules_mod.delete_rule(db, actor, current.id), "规则已删除。")
        st.rerun()

# ---- e-mail ---------------------------------------------------------------------------------------
with tabs[2]:
    form = settings.smtp_form(db, actor)
    st.info(form["summary"], icon=":material/mail:")
    if form["from_env"]:
        st.warning("邮件服务器已由服务器的环境变量设定(" + "、".join(form["from_env"]) + "),"
                   "本页填写的邮件设置暂不生效。", icon=":material/dns:")
    tls_modes = list(channels.TLS_MODES)
    with st.form("smtp_form"):
        c = st.columns([3, 1, 1])
        host = c[0].text_input("邮件服务器(SMTP)", value=form["host"] or "", key="smtp_host")
        port = c[1].text_input("端口", value=form["port"] or "", key="smtp_port", placeholder="25 / 465 / 587")
        tls = c[2].selectbox("加密", tls_modes, format_func=channels.TLS_MODES.get, key="smtp_tls",
                             index=tls_modes.index(form["tls"]) if form["tls"] in tls_modes else 0)
        c = st.columns(2)
        user = c[0].text_input("登录用户名", value=form["user"] or "", key="smtp_user")
        password = c[1].text_input("登录密码", value="", type="password", key="smtp_password",
                                   placeholder="已保存(不显示),留空则不修改" if form["has_password"] else "未设置")
        sender = st.text_input("发件人地址", value=form["sender"] or "", key="smtp_sender",
                               placeholder="例如 duban@example.gov.cn")
        clear = st.checkbox("清除已保存的密码", key="smtp_clear_password", disabled=not form["has_password"])
        if st.form_submit_button("保存邮件设置"):
            attempt(lambda: settings.save_smtp(db, actor, host=host, port=port, tls=tls, user=user, sender=sender,
                                               password=password or None, clear_password=clear), "邮件设置已保存。")
            st.rerun()
    c = st.columns([3, 1])
    to = c[0].text_input("测试收件地址", key="smtp_test_to", placeholder="you@example.gov.cn")
    if c[1].button("发送测试邮件", key="smtp_test_send"):
        attempt(lambda: settings.send_test_email(db, actor, to, today), "{}")
        st.rerun()

# ---- robots ---------------------------------------------------------------------------------------
with tabs[3]:
    hooks = settings.list_webhooks(db, actor)
    st.caption("企业微信、钉钉群机器人或任意接收 JSON 的地址。指定单位的机器人收到该单位的提醒;"
               "“全部单位”的机器人收到所有单位当天的提醒(按单位分组)。地址和密钥保存后不再显示。")
    if hooks:
        for h in hooks:
            with st.container(border=True):
                c = st.columns([3, 1, 1, 1])
                c[0].markdown(f"**{plain(h['name'])}** · {plain(h['kind_label'])} · {plain(h['department'])}"
                              f"{'' if h['active'] else ' · 已停用'}  \n`{h['url'].replace('`', '%60')}`"
                              + (" · 已设置加签密钥" if h["has_secret"] else ""))
                if c[1].button("测试", key=f"hook_test_{h['id']}"):
                    attempt(lambda h=h: settings.send_test_webhook(db, actor, h["id"], today), "{}")
                    st.rerun()
                if c[2].button("停用" if h["active"] else "启用", key=f"hook_toggle_{h['id']}"):
                    attempt(lambda h=h: settings.set_webhook_active(db, actor, h["id"], not h["active"]))
                    st.rerun()
                if c[3].button("删除", key=f"hook_delete_{h['id']}"):
                    attempt(lambda h=h: settings.delete_webhook(db, actor, h["id"]), "已删除。")
                    st.rerun()
    else:
        st.info("还没有群机器人。")
    depts = ics.calendar_departments(db, actor)
    dept_names = {0: "全部单位", **{d["id"]: d["label"] for d in depts}}
    with st.form("hook_form"):
        c = st.columns(2)
        name = c[0].text_input("名称", key="hook_name", placeholder="例如 督办工作群")
        kind = c[1].selectbox("类型", list(channels.WEBHOOK_KINDS), format_func=channels.WEBHOOK_KINDS.get,
                              key="hook_kind")
        url = st.text_input("机器人地址(Webhook)", type="password", key="hook_url")
        secret = st.text_input("钉钉加签密钥(可选)", type="password", key="hook_secret")
        dept = st.selectbox("接收哪个单位的提醒", list(dept_names), format_func=dept_names.get, key="hook_dept")
        if st.form_submit_button("添加机器人"):
            attempt(lambda: settings.add_webhook(db, actor, name, kind, url, secret, dept or None), "已添加机器人。")
            st.rerun()

# ---- outbox ---------------------------------------------------------------------------------------
with tabs[4]:
    status_names = {"": "全部", "failed,abandoned": "发送失败", "pending,sending": "待发送", "sent": "已发送"}
    pick = st.selectbox("状态", list(status_names), format_func=status_names.get, key="outbox_status",
                        index=1 if waiting else 0)
    rows = outbox.list_outbox(db, actor, pick or None)
    state_cn = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败,等待重试",
                "abandoned": "已停止自动发送(见原因)"}
    if rows:
        dataframe(pd.DataFrame([{
            "编号": r["id"], "日期": r["day"], "渠道": rules_mod.CHANNEL_LABELS.get(r["channel"], r["channel"]),
            "收件人": r["recipient_name"], "标题": r["subject"], "状态": state_cn.get(r["status"], r["status"]),
            "尝试次数": r["attempts"], "失败原因": r["last_error"] or "",
            "下次重试": inbox.local_time(r["next_attempt_at"]) if r["status"] == "failed" else "",
            "发出时间": inbox.local_time(r["sent_at"]),
        } for r in rows]), hide_index=True, width="stretch")
    else:
        st.info("没有符合条件的消息。")
    failed_ids = [r["id"] for r in rows if r["status"] in ("failed", "abandoned")]
    if failed_ids:
        c = st.columns([2, 1, 1])
        again = c[0].selectbox("重新发送第几号", failed_ids, key="outbox_retry_pick")
        if c[1].button("重新发送", key="outbox_retry"):
            attempt(lambda: outbox.retry_now(db, actor, again))
            outcome = jobs.run_job(db, actor, jobs.OUTBOX, today, once_per_day=False)
            flash("ok", f"已重新发送:{outcome.detail}")
            st.rerun()
        if c[2].button("全部立即重试", key="outbox_retry_all"):
            for i in failed_ids:
                attempt(lambda i=i: outbox.retry_now(db, actor, i))
            outcome = jobs.run_job(db, actor, jobs.OUTBOX, today, once_per_day=False)
            flash("ok", f"已重试:{outcome.detail}")
            st.rerun()

# ---- notices ------------------------------------------------------------------------------------
with tabs[5]:
    st.caption("为逾期或进度滞后的单位生成正式的督办单(红)/催办单(黄)/提醒单(蓝),自动编号,写明回复期限。")
    levels = notice.levels_by_department(db, today, actor=actor)
    depts = ics.calendar_departments(db, actor)
    labels = {d["id"]: d["label"] for d in depts}
    # the units with the most red, then yellow items first
    order = sorted(labels, key=lambda i: (-levels.get(i, {}).get("红", 0), -levels.get(i, {}).get("黄", 0),
                                          -levels.get(i, {}).get("蓝", 0), labels[i]))

    def _label(i: int) -> str:
        c = levels.get(i)
        return labels[i] + (f"(红 {c['红']} · 黄 {c['黄']} · 蓝 {c['蓝']})" if c else "(无待催办事项)")

    if not labels:
        st.info("还没有单位。")
    else:
        dept_id = st.selectbox("单位", order, format_func=_label, key="notice_dept")
        items = notice.classify(db, dept_id, today, actor=actor)
        if not items:
            st.success("该单位目前没有逾期、滞后或临近到期的事项。")
        else:
            dataframe(pd.DataFrame([{
                "预警": f"{i['level']}色 · {notice.LEVELS[i['level']]}", "任务": i["title"],
                "责任": "牵头" if i["role"] == "lead" else "配合", "截止": i["due"],
                "情况": day_label(dt.date.fromisoformat(i["due"]), today), "状态": i["status"],
            } for i in items]), hide_index=True, width="stretch")
            if st.button("生成并编号", key="notice_make", type="primary"):
                made = attempt(lambda: notice.create_notice(db, actor, dept_id, today))
                if made:
                    st.session_state["notice_file"] = (made.filename, made.data, made.number, made.title)
                    flash("ok", f"已生成{made.title} {made.number},请于 {made.reply_by} 前回复。")
                st.rerun()
        if made := st.session_state.get("notice_file"):
            st.download_button(f"下载 {made[2]}({made[3]})", data=made[1], file_name=made[0],
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key="notice_download", icon=":material/download:")
        st.download_button("下载该单位到期日历(.ics)", data=ics.department_calendar(db, actor, dept_id),
                           file_name=f"督办到期日_{labels[dept_id]}.ics", mime="text/calendar", key="notice_ics")

# ---- general ------------------------------------------------------------------------------------
with tabs[6]:
    g = settings.general(db, actor)
    with st.form("general_form"):
        c = st.columns(2)
        office_name = c[0].text_input("办公室名称(落款)", value=g["office_name"] or "", key="gen_office_name",
                                      placeholder="领导小组办公室")
        office_email = c[1].text_input("办公室邮箱(接收抄送)", value=g["office_email"] or "", key="gen_office_email")
        c = st.columns(4)
        remind_time = c[0].text_input("每日提醒时间", value=g["remind_time"] or "08:30", key="gen_remind_time")
        catchup = c[1].text_input("错过的提醒补发天数", value=g["remind_catchup_days"] or "7", key="gen_catchup")
        reply = c[2].text_input("催办单回复期限(工作日)", value=g["notice_reply_days"] or "5", key="gen_reply")
        red = c[3].text_input("逾期几天起为红色", value=g["notice_red_days"] or "1", key="gen_red")
        if st.form_submit_button("保存"):
            attempt(lambda: settings.save_general(db, actor, {
                "office_name": office_name, "office_email": office_email, "remind_time": remind_time,
                "remind_catchup_days": catchup, "notice_reply_days": reply, "notice_red_days": red}), "已保存。")
            st.rerun()
