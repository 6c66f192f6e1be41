"""The database and the logged-in user for one browser session."""
from __future__ import annotations

import runpy
import time
from pathlib import Path

import sqlite_utils
import streamlit as st

from db import connect
from db.connection import database_path
from duban.access import Actor
from duban.services import users

APP = Path(__file__).resolve().parent.parent / "app.py"


@st.cache_resource(show_spinner="正在打开数据库…")
def _open(path: str) -> sqlite_utils.Database:
    return connect(path)


def get_db() -> sqlite_utils.Database:
    """The shared connection to the database file this server uses."""
    return _open(str(database_path().resolve()))


def idle_limit_seconds() -> int:
    """Inactivity after which a login ends: $DUBAN_SESSION_MINUTES, else the office's setting, else 30 minutes."""
    return int(users.session_minutes(get_db()) * 60)


def current_actor() -> Actor | None:
    """The logged-in user, re-read from the database on every run; None after logout or inactivity."""
    user_id = st.session_state.get("user_id")
    if user_id is None:
        return None
    last = st.session_state.get("last_active", 0)
    if last and time.time() - last > idle_limit_seconds():
        logout(reason="长时间未操作,已自动退出,请重新登录。")
        return None
    actor = users.actor_for(get_db(), int(user_id))
    if actor is None:
        logout()
        return None
    st.session_state["last_active"] = time.time()
    return actor


def login(actor: Actor) -> None:
    st.session_state["user_id"] = actor.user_id
    st.session_state["last_active"] = time.time()


def logout(reason: str | None = None) -> None:
    for key in ("user_id", "last_active"):
        st.session_state.pop(key, None)
    if reason:
        st.session_state["logout_reason"] = reason


def _outside_frame() -> bool:
    """True when Streamlit runs a page file by itself, as one of a folder of pages: it does so for a page address
    opened after a server start before anyone has opened the start page, because the page files sit in pages/.
    app.py's st.navigation ends that for the whole server process."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(getattr(PagesManager, "uses_pages_directory", False))


def require_actor() -> Actor:
    """The logged-in user; stops the page when there is none (the frame shows the login form)."""
    if _outside_frame():
        # run the address through the frame instead: login form, the role's navigation, then this page
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
    actor = current_actor()
    if actor is None:
        st.warning("请先登录。")
        st.stop()
    return actor
