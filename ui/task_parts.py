"""Pieces of the 任务 page: one department's latest report, and the note of the conditions a 总览 link added."""
from __future__ import annotations

import streamlit as st

from duban.rules.records import Report
from ui import widgets as w


def report_card(r: Report) -> None:
    """A department's latest report on a task: who, when, what it claims, the review, its evidence files."""
    role = r.role_name or w.ROLE_NAMES.get(r.unit_role, "")
    head = [f"**{w.plain_markdown(r.department_name or '')}**" + (f"({w.plain_markdown(role)})" if role else ""),
            w.cn_date(r.reported_on or (r.created_at or "")[:10]), f"申报:{w.plain_markdown(r.claimed_status or '')}",
            f"完成 {r.percent}%" if r.percent is not None else "", f"审核:{w.plain_markdown(r.review_state or '')}"]
    with st.container(border=True):
        st.markdown(" · ".join(x for x in head if x))
        st.markdown(w.plain_markdown(r.progress_text or ""))
        if r.coordination_need:
            st.markdown(f":orange[需协调:]{w.plain_markdown(r.coordination_need)}"
                        + (f"(需{w.plain_markdown(r.coordination_from)}协调)" if r.coordination_from else ""))
        if r.review_note:
            st.caption(f"审核意见:{w.plain_markdown(r.review_note)}")
        if r.evidence:
            st.caption("佐证材料:" + w.plain_markdown("、".join(f["filename"] for f in r.evidence)))


def extra_conditions(extra: dict[str, str], keys: tuple[str, ...], button_key: str) -> None:
    """Says which conditions from a 总览 link (due window, month, role) narrow the list, with a button to drop them."""
    if not extra:
        return
    words = ([w.DUE_NAMES.get(extra["due"], extra["due"])] if "due" in extra else []) \
        + ([f"{w.cn_month(extra['month'])}有期限"] if "month" in extra else []) \
        + ([f"该部门{w.ROLE_NAMES.get(extra['role'], extra['role'])}"] if "role" in extra else [])
    c1, c2 = st.columns([5, 1], vertical_alignment="center")
    c1.info("附加条件:" + w.plain_markdown("、".join(words)), icon=":material/filter_alt:")
    if c2.button("清除附加条件", key=button_key):
        for k in keys:
            if k in st.query_params:
                del st.query_params[k]
        st.rerun()
