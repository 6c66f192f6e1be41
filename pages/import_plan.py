"""导入: upload a plan document, review and correct what was read from it, and save it only when confirmed."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from duban.errors import DubanError
from duban.extract import ACCEPTED_EXTENSIONS, ExtractionError
from duban.services import import_input as entry
from duban.services import import_review as review
from duban.services import plans
from ui import import_view as view
from ui import page
from ui import widgets as w

TASKS_PAGE = "pages/tasks.py"
FILE_TYPES = list(ACCEPTED_EXTENSIONS)
STATE_KEYS = ("imp_digest", "imp_name", "imp_extraction", "imp_base_tasks", "imp_base_deadlines", "imp_now_tasks",
              "imp_now_deadlines", "imp_tasks", "imp_deadlines", "imp_indicators", "imp_title", "imp_jurisdiction",
              "imp_issuer", "imp_doc_number", "imp_published", "imp_start", "imp_end", "imp_paste", "imp_paste_error",
              "imp_reason_filter")

actor, db, today = page.start("导入规划", "上传规划文件(Word、WPS、PDF(含扫描件)、OFD、Excel、网页或文本),"
                              "系统识别出重点任务、责任单位、期限和指标后,请逐项核对、修改,确认无误后再保存。"
                              "点击“确认导入”之前,不会写入任何数据。")


def reset() -> None:
    for key in STATE_KEYS:
        st.session_state.pop(key, None)


def add_pasted() -> None:
    """Rows pasted from Excel join the task table below the rows already there (as corrected so far)."""
    s = st.session_state
    tasks_now, deadlines_now = s.get("imp_now_tasks", []), s.get("imp_now_deadlines", [])
    try:
        first = max((entry.whole(r.get("序号"), "序号") or 0 for r in tasks_now), default=0) + 1
        new = entry.tasks_from_paste(s.get("imp_paste") or "", s.get("imp_jurisdiction"), today, first)
    except DubanError as e:
        s["imp_paste_error"] = str(e)
        return
    reviews = review.review_tasks(db, {"jurisdiction": s.get("imp_jurisdiction"), "tasks": new})
    s["imp_base_tasks"] = tasks_now + view.task_rows(new, reviews, first_key=None)
    s["imp_base_deadlines"] = deadlines_now + view.deadline_rows(new)
    s["imp_paste"] = ""
    s.pop("imp_paste_error", None)
    s["imp_paste_flash"] = f"已加入 {len(new)} 项任务,请在任务表中核对。"


# ---- the file
# a new key after each saved import empties the upload box
w.chinese_file_uploader("也可将文件拖放到此处 · Word、WPS、PDF、OFD、Excel、网页、文本,"
                        f"单个文件不超过 {st.get_option('server.maxUploadSize')} MB")
upload = st.file_uploader("选择规划文件", type=FILE_TYPES, key=f"imp_file_{st.session_state.setdefault('imp_round', 0)}")
if upload is None:
    reset()
    if flash := st.session_state.get("imp_flash"):  # what was just saved, and what it still needs
        st.success(w.plain_markdown(flash["text"]))
        st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                     query_params={"plan": str(flash["plan_id"])})
        view.checklist_section(db, actor, flash["plan_id"])
    else:
        st.info("请先选择要导入的规划文件。")
    st.stop()
st.session_state.pop("imp_flash", None)

data = upload.getvalue()
digest = plans.source_hash(data)
stored = plans.already_stored(db, actor, data)
if stored is not None:  # a file already stored needs no review at all
    st.info(w.plain_markdown(stored.message), icon=":material/info:")
    st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                 query_params={"plan": str(stored.plan_id)})
    view.checklist_section(db, actor, stored.plan_id)
    st.stop()

if st.session_state.get("imp_digest") != digest:
    reset()
    try:
        extraction = view.read_with_progress(data, upload.name, today)
    except ExtractionError as e:
        if "没有找到" not in str(e):
            st.error(f"无法识别该文件:{w.plain_markdown(str(e))}")
            st.stop()
        extraction = entry.blank_extraction(upload.name)
        st.session_state["imp_title"] = Path(upload.name).stem
    reviews = review.review_tasks(db, extraction)
    st.session_state.update(imp_digest=digest, imp_name=upload.name, imp_extraction=extraction,
                            imp_base_tasks=view.task_rows(extraction["tasks"], reviews),
                            imp_base_deadlines=view.deadline_rows(extraction["tasks"]))
original = st.session_state["imp_extraction"]
by_hand = bool(original.get("entered_by_hand"))
if by_hand:
    st.warning("文件中没有找到带责任单位的任务(如“(责任单位:…)”或“牵头单位”表格)。可以在下方“补充任务”中"
               "粘贴从 Excel 复制的任务清单,或在任务表中逐行填写;填好规划标题、地区和规划期后即可保存为规划。",
               icon=":material/edit_note:")

# ---- review: the plan
st.subheader("规划信息")
period = original.get("period") or {}
c = st.columns([3, 1])
title = c[0].text_input("规划标题", value=original.get("title") or "", key="imp_title")
jurisdiction = c[1].text_input("地区", value=original.get("jurisdiction") or "", key="imp_jurisdiction",
                               placeholder="例如 随州市")
for _code, label, detail in review.plan_reasons(original):
    st.warning(w.plain_markdown(f"{label}:{detail}" if detail else label), icon=":material/help:")
c = st.columns([1.2, 1.2, 1, 1, 1])
issuer = c[0].text_input("发文机关", value=original.get("issuer") or "", key="imp_issuer")
doc_number = c[1].text_input("文号", value=original.get("doc_number") or "", key="imp_doc_number")
limits = dict(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31), format="YYYY-MM-DD")
published = c[2].date_input("发布日期", value=view.as_date(original.get("published")), key="imp_published", **limits)
start = c[3].date_input("规划期起", value=view.as_date(period.get("start")), key="imp_start", **limits)
end = c[4].date_input("规划期止", value=view.as_date(period.get("end")), key="imp_end", **limits)
meta = {"title": title.strip() or None, "jurisdiction": jurisdiction.strip() or None, "issuer": issuer.strip() or None,
        "doc_number": doc_number.strip() or None, "published": entry.iso(published),
        "period": {"start": entry.iso(start), "end": entry.iso(end)}}

# ---- review: tasks, deadlines, indicators
base_tasks = st.session_state["imp_base_tasks"]
st.subheader(f"重点任务({len(base_tasks)} 项)")
with st.expander("补充任务:从 Excel 粘贴,或逐行填写", expanded=by_hand, icon=":material/playlist_add:"):
    st.caption("每行一项任务,四列依次为:" + " | ".join(entry.PASTE_COLUMNS) + "。从 Excel 选中这四列复制后直接粘贴即可"
               "(列之间是 Tab);第一行是表头也可以。单位之间用顿号“、”分隔,完成时限可写“2025年底前”“每年12月”等。")
    st.text_area("粘贴任务清单", key="imp_paste", height=140,
                 placeholder="建设区域养老服务中心\t市民政局\t市发改委、市财政局\t2025年底前")
    st.button("加入任务表", key="imp_paste_add", on_click=add_pasted, icon=":material/add:")
    if err := st.session_state.get("imp_paste_error"):
        st.error(w.plain_markdown(err))
if note := st.session_state.pop("imp_paste_flash", None):
    st.success(w.plain_markdown(note))

review_box = st.container()  # filled once the corrections are read, so it speaks of the tables as they are now
st.caption("牵头单位、配合单位可填多个,用顿号“、”分隔。可在表格末尾添加任务,或选中行后删除。")
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

# ---- what saving would do
st.divider()
problem, check, corrected = None, None, None
try:
    corrected = entry.apply_corrections(original, meta, st.session_state["imp_now_tasks"],
                                        st.session_state["imp_now_deadlines"], indicators_df.to_dict("records"))
    check = plans.check_import(db, actor, corrected, upload.name, data)
except DubanError as e:
    problem = str(e)
with review_box:
    view.review_section(review.review_tasks(db, corrected or original))

if problem and by_hand and not st.session_state["imp_now_tasks"]:
    st.info("在任务表中填写或粘贴任务,并填好规划标题、地区和规划期后即可保存。")
elif problem:
    st.error(w.plain_markdown(problem))
elif check.kind in ("unchanged", "old_version"):
    st.info(w.plain_markdown(check.message))
    st.stop()
elif check.kind == "revision":
    st.warning(w.plain_markdown(check.message) + "请核对以下变更,确认后才会更新。", icon=":material/difference:")
    diff = check.diff
    counts = diff.counts()
    for col, (label, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
        col.metric(label, n)
    lines = diff.lines()
    with st.container(border=True, height=min(28 * len(lines) + 40, 420)):
        st.markdown("  \n".join(w.plain_markdown(line) for line in lines))
else:
    st.info(w.plain_markdown(check.message))

label = "确认更新规划" if check is not None and check.kind == "revision" else "确认导入"
if st.button(label, key="imp_confirm", type="primary", disabled=problem is not None):
    try:
        plan_id = plans.import_plan(db, actor, corrected, upload.name, data, today,
                                    confirm_revision=check.kind == "revision")
    except DubanError as e:
        st.error(f"未能保存:{w.plain_markdown(str(e))}")
    else:
        done = "已更新" if check.kind == "revision" else "已导入"
        st.session_state["imp_flash"] = {"text": f"{done}《{plans.display_title(corrected)}》。", "plan_id": plan_id}
        reset()
        st.session_state["imp_round"] += 1
        st.rerun()
