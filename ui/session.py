"""The database and the logged-in user for one browser session.

A login is a row of the server's `sessions` table (duban.services.sessions). The browser holds its random token
in Streamlit's session state (this tab) and in the cookie `duban_session` (a refresh, a new tab, a link from a
reminder mail). Streamlit 1.67 lets a script read the cookies of the page's request (`st.context.cookies`) but
not answer with a Set-Cookie header, so the cookie is written by a line of JavaScript (`st.html` with
`unsafe_allow_javascript`): it is SameSite=Lax and Secure over https, but not HttpOnly. The token alone opens
nothing once its row is revoked (logout), idle past the limit, older than the absolute lifetime, or its account
disabled, and every write checks that row again inside its own transaction.

The database is one object for the process (get_db), but each script run reaches it through a connection of
its own, opened at the run's first query and closed by app.py when the run ends; a download made later opens
and closes one for itself. So no browser session reads inside, or writes into, another's open transaction.
"""
from __future__ import annotations

import ipaddress
import json
import os
import runpy
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils
import streamlit as st

from db.connection import RunDatabase, closing_connections, database_path, open_per_run
from duban.access import Actor
from duban.errors import SessionEnded
from duban.services import sessions, users

APP = Path(__file__).resolve().parent.parent / "app.py"
COOKIE = "duban_session"
TOKEN_KEY = "session_token"


@st.cache_resource(show_spinner="正在打开数据库…")
def _open(path: str) -> RunDatabase:
    return open_per_run(path)


def get_db() -> sqlite_utils.Database:
    """The database this server uses, through this script run's own connection (app.py closes it at the end)."""
    return _open(str(database_path().resolve()))


def closing_run_connection() -> AbstractContextManager[None]:
    """Wrap a script run (or a download): the connection it opened is closed, and what it left open rolled back."""
    return closing_connections()


def idle_limit_seconds() -> int:
    """Inactivity after which a login ends: $DUBAN_SESSION_MINUTES, else the office's setting, else 30 minutes."""
    return int(users.session_minutes(get_db()) * 60)


def client_address() -> str | None:
    """The browser's address: the connection's, or, behind a proxy on this machine, what the proxy forwarded."""
    direct = getattr(st.context, "ip_address", None)
    if isinstance(direct, str) and direct:
        return direct
    try:
        headers = st.context.headers
        forwarded = [headers.get("X-Real-IP"), (headers.get("X-Forwarded-For") or "").split(",")[-1]]
    except Exception:  # no browser request behind this run (some test harnesses)
        return None
    for value in forwarded:
        value = value.strip() if isinstance(value, str) else ""
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request behind this run (some test harnesses)
        return None
    return value if isinstance(value, str) and value else None


def current_actor() -> Actor | None:
    """The logged-in user, checked against the server's session row on every run; None once it has ended."""
    state = st.session_state
    token = state.get(TOKEN_KEY)
    if token is None and not state.get("cookie_spent"):
        token = _cookie_token()
    if token is None:
        return None
    try:
        actor = sessions.resume(get_db(), token)
    except SessionEnded as ended:
        if state.get(TOKEN_KEY):  # this tab was logged in: say why it no longer is
            state.setdefault("logout_reason", ended.notice)
        state.pop(TOKEN_KEY, None)
        state["cookie_spent"] = True  # this tab's request cookie is stale: do not try it again
        return None
    state[TOKEN_KEY] = token
    return actor


def login(actor: Actor) -> Actor:
    """Start a server-side login for an authenticated actor and keep its token in this tab."""
    token, bound = sessions.start(get_db(), actor, client_address())
    st.session_state[TOKEN_KEY] = token
    st.session_state["cookie_spent"] = True  # from now on this tab uses its own token, not the request's cookie
    return bound


def logout(reason: str | None = None) -> None:
    """End the login on the server (every tab holding it is logged out), forget it here, drop served files."""
    sessions.end(get_db(), st.session_state.pop(TOKEN_KEY, None))
    st.session_state["cookie_spent"] = True
    if reason:
        st.session_state["logout_reason"] = reason
    _drop_served_files()


