"""The form that enters one supervised task by hand: a meeting's decision, or a task a leader or a higher office
assigned outside the plans (任务来源 and its note). Both become ordinary tasks with lead and co units and a due date."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from duban.errors import DubanError
from ui.text import plain

DEFAULT_DAYS = 30  # the due date offered: a month from today


@dataclass(frozen=True)
class TaskEntry:
    """What the form was filled with."""

    title: str
    lead_ids: list[int]
    co_ids: list[int]
    due: dt.date
    body: str
    source: str | None = None
    source_note: str | None = None


def task_entry_form(form_key: str, prefix: str, departments: Sequence[int],
                    department_label: Callable[[int], str | None],
                    today: dt.date, save: Callable[[TaskEntry], None], *, title_label: str = "任务名称",
                    submit_label: str = "保存任务", heading: str | None = None,
                    sources: Sequence[str] | None = None) -> None:
    """Draw the form (widget keys f"{prefix}_title", _lead, _co, _due, _body, and _source, _note when sources are
    offered); on submit call save(entry) and rerun, or show save's refusal inside the form and keep the page."""
    with st.form(form_key, clear_on_submit=True):
        if heading:
            st.markdown(heading)
        source = note = None
        if sources:
            source = st.selectbox("任务来源", list(sources), key=f"{prefix}_source")
            note = st.text_input("来源说明(如批示领导、交办文件)", key=f"{prefix}_note")
        title = st.text_input(title_label, key=f"{prefix}_title")
        lead = st.multiselect("牵头单位", list(departments), format_func=department_label, key=f"{prefix}_lead",
                              placeholder="输入单位名称查找")
        co = st.multiselect("配合单位", list(departments), format_func=department_label, key=f"{prefix}_co",
                            placeholder="输入单位名称查找")
        due = st.date_input("完成时限", value=today + dt.timedelta(days=DEFAULT_DAYS), key=f"{prefix}_due")
        body = st.text_area("具体要求(可选)", key=f"{prefix}_body")
        if st.form_submit_button(submit_label):
            try:
                save(TaskEntry(title, lead, co, due, body, source, note))
            except DubanError as e:
                st.error(plain(str(e)))
            else:
                st.rerun()
