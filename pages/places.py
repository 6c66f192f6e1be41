"""地区: the system administrator keeps the tree of places (省 → 市 → 县区 → 乡镇) and each account's place."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.access import ROLE_LABELS
from duban.errors import DubanError
from duban.rules.places import LEVEL_NAMES
from duban.services import places
from ui import page
from ui.text import plain
from ui.widgets import dataframe

actor, db, _ = page.start("地区管理")
if not places.is_system_administrator(db, actor):
    st.error("只有系统管理员可以管理地区和账号所属地区。")
    st.stop()
st.caption("各级办公室按 省 → 市 → 县区 → 乡镇 分级:账号能看到本地区及下级地区,只能修改本地区的规划。"
           "未设置所属地区的账号可查看和管理全部数据。")
page.show_flash("places_flash")


def ticked(clicked: bool, sure: bool, tick: str) -> bool:
    """A change behind a tick box goes ahead only once `tick` is ticked; until then say what to tick."""
    if clicked and not sure:
        st.warning(f"请先勾选“{tick}”。")
    return clicked and sure


def attempt(action, message: str) -> None:
    """Run one change; keep its result for the top of the next run, or say why it was refused."""
    try:
        action()
    except DubanError as e:
        st.error(plain(str(e)))
    else:
        page.flash("places_flash", "ok", message)
        st.rerun()


rows = places.tree(db)
names = {p["id"]: p["name"] for p in rows}
TOP = "(最上一级)"


def place_label(place_id: int | None) -> str:
    return TOP if place_id is None else names.get(place_id, str(place_id))


st.subheader("地区层级")
if rows:
    dataframe(pd.DataFrame([{"地区": "　" * p["depth"] + p["name"], "级别": LEVEL_NAMES.get(p["level"], "未定")}
                            for p in rows]), hide_index=True, key="places_table")
else:
    st.info("还没有地区。可以在下方新增,或采用从规划读出的建议。")

proposals = places.places_from_plans(db)
if proposals:
    st.subheader("从规划读出的上下级")
    dataframe(pd.DataFrame([{"地区": p.name, "建议上级": p.parent, "上级是否已有": "是" if p.parent_id else "将新增"}
                            for p in proposals]), hide_index=True, key="proposals_table")
    sure = st.checkbox("我已核对以上上下级关系", key="adopt_confirm")
    if ticked(st.button("采用建议", key="adopt_submit"), sure, "我已核对以上上下级关系"):
        attempt(lambda: places.adopt(db, actor, proposals), f"已按建议设置 {len(proposals)} 个地区的上级。")

st.subheader("新增地区")
with st.form("place_add"):
    new_name = st.text_input("地区名称(如 郑州市金水区)", key="add_name")
    new_parent = st.selectbox("上级地区", [None, *names], format_func=place_label, key="add_parent")
    add_sure = st.checkbox("确认新增(级别按名称判断:…省、…市、…县/区/旗、…乡/镇/街道)", key="add_confirm")
    if ticked(st.form_submit_button("新增地区", key="add_submit"), add_sure, "确认新增"):
        attempt(lambda: places.add_place(db, actor, new_name, new_parent), f"已新增地区:{new_name.strip()}。")

if rows:
    st.subheader("调整地区")
    chosen = st.selectbox("地区", list(names), format_func=place_label, key="edit_place")
    left, right = st.columns(2)
    with left:
        target = st.selectbox("移到以下地区之下", [None, *(i for i in names if i != chosen)],
                              format_func=place_label, key="move_parent")
        move_sure = st.checkbox("确认移动(其下级地区一并移动)", key="move_confirm")
        if ticked(st.button("移动", key="move_submit"), move_sure, "确认移动"):
            attempt(lambda: places.move_place(db, actor, chosen, target),
                    f"已把{place_label(chosen)}移到{place_label(target)}之下。")
    with right:
        renamed = st.text_input("新名称", key="rename_name")
        rename_sure = st.checkbox("确认重命名", key="rename_confirm")
        if ticked(st.button("重命名", key="rename_submit"), rename_sure, "确认重命名"):
            attempt(lambda: places.rename_place(db, actor, chosen, renamed),
                    f"已把{place_label(chosen)}改名为{renamed.strip()}。")

st.subheader("账号所属地区")
accounts = places.accounts(db, actor)
dataframe(pd.DataFrame([{"用户名": a["username"], "角色": ROLE_LABELS.get(a["role"], a["role"]),
                         "所属地区": a["place"] or "全部(未设置)"} for a in accounts]),
          hide_index=True, key="accounts_table")
by_id = {a["id"]: a for a in accounts}
with st.form("account_place"):
    who = st.selectbox("账号", list(by_id), format_func=lambda i: by_id[i]["username"], key="account_user")
    where = st.selectbox("所属地区", [None, *names], key="account_place",
                         format_func=lambda i: "全部(不限地区)" if i is None else place_label(i))
    if st.form_submit_button("保存", key="account_submit"):
        attempt(lambda: places.set_account_place(db, actor, who, where),
                f"已设置账号 {by_id[who]['username']} 的所属地区:{'全部' if where is None else place_label(where)}。")
