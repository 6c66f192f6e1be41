"""What a page's last action said is shown once, at the top of the next run, then gone."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from ui import page

    if st.session_state.get("act"):
        st.session_state["act"] = False
        page.flash("demo_flash", "ok", "已保存。")
        page.flash("demo_flash", "error", "第 3 号报告未能采纳:已被撤回。")
    page.show_flash("demo_flash")
    page.show_flash("text_flash")


def test_the_last_actions_messages_show_once_in_order():
    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state["act"] = True
    at.session_state["text_flash"] = "已将 2 条消息标为已读。"
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已保存。", "已将 2 条消息标为已读。"]
    assert [e.value for e in at.error] == ["第 3 号报告未能采纳:已被撤回。"]
    at.run()
    assert not at.success and not at.error
