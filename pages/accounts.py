"""账号: the office lists accounts, adds one, resets a password, disables or re-enables an account."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.access import ROLE_LABELS
from duban.errors import DubanError
from duban.services import users
from ui import page
from ui import scope as choices
from ui import widgets as w

actor, db, _ = page.start("账号", flash_key="accounts_flash")

try:
    accounts = users.list_users(db, actor)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()

w.dataframe(pd.DataFrame([{
    "用户名": u["username"], "姓名": u["display_name"] or "", "角色": u["role_label"],
    "所属地区或部门": u["departments"] or (f"{u['place'] or '全部地区'}{'(只读)' if u['role'] == 'leader' else ''}"
                                      if u["role"] in ("office", "leader") else "—"),
    "状态": ("启用" if u["active"] else "已停用") + ("(已锁定)" if u.get("locked_at") else ""),
    "邮箱": u["email"] or "",
} for u in accounts]), hide_index=True, width="stretch", key="accounts_table")
st.caption(f"共 {len(accounts)} 个账号。密码经加密保存,任何人(包括办公室)都看不到原密码。")

add_tab, reset_tab, state_tab, session_tab = st.tabs(["新建账号", "重置密码", "停用 / 启用", "自动退出"])
names = [u["username"] for u in accounts]

with add_tab:
    own = choices.department_labels(db, actor, own=True)  # an office gives accounts to its own place's units
    labels = {d["id"]: d["label"] for d in users.list_departments(db, actor) if d["id"] in own}
    with st.form("account_add", clear_on_submit=False):
        a, b = st.columns(2)
        username = a.text_input("用户名", key="new_username")
        asked = w.id_param(st.query_params.get("department"))  # the 导入 page links here for a unit without one
        role = b.selectbox("角色", list(ROLE_LABELS), format_func=ROLE_LABELS.get, key="new_role",
                           index=list(ROLE_LABELS).index("liaison") if asked in labels else 0)
        chosen_departments = st.multiselect("所属部门(部门联络员必选,可多选)", list(labels), format_func=labels.get,
                               key="new_departments", placeholder="输入地区或部门名称查找",
                               default=[asked] if asked in labels else None)
        c, d = st.columns(2)
        display = c.text_input("姓名(可选)", key="new_display")
        email = d.text_input("电子邮箱(可选,用于接收提醒)", key="new_email")
        e, f = st.columns(2)
        pw = e.text_input("初始密码(至少 10 位)", type="password", key="new_password")
        pw2 = f.text_input("确认密码", type="password", key="new_password2")
        if st.form_submit_button("创建账号", key="new_submit", type="primary"):
            if pw != pw2:
                st.error("两次输入的密码不一致。")
            else:
                try:
                    users.create_user(db, actor, username, pw, role, chosen_departments or None,
                                      display or None, email or None)
                    st.session_state["accounts_flash"] = [("ok", f"已创建账号 {username.strip()}。")]
                    st.rerun()
                except DubanError as err:
                    st.error(str(err))

with reset_tab:
    with st.form("account_reset"):
        who = st.selectbox("账号", names, key="reset_username")
        a, b = st.columns(2)
        pw = a.text_input("新密码(至少 10 位)", type="password", key="reset_password")
        pw2 = b.text_input("确认新密码", type="password", key="reset_password2")
        if st.form_submit_button("重置密码", key="reset_submit"):
            if pw != pw2:
                st.error("两次输入的密码不一致。")
            else:
                try:
                    users.change_password(db, actor, who, pw)
                    st.session_state["accounts_flash"] = [("ok", f"已重置账号 {who} 的密码,请将新密码告知本人。")]
                    st.rerun()
                except DubanError as err:
                    st.error(str(err))

with state_tab:
    status = {u["username"]: bool(u["active"]) for u in accounts}
    who = st.selectbox("账号", [n for n in names if n != actor.username], key="state_username",
                       format_func=lambda n: n + ("" if status[n] else "(已停用)"))
    st.caption("停用后该账号不能再登录,已提交的报告和历史记录保留。")
    locked = [u["username"] for u in accounts if u.get("locked_at")]
    if locked:
        st.warning(f"因多次输入错误密码而锁定的账号:{'、'.join(locked)}。确认是本人后可解除锁定。", icon=":material/lock:")
        who_locked = st.selectbox("解除锁定的账号", locked, key="unlock_username")
        if st.button("解除锁定", key="unlock_submit"):
            try:
                users.unlock(db, actor, who_locked)
                st.session_state["accounts_flash"] = [("ok", f"已解除账号 {who_locked} 的锁定。")]
                st.rerun()
            except DubanError as err:
                st.error(str(err))
    if who:
        label = "停用账号" if status[who] else "重新启用"
        if status[who]:
            clicked = w.confirm_button(label, f"停用后 **{w.plain_markdown(who)}** 将不能再登录,已提交的报告和历史记录保留;可随时重新启用。",
                                       "确认停用", key="state_submit")
        else:
            clicked = st.button(label, key="state_submit")
        if clicked:
            try:
                users.set_active(db, actor, who, not status[who])
                st.session_state["accounts_flash"] = [("ok", f"已{label.replace('账号', '')}账号 {who}。")]
                st.rerun()
            except DubanError as err:
                st.error(str(err))

with session_tab:
    current = users.session_minutes(db)
    st.caption(f"登录后超过这么久没有操作会自动退出。当前:{current:g} 分钟"
               "(服务器设置了 DUBAN_SESSION_MINUTES 时以其为准)。")
    with st.form("session_form"):
        minutes = st.number_input("自动退出时间(分钟)", min_value=1, max_value=1440, value=int(current),
                                  key="session_minutes")
        if st.form_submit_button("保存", key="session_submit"):
            try:
                users.set_session_minutes(db, actor, int(minutes))
                st.session_state["accounts_flash"] = [("ok", f"已设置为 {int(minutes)} 分钟无操作自动退出。")]
                st.rerun()
            except DubanError as err:
                st.error(str(err))