def _drop_served_files() -> None:
    """Forget the evidence files this server has handed out, so their /media addresses stop answering.

    Streamlit keeps a downloaded file until two clean-ups have found it unused; two clean-ups here make the
    addresses of every file no page shows any more answer 404 at once."""
    try:
        from streamlit import runtime

        manager = runtime.get_instance().media_file_mgr
        manager.clear_session_refs()
        manager.remove_orphaned_files()
        manager.remove_orphaned_files()
    except Exception:  # no runtime (a test harness): nothing is served
        pass


def evidence_link_seconds() -> float:
    """How long the address of a downloaded evidence file answers: $DUBAN_EVIDENCE_LINK_SECONDS, else 30 s."""
    try:
        return max(1.0, float(os.environ.get("DUBAN_EVIDENCE_LINK_SECONDS") or 30))
    except ValueError:
        return 30.0


def served_briefly(fetch: Callable[[], bytes], mime: str, filename: str) -> Callable[[], bytes]:
    """The data callable of an evidence download button: the file is read (and the login checked) only when
    the button is clicked, and the /media address Streamlit serves it under stops answering shortly after,
    so a copied address opens nothing later, whether or not the user logged out or closed the browser."""
    def produce() -> bytes:
        with closing_connections():  # a download runs outside any script run: its own connection, closed after
            data = fetch()
        timer = threading.Timer(evidence_link_seconds(), _forget_served, args=(data, mime, filename))
        timer.daemon = True
        timer.start()
        return data
    return produce


def _forget_served(data: bytes, mime: str, filename: str) -> None:
    try:
        from streamlit import runtime
        from streamlit.runtime.memory_media_file_storage import _calculate_file_id

        storage = runtime.get_instance().media_file_mgr._storage
        storage.delete_file(_calculate_file_id(data, mime, filename))
    except Exception:  # no runtime any more (server stopping): nothing is served
        pass


def sync_cookie(token: str | None) -> None:
    """Write this tab's login token to the cookie (or delete the cookie when logged out)."""
    if token:
        max_age = int(sessions.max_hours() * 3600)
        value = f"{COOKIE}={token}; path=/; max-age={max_age}; SameSite=Lax"
    else:
        value = f"{COOKIE}=; path=/; max-age=0; SameSite=Lax"
    st.html(f"<script>document.cookie = {json.dumps(value)} + "
            f"(location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def _outside_frame() -> bool:
    """True when Streamlit runs a page file by itself, as one of a folder of pages: it does so for a page address
    opened after a server start before anyone has opened the start page, because the page files sit in pages/.
    app.py's st.navigation ends that for the whole server process."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(getattr(PagesManager, "uses_pages_directory", False))


def require_office_actor() -> Actor:
    """The logged-in office user; any other role is told so in Chinese and the page stops."""
    from duban.access import require_office
    from duban.errors import AccessDenied

    actor = require_actor()
    try:
        require_office(actor)
    except AccessDenied as e:
        st.error(str(e))
        st.stop()
    return actor


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


def keep_unsent(error: SessionEnded, page: str, owner: str, fields: dict, text: str) -> None:
    """A write refused because its login ended: remember what was typed (the login page shows it, and the
    page fills its form with it again after the next login) and say why nothing was stored."""
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state["cookie_spent"] = True
    st.session_state["logout_reason"] = error.notice
    st.session_state["unsent"] = {"page": page, "owner": owner, "fields": fields, "text": text}


def restore_unsent(page: str, owner: str) -> bool:
    """Put the typed values kept by keep_unsent back into this page's widgets (call before drawing them)."""
    kept = st.session_state.get("unsent")
    if not kept or kept.get("page") != page or kept.get("owner") != owner:
        return False
    del st.session_state["unsent"]
    for key, value in kept["fields"].items():
        st.session_state[key] = value
    return True
