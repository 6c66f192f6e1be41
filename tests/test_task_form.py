"""The task-entry form (a meeting's decision, a task assigned outside the plans) hands over what was typed."""
from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

TODAY = dt.date(2026, 11, 22)


def _script(refuse: bool, with_sources: bool) -> None:
    import datetime as dt

    import streamlit as st

    from duban.errors import InputError
    from ui.task_form import task_entry_form

    units = {1: "市民政局", 2: "市卫健委", 3: "市教育局"}

    def save(entry):
        if refuse:
            raise InputError("请填写议定事项。")
        st.session_state["saved"] = entry

    task_entry_form("t_form", "t", list(units), units.get, dt.date(2026, 11, 22), save,
                    title_label="议定事项", submit_label="保存议定事项",
                    sources=["领导批示", "上级交办"] if with_sources else None)


def _app(refuse: bool = False, with_sources: bool = False) -> AppTest:
    at = AppTest.from_function(_script, kwargs={"refuse": refuse, "with_sources": with_sources}, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_a_filled_form_hands_over_the_task_and_offers_a_month_by_default():
    at = _app(with_sources=True)
    assert at.date_input(key="t_due").value == TODAY + dt.timedelta(days=30)
    at.selectbox(key="t_source").set_value("上级交办")
    at.text_input(key="t_note").input("省办交办函")
    at.text_input(key="t_title").input("建成社区食堂10个")
    at.multiselect(key="t_lead").set_value([1])
    at.multiselect(key="t_co").set_value([2, 3])
    at.text_area(key="t_body").input("年底前完成")
    at.button[0].click().run()
    assert not at.exception
    saved = at.session_state["saved"]
    assert (saved.title, saved.lead_ids, saved.co_ids, saved.body) == ("建成社区食堂10个", [1], [2, 3], "年底前完成")
    assert (saved.source, saved.source_note, saved.due) == ("上级交办", "省办交办函", TODAY + dt.timedelta(days=30))


def test_a_refused_task_is_explained_in_the_form_and_nothing_is_kept():
    at = _app(refuse=True)
    assert not [s for s in at.selectbox if s.key == "t_source"]  # a decision has no 任务来源
    at.text_input(key="t_title").input("x")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["请填写议定事项。"]
    assert "saved" not in at.session_state
