"""The widgets of the 提醒设置 page: its messages, figures, robot cards and forms (each form returns what the office
entered once it is submitted), and what the office of one place sees instead of a form: the setting, read-only."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from duban.access import SYSTEM_WIDE, Actor
from duban.errors import DubanError
from duban.jobs.reminder_page import Summary
from duban.services.reminder_rules import CHANNEL_LABELS, KIND_LABELS, Rule
from ui import page
from ui.text import plain
from ui.widgets import dataframe

FLASH = "remind_flash"


def flash(kind: str, text: str) -> None:
    """Keep a message for the top of the page after the rerun ('ok' or 'error')."""
    page.flash(FLASH, kind, text)


def attempt(fn: Callable[[], object], ok_text: str | None = None):
    """Run a service call; its Chinese error becomes a message on the page instead of a traceback."""
    try:
        result = fn()
    except DubanError as e:
        return flash("error", str(e))
    text = ok_text.format(result) if ok_text and "{}" in ok_text else ok_text
    if text:
        flash("ok", text)
    return result


def guard(actor: Actor, check: Callable[[Actor], None]) -> None:
    """Stop the page, saying why in Chinese, for an account that may not read these settings."""
    try:
        check(actor)
    except DubanError as e:
        st.error(str(e))
        st.stop()


def read_only() -> None:
    """Why the office of one place gets no form: the setting applies to every place."""
    st.info(f"{SYSTEM_WIDE},本地区办公室只能查看。", icon=":material/lock:")


def general_table(g: dict[str, str | None], labels: dict[str, str]) -> None:
    """The general settings as they stand, for an office that reads them only."""
    table([{"设置": labels[k], "当前值": v or "(未设置)"} for k, v in g.items()])


def table(rows: list[dict]) -> None:
    """Rows as a table without its index."""
    dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def summary_strip(top: Summary, manage: bool = True) -> None:
    """Today, sent, waiting, failed; and a warning for a year without holiday data (with the way to enter it
    for whoever may, `manage`) or for failed messages."""
    m = st.columns(4)
    m[0].metric("今天", top.today, help="工作日按设定时间发送提醒;节假日不发送,顺延到下一个工作日。")
    m[1].metric("已发送", top.sent)
    m[2].metric("待发送", top.pending)
    m[3].metric("发送失败", top.failed)
    for year in top.years_without_calendar:
        who = "请在“节假日”页录入" if manage else "由系统管理员或全库办公室在“节假日”页录入"
        st.warning(f"节假日数据不含 {year} 年:该年暂按周一至周五计算工作日。公布安排后{who}。",
                   icon=":material/calendar_month:")
        if manage:
            st.page_link("pages/holidays.py", label="录入节假日安排", icon=":material/calendar_month:")
    if top.failed:
        st.warning(f"有 {top.failed} 条消息发送失败,详见“发送记录”,系统会按间隔自动重试。", icon=":material/error:")


def robot_card(h: dict, manage: bool = True) -> str | None:
    """One robot, its address masked; which of 测试 / 停用(启用) / 删除 was pressed ('test', 'toggle', 'delete');
    no buttons for an office that may not change robots (`manage` False)."""
    with st.container(border=True):
        c = st.columns([3, 1, 1, 1])
        c[0].markdown(f"**{plain(h['name'])}** · {plain(h['kind_label'])} · {plain(h['department'])}"
                      f"{'' if h['active'] else ' · 已停用'}  \n`{h['url'].replace('`', '%60')}`"
                      + (" · 已设置加签密钥" if h["has_secret"] else ""))
        for col, label, action in ((c[1], "测试", "test"), (c[2], "停用" if h["active"] else "启用", "toggle"),
                                   (c[3], "删除", "delete")) if manage else ():
            if col.button(label, key=f"hook_{action}_{h['id']}"):
                return action
    return None


def rule_form(n: int, cur: Rule | None) -> dict | None:
    """A rule's fields (a new rule when `cur` is None); the save_rule arguments once 保存规则 is pressed."""
    kinds = list(KIND_LABELS)
    with st.form(f"rule_form_{n}"):
        kind = st.selectbox("类型", kinds, index=kinds.index(cur.kind) if cur else 0, format_func=KIND_LABELS.get,
                            key=f"rule_kind_{n}")
        days = st.number_input("天数(到期前 / 逾期间隔 / 会议前 / 报送截止前后)", min_value=0, max_value=366, step=1,
                               value=cur.days if cur else 3, key=f"rule_days_{n}")
        chans = st.multiselect("渠道", list(CHANNEL_LABELS), format_func=CHANNEL_LABELS.get, key=f"rule_channels_{n}",
                               default=sorted(cur.channels) if cur else ["inapp", "email", "webhook"])
        c = st.columns(3)
        to_co = c[0].checkbox("配合单位也提醒", value=cur.to_co if cur else True, key=f"rule_co_{n}")
        copy = c[1].checkbox("抄送办公室", value=cur.copy_office if cur else False, key=f"rule_copy_{n}")
        active = c[2].checkbox("启用", value=cur.active if cur else True, key=f"rule_active_{n}")
        note = st.text_input("说明", value=(cur.note or "") if cur else "", key=f"rule_note_{n}")
        if not st.form_submit_button("保存规则"):
            return None
    return {"kind": kind, "days": days, "rule_id": cur.id if cur else None, "to_co": to_co, "copy_office": copy,
            "channels": chans, "active": active, "note": note}


