"""What every page does first: who is logged in, the database, today, the title, and what the last action said.

A page's messages about what its last action did ("已保存…", or why it failed) are kept in st.session_state
under the page's flash key across the st.rerun() that follows the action, and shown at the top of the next run.
The top is the right place where the action's form sits at the page's top or changes the whole page (消息's
全部标为已读, 填报周期, 考核's rule, 账号); a result that belongs beside a button further down goes through
ui/feedback instead.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import sqlite_utils
import streamlit as st

from duban import clock
from duban.access import Actor
from ui.session import get_db, require_actor, require_office_actor
from ui.text import plain


class Page(NamedTuple):
    """The three things a page script works with; unpack it: `actor, db, today = page.start(...)`."""

    actor: Actor
    db: sqlite_utils.Database
    today: dt.date


def start(title: str | None, caption: str | Callable[[dt.date], str] | None = None, *,
          flash_key: str | None = None, office_only: bool = False) -> Page:
    """Check the login (stop the page without one, or for a non-office user when office_only), draw the title,
    the caption (text, or made from today) and the messages the page's last action left; hand back
    actor, database and today."""
    actor = require_office_actor() if office_only else require_actor()
    page = Page(actor, get_db(), clock.today())
    if title:
        st.title(title)
    if caption:
        st.caption(caption(page.today) if callable(caption) else caption)
    if flash_key:
        show_flash(flash_key)
    return page


def flash(key: str, kind: str, text: str) -> None:
    """Keep a message ("ok" or "error") for the top of the page's next run (after st.rerun())."""
    kept = st.session_state.get(key)
    if isinstance(kept, str):
        kept = [("ok", kept)]
    st.session_state[key] = [*(kept or []), (kind, text)]


def show_flash(key: str) -> None:
    """Show, once, the messages kept under key: a list of ("ok" | "error", text), or one text that went well."""
    kept = st.session_state.pop(key, None)
    if not kept:
        return
    for kind, text in [("ok", kept)] if isinstance(kept, str) else kept:
        (st.success if kind == "ok" else st.error)(plain(text))
