"""批量联络员: liaison accounts for many units at once, from a sheet the office fills (单位, 姓名, 手机, 邮箱)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.services import liaison_accounts
from ui import page
from ui.text import plain
from ui.widgets import dataframe

actor, db, _ = page.start("批量创建联络员账号", "按模板填写“单位、姓名、手机、邮箱”,上传后先核对,确认后一次创建。"
                           "联络员用手机号登录,初始密码只在本页显示并可下载一次,首次登录后须修改。", office_only=True)
st.download_button("下载模板", liaison_accounts.template_xlsx(), file_name="联络员导入模板.xlsx", key="liaison_template",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# units are given accounts only in the office's own place (every place: an office of the whole database)
places = liaison_accounts.places(db, actor)
place = st.selectbox("单位所在地区", list(places), format_func=places.get, key="liaison_place")
upload = st.file_uploader("联络员表(.xlsx 或 .csv)", type=["xlsx", "csv", "txt"], key="liaison_file")
pasted = st.text_area("或直接从 Excel 复制粘贴(含表头)", key="liaison_paste", height=120)

rows = None
try:
    if upload is not None:
        rows = liaison_accounts.read_sheet(upload.getvalue(), upload.name)
    elif pasted.strip():
        rows = liaison_accounts.read_sheet(pasted.encode("utf-8"), "pasted.txt")
    if rows is not None:
        rows = liaison_accounts.check(db, actor, rows, place)
except DubanError as e:
    st.error(plain(str(e)))
    rows = None

if rows:
    bad = [r for r in rows if r.problem]
    dataframe(pd.DataFrame([{"行": r.line, "单位": r.unit, "姓名": r.name, "手机(账号)": r.phone, "邮箱": r.email,
                                "检查结果": r.problem or "可以创建"} for r in rows]),
                 hide_index=True, width="stretch", key="liaison_preview")
    if bad:
        st.warning(f"有 {len(bad)} 行需要改正(见“检查结果”),改正后重新上传;在此之前不会创建任何账号。")
    elif st.button(f"确认创建 {len(rows)} 个联络员账号", type="primary", key="liaison_create"):
        try:
            created = liaison_accounts.create_accounts(db, actor, rows, place)
        except DubanError as e:
            st.error(plain(str(e)))
        else:
            st.session_state["liaison_created"] = created

created = st.session_state.get("liaison_created")
if created:
    st.success(f"已创建 {len(created)} 个联络员账号,并登记为各单位的联络员。请下载初始密码表,分别告知本人。")
    st.download_button("下载初始密码表", liaison_accounts.credentials_xlsx(created), file_name="联络员初始密码.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="liaison_credentials",
                       on_click=lambda: st.session_state.pop("liaison_created", None))
