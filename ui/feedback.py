"""The result of an action, shown where the user is looking: beside the button that did it, or as a toast.

A button's callback runs before the page is drawn again, so it cannot draw; it leaves its result here with
`say`, and the page calls `show` with the same slot right below that button. Nothing lands at the top of a
long page, out of sight of the user who just clicked at its bottom."""
from __future__ import annotations

import streamlit as st

from ui.text import plain

_PREFIX = "feedback_"


def say(slot: str, text: str, *, ok: bool = True) -> None:
    """Keep an action's result for the next run, for `show(slot)` or `show_toast(slot)`."""
    st.session_state[_PREFIX + slot] = (ok, text)


def _icon(ok: bool) -> str:
    return ":material/check_circle:" if ok else ":material/error:"


def _take(slot: str) -> tuple[bool, str] | None:
    return st.session_state.pop(_PREFIX + slot, None)


def show(slot: str) -> bool:
    """Draw, here, the result kept for `slot` (once); returns whether there was one."""
    if (kept := _take(slot)) is None:
        return False
    ok, text = kept
    (st.success if ok else st.error)(plain(text), icon=_icon(ok))
    return True


def show_toast(slot: str) -> bool:
    """A toast for the result kept for `slot`: for a result whose button is gone (a reviewed report leaves the queue)."""
    if (kept := _take(slot)) is None:
        return False
    ok, text = kept
    st.toast(plain(text), icon=_icon(ok), duration="long")
    return True


def fresh_key(name: str) -> str:
    """A widget key that `renew(name)` changes: a new key is a new, empty widget (the way to clear a file
    uploader, whose chosen files a script cannot set)."""
    return f"{name}_{st.session_state.get(_PREFIX + 'n_' + name, 0)}"


def renew(name: str) -> None:
    """Give the widget keyed by `fresh_key(name)` a new key on the next run, so it starts empty."""
    st.session_state[_PREFIX + "n_" + name] = st.session_state.get(_PREFIX + "n_" + name, 0) + 1
