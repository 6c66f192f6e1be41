"""导入: upload a plan document, review and correct what was read from it, and save it only when confirmed."""
from __future__ import annotations

import streamlit as st

from duban.errors import DubanError
from duban.extract import ACCEPTED_EXTENSIONS, ExtractionError
from duban.services import import_plan_view as importing
from ui import import_view as view
from ui import page
from ui import widgets as w

actor, db, today = page.start("导入规划", "上传规划文件(Word、WPS、PDF(含扫描件)、OFD、Excel、网页或文本),"
                              "系统识别出重点任务、责任单位、期限和指标后,请逐项核对、修改,确认无误后再保存。"
                              "点击“确认导入”之前,不会写入任何数据。")

# ---- the file
# a new key after each saved import empties the upload box
w.chinese_file_uploader("也可将文件拖放到此处 · Word、WPS、PDF、OFD、Excel、网页、文本,"
                        f"单个文件不超过 {st.get_option('server.maxUploadSize')} MB")
upload = st.file_uploader("选择规划文件", type=list(ACCEPTED_EXTENSIONS),
                          key=f"imp_file_{st.session_state.setdefault('imp_round', 0)}")
if upload is None:
    view.reset()
    view.saved_section(db, actor)  # what was just saved, and what it still needs
    st.stop()
st.session_state.pop("imp_flash", None)

data = upload.getvalue()
digest = importing.source_hash(data)
stored = importing.already_stored(db, actor, data)
if stored is not None:  # a file already stored needs no review at all
    view.stored_section(db, actor, stored)
    st.stop()

if st.session_state.get("imp_digest") != digest:
    view.reset()
    try:
        extraction = view.read_with_progress(data, upload.name, today)
    except ExtractionError as e:
        if (blank := importing.entered_by_hand(str(e), upload.name)) is None:
            st.error(f"无法识别该文件:{w.plain_markdown(str(e))}")
            st.stop()
        extraction, st.session_state["imp_title"] = blank
    reviews = importing.reviews(db, extraction, actor)
    st.session_state.update(imp_digest=digest, imp_name=upload.name, imp_extraction=extraction,
                            imp_base_tasks=view.task_rows(extraction["tasks"], reviews),
                            imp_base_deadlines=view.deadline_rows(extraction["tasks"]))
original = st.session_state["imp_extraction"]
by_hand = bool(original.get("entered_by_hand"))
if by_hand:
    st.warning("文件中没有找到带责任单位的任务(如“(责任单位:…)”或“牵头单位”表格)。可以在下方“补充任务”中"
               "粘贴从 Excel 复制的任务清单,或在任务表中逐行填写;填好规划标题、地区和规划期后即可保存为规划。",
               icon=":material/edit_note:")

# ---- review: the plan, its tasks, deadlines and indicators
meta = view.plan_form(original)
base_tasks = st.session_state["imp_base_tasks"]
st.subheader(f"重点任务({len(base_tasks)} 项)")
view.paste_section(db, actor, today, by_hand)
review_box = st.container()  # filled once the corrections are read, so it speaks of the tables as they are now
st.caption("牵头单位、配合单位可填多个,用顿号“、”分隔;写“(牵头)”的单位为牵头单位。可在表格末尾添加任务,或选中行后删除。")
tasks_df = st.data_editor(
    view.task_frame(base_tasks), key="imp_tasks", num_rows="dynamic", hide_index=True, width="stretch",
    disabled=["需核对", "原文"], placeholder="", row_height=view.ROW_HEIGHT,
    height=min(view.ROW_HEIGHT * (len(base_tasks) + 1) + 40, 560), column_config=view.TASK_CONFIG)

st.subheader("期限")
st.caption("每行一个期限:“任务序号”对应上表的序号。一次性期限填日期;周期期限填月、日(不填则为该周期的最后一天)。"
           "没有期限的任务以规划期末为期限。")
deadlines_df = st.data_editor(
    view.deadline_frame(st.session_state["imp_base_deadlines"]), key="imp_deadlines", num_rows="dynamic",
    hide_index=True, width="stretch", placeholder="", column_config=view.DEADLINE_CONFIG)

st.subheader(f"指标({len(original.get('indicators') or [])} 个)")
indicators_df = st.data_editor(
    view.indicator_frame(original), key="imp_indicators", num_rows="dynamic", hide_index=True, width="stretch",
    placeholder="", row_height=view.ROW_HEIGHT if original.get("indicators") else None,
    column_config=view.INDICATOR_CONFIG)
st.session_state["imp_now_tasks"] = tasks_df.to_dict("records")
st.session_state["imp_now_deadlines"] = deadlines_df.to_dict("records")

# ---- what saving would do: the service rebuilds the extraction from the tables as corrected
st.divider()
shown = importing.preview(db, actor, original, meta, st.session_state["imp_now_tasks"],
                          st.session_state["imp_now_deadlines"], indicators_df.to_dict("records"), upload.name, data)
with review_box:
    view.review_section(shown.reviews)
view.check_section(shown.problem, shown.check, by_hand and not st.session_state["imp_now_tasks"])

if st.button("确认更新规划" if shown.revision else "确认导入", key="imp_confirm", type="primary",
             disabled=shown.problem is not None):
    try:
        plan_id, text = importing.save(db, actor, shown, upload.name, data, today)
    except DubanError as e:
        st.error(f"未能保存:{w.plain_markdown(str(e))}")
    else:
        st.session_state["imp_flash"] = {"text": text, "plan_id": plan_id}
        view.reset()
        st.session_state["imp_round"] += 1
        st.rerun()
