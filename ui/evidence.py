"""The download buttons for a report's evidence files, as 我的任务 and 审核 show them."""
from __future__ import annotations

import sqlite_utils
import streamlit as st

from duban.access import Actor
from duban.services import evidence
from ui.session import served_briefly
from ui.text import plain


def evidence_buttons(db: sqlite_utils.Database, actor: Actor, report: dict, *, prefix: str = "",
                     icon: str = ":material/download:", empty: str | None = None) -> None:
    """One button per evidence file of `report` (the file is read, and the login checked, only on a click);
    `empty` is said when the report has none."""
    for e in report["evidence"]:
        st.download_button(f"{prefix}{plain(e['filename'])}({e['size'] / 1024:.0f} KB)",
                           data=served_briefly(lambda eid=e["id"]: evidence.read(db, actor, eid)[2],
                                               e["mime"], e["filename"]),
                           file_name=e["filename"], mime=e["mime"], key=f"evidence_{report['id']}_{e['id']}",
                           on_click="ignore", icon=icon)
    if not report["evidence"] and empty:
        st.caption(empty)