def smtp_form(form: dict, tls_modes: dict[str, str]) -> dict | None:
    """The mail server's fields, the password never shown; the save_smtp arguments once saved."""
    modes = list(tls_modes)
    with st.form("smtp_form"):
        c = st.columns([3, 1, 1])
        host = c[0].text_input("邮件服务器(SMTP)", value=form["host"] or "", key="smtp_host")
        port = c[1].text_input("端口", value=form["port"] or "", key="smtp_port", placeholder="25 / 465 / 587")
        tls = c[2].selectbox("加密", modes, format_func=tls_modes.get, key="smtp_tls",
                             index=modes.index(form["tls"]) if form["tls"] in modes else 0)
        c = st.columns(2)
        user = c[0].text_input("登录用户名", value=form["user"] or "", key="smtp_user")
        password = c[1].text_input("登录密码", value="", type="password", key="smtp_password",
                                   placeholder="已保存(不显示),留空则不修改" if form["has_password"] else "未设置")
        sender = st.text_input("发件人地址", value=form["sender"] or "", key="smtp_sender",
                               placeholder="例如 duban@example.gov.cn")
        clear = st.checkbox("清除已保存的密码", key="smtp_clear_password", disabled=not form["has_password"])
        if not st.form_submit_button("保存邮件设置"):
            return None
    return {"host": host, "port": port, "tls": tls, "user": user, "sender": sender, "password": password or None,
            "clear_password": clear}


def robot_form(kinds: dict[str, str], departments: dict[int, str]) -> tuple | None:
    """A new robot: (name, kind, address, key, department id or None) once 添加机器人 is pressed."""
    with st.form("hook_form"):
        c = st.columns(2)
        name = c[0].text_input("名称", key="hook_name", placeholder="例如 督办工作群")
        kind = c[1].selectbox("类型", list(kinds), format_func=kinds.get, key="hook_kind")
        url = st.text_input("机器人地址(Webhook)", type="password", key="hook_url")
        secret = st.text_input("钉钉加签密钥(可选)", type="password", key="hook_secret")
        department = st.selectbox("接收哪个单位的提醒", list(departments), format_func=departments.get, key="hook_department")
        if not st.form_submit_button("添加机器人"):
            return None
    return name, kind, url, secret, department or None


def general_form(g: dict[str, str | None]) -> dict[str, str] | None:
    """Office name and address, reminder time, catch-up and notice days; the entered values once saved."""
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
        if not st.form_submit_button("保存"):
            return None
    return {"office_name": office_name, "office_email": office_email, "remind_time": remind_time,
            "remind_catchup_days": catchup, "notice_reply_days": reply, "notice_red_days": red}
