"""duban's frame: page setup, login, the navigation each role sees. Pages do the rest."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from db.connection import database_path
from duban import demo
from duban.access import ROLE_LABELS
from duban.errors import DubanError
from duban.jobs import scheduler
from duban.services import inbox, setup, users
from ui import session, widgets

HERE = Path(__file__).parent

# (file, title, icon, roles that see it); a page whose file is absent is left out.
PAGES = [
    ("pages/overview.py", "总览", ":material/dashboard:", {"office", "leader"}),
    ("pages/my_tasks.py", "我的任务", ":material/assignment_ind:", {"liaison"}),
    ("pages/tasks.py", "任务", ":material/list_alt:", {"office", "leader", "liaison"}),
    ("pages/review.py", "审核", ":material/fact_check:", {"office"}),
    ("pages/cycles.py", "填报周期", ":material/event_repeat:", {"office", "leader"}),
    ("pages/indicators.py", "指标", ":material/monitoring:", {"office", "leader", "liaison"}),
    ("pages/meetings.py", "会议", ":material/groups:", {"office", "leader"}),
    ("pages/assessment.py", "考核", ":material/leaderboard:", {"office", "leader"}),
    ("pages/inbox.py", "消息", ":material/notifications:", {"office", "leader", "liaison"}),
    ("pages/import_plan.py", "导入", ":material/upload_file:", {"office"}),
    ("pages/reminders.py", "提醒设置", ":material/settings:", {"office", "sysadmin"}),
    ("pages/holidays.py", "节假日", ":material/calendar_month:", {"office", "sysadmin"}),
    ("pages/accounts.py", "账号", ":material/manage_accounts:", {"office", "sysadmin"}),
    ("pages/places.py", "地区", ":material/account_tree:", {"office", "sysadmin"}),
    ("pages/liaison_import.py", "批量联络员", ":material/group_add:", {"office"}),
]

st.set_page_config(page_title="督办", page_icon=":material/task_alt:", layout="wide")
widgets.frame_style()
# everything from here runs on this run's own connection, closed when the run ends (by st.stop() too)
with session.closing_run_connection():
    try:
        db = session.get_db()
    except DubanError as e:  # e.g. a database left by a newer version of the program: say so, change nothing
        st.error(str(e))
        st.stop()
    # a database never initialised gets the five seed plans; the demo history and accounts only when asked for
    first_start = demo.init if setup.demo_requested() else None
    if setup.needs_first_start(db):  # seconds of work (more with the demo): say so instead of a blank page
        # the navigation is declared only after this: until then Streamlit would list the page files in English
        st.html('<style>[data-testid="stSidebarNav"] { display: none; }</style>')
        with st.status("首次启动:正在准备数据,请稍候…", expanded=True) as preparing:
            st.write("正在导入五份规划文件,识别其中的任务、责任单位和期限" + (";然后生成演示单位的联络员、演示账号和演示历史"
                     if first_start else "") + "。此过程只在首次启动时进行。")
            setup.ensure_ready_once(db, first_start)
            preparing.update(label="数据已准备好。", state="complete", expanded=False)
    setup.ensure_ready_once(db, first_start)
    # the overdue scan and reminders run in the background, one scheduler per server process
    st.cache_resource(show_spinner=False)(scheduler.start_in_app)(str(database_path().resolve()))


    def login_page() -> None:
        st.title("督办 · 登录")
        if st.session_state.get("cookie_spent"):
            session.sync_cookie(None)  # logged out or ended: the browser forgets the token too
        if reason := st.session_state.pop("logout_reason", None):
            st.info(reason)
        if kept := st.session_state.get("unsent"):
            with st.container(border=True, key="unsent_box"):
                st.caption("以下内容未提交,也未保存。重新登录后将自动填回原表单;也可先复制保存:")
                st.text(kept["text"])
        if setup.has_no_users(db):
            st.subheader("创建办公室管理员")
            st.caption("系统中还没有任何账号。请先创建第一个办公室管理员账号。")
            with st.form("first_admin"):
                name = st.text_input("用户名", key="admin_username")
                pw = st.text_input("密码", type="password", key="admin_password")
                pw2 = st.text_input("确认密码", type="password", key="admin_password2")
                if st.form_submit_button("创建并登录"):
                    if pw != pw2:
                        st.error("两次输入的密码不一致。")
                    else:
                        try:
                            users.create_user(db, None, name, pw, "office")
                            session.login(users.log_in(db, name, pw, session.client_address()))
                            st.rerun()
                        except DubanError as e:
                            st.error(str(e))
            return
        with st.form("login"):
            name = st.text_input("用户名", key="login_username")
            pw = st.text_input("密码", type="password", key="login_password")
            if st.form_submit_button("登录"):
                try:
                    actor = users.log_in(db, name, pw, session.client_address())
                except users.LoginRefused as e:
                    st.error(str(e))
                else:
                    session.login(actor)
                    st.rerun()


    def change_password_page() -> None:
        """A demo account (or one the office marked) chooses its own password before anything else."""
        st.title("修改密码")
        st.warning("这是演示账号,其密码是公开的。请先设置您自己的密码,然后才能使用系统。", icon=":material/key:")
        with st.form("first_password"):
            pw = st.text_input(f"新密码(至少 {users.MIN_PASSWORD} 位,不能包含用户名)", type="password", key="first_pw")
            pw2 = st.text_input("确认新密码", type="password", key="first_pw2")
            if st.form_submit_button("保存新密码", type="primary", key="first_pw_submit"):
                if pw != pw2:
                    st.error("两次输入的密码不一致。")
                else:
                    try:
                        users.change_password(db, actor, actor.username, pw)
                        st.session_state["password_flash"] = "已设置新密码。"
                        st.rerun()
                    except DubanError as e:
                        st.error(str(e))


    def no_access_page(title: str):
        """What a page address outside the user's role shows (instead of Streamlit's English "Page not found")."""
        def page() -> None:
            st.title(title)
            st.warning(f"您的账号无权查看“{title}”页面。请从左侧菜单选择。", icon=":material/block:")
        return page


    actor = session.current_actor()
    if setup.is_demo(db):
        st.sidebar.warning("演示数据:本系统当前载入的是演示数据,仅供体验。", icon=":material/science:")

    present = [(f, t, i, roles) for f, t, i, roles in PAGES if (HERE / f).exists()]
    if actor is None:
        # every page address shows the login form and, after logging in, opens that page with its query parameters
        pg = st.navigation([st.Page(login_page, title="登录", icon=":material/login:", default=True)] + [
            st.Page(login_page, title="登录", url_path=Path(f).stem, visibility="hidden") for f, _, _, _ in present])
    elif users.must_change_password(db, actor.user_id):
        # every page address shows the password form until the account has its own password
        pg = st.navigation([st.Page(change_password_page, title="修改密码", icon=":material/key:", default=True)] + [
            st.Page(change_password_page, title="修改密码", url_path=Path(f).stem, visibility="hidden")
            for f, _, _, _ in present])
        with st.sidebar:
            session.sync_cookie(st.session_state.get(session.TOKEN_KEY))
            if st.button("退出登录", key="logout"):
                session.logout()
                st.rerun()
    else:
        mine = [f for f, _, _, roles in present if actor.role in roles]
        # the system administrator's work starts from the places; every other role's from the first page it has
        if actor.role == "sysadmin" and "pages/places.py" in mine:
            mine.insert(0, mine.pop(mine.index("pages/places.py")))
        # the role's start page is served at "/" (Streamlit reserves its pathname without answering it), so it is
        # also registered, hidden, under its own address: a link such as my_tasks?task=3 opens it
        pages = [
            st.Page(str(HERE / f), title=t, icon=i, url_path=Path(f).stem + "_start", default=True)
            if f == mine[0] else
            st.Page(str(HERE / f), title=t, icon=i, url_path=Path(f).stem)
            if f in mine else
            st.Page(no_access_page(t), title=t, url_path=Path(f).stem, visibility="hidden")
            for f, t, i, roles in present
        ] + [st.Page(str(HERE / mine[0]), title=next(t for f, t, _, _ in present if f == mine[0]),
                     url_path=Path(mine[0]).stem, visibility="hidden")]
        demo_account = users.is_demo_account(db, actor.user_id)
        if demo_account:
            st.markdown(":orange-badge[:material/science: 演示账号] :gray[此账号仅供体验,请勿录入真实工作数据。]")
        if flash := st.session_state.pop("password_flash", None):
            st.success(flash)
        with st.sidebar:
            session.sync_cookie(st.session_state.get(session.TOKEN_KEY))
            st.caption(f"{widgets.plain_markdown(actor.username)}({ROLE_LABELS.get(actor.role, actor.role)})" + (" · 演示账号" if demo_account else ""))
            if unread := inbox.unread_count(db, actor):
                st.markdown(f":material/notifications: 未读消息 :red-badge[{unread}]")
            if st.button("退出登录", key="logout"):
                session.logout()
                st.rerun()
        # every page listed: Streamlit would otherwise fold the list behind an English "View more"
        pg = st.navigation(pages, expanded=True)
    pg.run()
