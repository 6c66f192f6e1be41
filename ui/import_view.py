"""The 导入 page's pieces: reading a file with progress, the review tables, and what a saved plan still needs."""
from __future__ import annotations

import datetime as dt
import inspect

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.extract import extract_bytes
from duban.services import departments as department_s
from duban.services import import_input as entry
from duban.services import import_review as review
from duban.services.import_input import FREQ_NAMES
from duban.services.plan_import import ImportCheck
from ui import feedback
from ui import widgets as w
from ui.text import plain
from ui.widgets import dataframe

ACCOUNTS_PAGE, CYCLES_PAGE, TASKS_PAGE = "pages/accounts.py", "pages/cycles.py", "pages/tasks.py"
STATE_KEYS = ("imp_digest", "imp_name", "imp_extraction", "imp_base_tasks", "imp_base_deadlines", "imp_now_tasks",
              "imp_now_deadlines", "imp_tasks", "imp_deadlines", "imp_indicators", "imp_title", "imp_jurisdiction",
              "imp_issuer", "imp_doc_number", "imp_published", "imp_start", "imp_end", "imp_paste", "imp_paste_error",
              "imp_reason_filter")
KIND_CHOICES = ["一次性", *FREQ_NAMES.values()]
NATURES = ["约束性", "预期性"]
TASK_COLUMNS = ["序号", "编号", "任务名称", "牵头单位", "配合单位", "需核对", "原文", "_key"]
DEADLINE_COLUMNS = ["任务序号", "原文表述", "类型", "日期", "月", "日"]
ROW_HEIGHT = 68  # above 4rem the grid wraps a cell: a task's title or units read in up to three lines


def reset() -> None:
    """Forget the file under review and every correction made to it."""
    for key in STATE_KEYS:
        st.session_state.pop(key, None)


def saved_section(db, actor) -> None:
    """With no file chosen: what was just saved and what it still needs, else how to begin."""
    if flash := st.session_state.get("imp_flash"):
        st.success(w.plain_markdown(flash["text"]))
        st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                     query_params={"plan": str(flash["plan_id"])})
        checklist_section(db, actor, flash["plan_id"])
    else:
        st.info("请先选择要导入的规划文件。")


def stored_section(db, actor, stored: ImportCheck) -> None:
    """A file already stored (this version or an earlier one): said so, with the way to its tasks."""
    st.info(w.plain_markdown(stored.message), icon=":material/info:")
    st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                 query_params={"plan": str(stored.plan_id)})
    checklist_section(db, actor, stored.plan_id)


def plan_form(original: dict) -> dict:
    """The plan's title, place, issuer, number and dates as read, for the office to correct; the fields as typed."""
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
    published = c[2].date_input("发布日期", value=as_date(original.get("published")), key="imp_published", **limits)
    start = c[3].date_input("规划期起", value=as_date(period.get("start")), key="imp_start", **limits)
    end = c[4].date_input("规划期止", value=as_date(period.get("end")), key="imp_end", **limits)
    return {"title": title.strip() or None, "jurisdiction": jurisdiction.strip() or None,
            "issuer": issuer.strip() or None, "doc_number": doc_number.strip() or None,
            "published": entry.iso(published), "period": {"start": entry.iso(start), "end": entry.iso(end)}}


def _add_pasted(db, actor, today: dt.date) -> None:
    """Rows pasted from Excel join the task table below the rows already there (as corrected so far)."""
    s = st.session_state
    tasks_now, deadlines_now = s.get("imp_now_tasks", []), s.get("imp_now_deadlines", [])
    try:
        first = max((entry.whole(r.get("序号"), "序号") or 0 for r in tasks_now), default=0) + 1
        new = entry.tasks_from_paste(s.get("imp_paste") or "", s.get("imp_jurisdiction"), today, first)
    except DubanError as e:
        s["imp_paste_error"] = str(e)
        return
    reviews = review.review_tasks(db, {"jurisdiction": s.get("imp_jurisdiction"), "tasks": new}, actor)
    s["imp_base_tasks"] = tasks_now + task_rows(new, reviews, first_key=None)
    s["imp_base_deadlines"] = deadlines_now + deadline_rows(new)
    s["imp_paste"] = ""
    s.pop("imp_paste_error", None)
    s["imp_paste_flash"] = f"已加入 {len(new)} 项任务,请在任务表中核对。"


def paste_section(db, actor, today: dt.date, by_hand: bool) -> None:
    """Tasks pasted from a spreadsheet or typed row by row, added to the task table."""
    with st.expander("补充任务:从 Excel 粘贴,或逐行填写", expanded=by_hand, icon=":material/playlist_add:"):
        st.caption("每行一项任务,四列依次为:" + " | ".join(entry.PASTE_COLUMNS) + "。从 Excel 选中这四列复制后直接粘贴即可"
                   "(列之间是 Tab);第一行是表头也可以。单位之间用顿号“、”分隔,完成时限可写“2025年底前”“每年12月”等。")
        st.text_area("粘贴任务清单", key="imp_paste", height=140,
                     placeholder="建设区域养老服务中心\t市民政局\t市发改委、市财政局\t2025年底前")
        st.button("加入任务表", key="imp_paste_add", on_click=_add_pasted, args=(db, actor, today), icon=":material/add:")
        if err := st.session_state.get("imp_paste_error"):
            st.error(w.plain_markdown(err))
    if note := st.session_state.pop("imp_paste_flash", None):
        st.success(w.plain_markdown(note))


def check_section(problem: str | None, check: ImportCheck | None, waiting_for_tasks: bool) -> None:
    """What saving would do: the problem to fix, the file already stored (the page stops), or the revision's diff."""
    if problem and waiting_for_tasks:
        st.info("在任务表中填写或粘贴任务,并填好规划标题、地区和规划期后即可保存。")
    elif problem:
        st.error(w.plain_markdown(problem))
    elif check.kind in ("unchanged", "old_version"):
        st.info(w.plain_markdown(check.message))
        st.stop()
    elif check.kind == "revision":
        st.warning(w.plain_markdown(check.message) + "请核对以下变更,确认后才会更新。", icon=":material/difference:")
        counts = check.diff.counts()
        for col, (label, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
            col.metric(label, n)
        lines = check.diff.lines()
        with st.container(border=True, height=min(28 * len(lines) + 40, 420)):
            st.markdown("  \n".join(w.plain_markdown(line) for line in lines))
    else:
        st.info(w.plain_markdown(check.message))


def read_with_progress(data: bytes, name: str, today: dt.date) -> dict:
    """The extractor's reading of an upload, with a progress bar while a scanned PDF is read page by page."""
    with st.status("正在识别文件……", expanded=False) as status:
        kwargs = {}
        if "progress" in inspect.signature(extract_bytes).parameters:
            bar = st.progress(0.0, text="正在识别……")

            def progress(done: int, total: int) -> None:
                bar.progress(min(done / total, 1.0) if total else 0.0, text=f"正在识别第 {done} / {total} 页")

            kwargs["progress"] = progress
        try:
            extraction = extract_bytes(data, name, reference_date=today, **kwargs)
        except DubanError:
            status.update(label="未能从文件中识别出任务", state="error")
            raise
        status.update(label=f"识别完成:{len(extraction['tasks'])} 项任务", state="complete")
    return extraction


def as_date(value) -> dt.date | None:
    """An ISO text as a date for a date box (None when absent or not a date)."""
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def task_rows(tasks: list[dict], reviews: list[review.TaskReview], first_key: int | None = 0) -> list[dict]:
    """Rows of the task table; `_key` is the task's index in the extraction (None for rows typed in)."""
    rows = []
    for i, t in enumerate(tasks):
        lead = list(t.get("lead") or [])
        rows.append({"序号": t.get("seq") or i + 1, "编号": t.get("number") or "", "任务名称": t.get("title") or "",
                     "牵头单位": "、".join(lead), "配合单位": "、".join(u for u in t.get("units") or [] if u not in lead),
                     "需核对": "、".join(reviews[i].short_labels) if i < len(reviews) else "",
                     "原文": (t.get("text") or "")[:300], "_key": None if first_key is None else first_key + i})
    return rows


def deadline_rows(tasks: list[dict]) -> list[dict]:
    """Rows of the deadline table, one per deadline the extractor read."""
    rows = []
    for i, t in enumerate(tasks):
        for d in t.get("deadlines") or []:
            recurring = d.get("kind") == "recurring"
            rows.append({"任务序号": t.get("seq") or i + 1, "原文表述": d.get("phrase") or "",
                         "类型": FREQ_NAMES.get(d.get("freq") or "yearly") if recurring else "一次性",
                         "日期": None if recurring else as_date(d.get("due")),
                         "月": d.get("month") if recurring else None, "日": d.get("day") if recurring else None})
    return rows


def task_frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=TASK_COLUMNS)
    table["_key"] = pd.array(table["_key"], dtype="Int64")
    return table


def deadline_frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=DEADLINE_COLUMNS)
    table["日期"] = table["日期"].astype("object")
    for col in ("月", "日"):
        table[col] = pd.array(table[col], dtype="Int64")
    return table


def indicator_frame(ex: dict) -> pd.DataFrame:
    rows = [{"类别": ind.get("category") or "", "编号": ind.get("number") or "", "指标名称": ind.get("name") or "",
             "基期值": ind.get("baseline") or "", "基期年份": ind.get("baseline_year"),
             "目标值": ind.get("target") or "", "目标年份": ind.get("target_year"), "属性": ind.get("nature"),
             "责任单位": "、".join(ind.get("responsible") or []), "_key": i}
            for i, ind in enumerate(ex.get("indicators") or [])]
    table = pd.DataFrame(rows, columns=["类别", "编号", "指标名称", "基期值", "基期年份", "目标值", "目标年份", "属性",
                                        "责任单位", "_key"])
    for col in ("基期年份", "目标年份"):
        table[col] = pd.array(table[col], dtype="Int64")
    return table


TASK_CONFIG = {
    "_key": None,
    "序号": st.column_config.NumberColumn(min_value=1, step=1, width=64),
    "编号": st.column_config.TextColumn(width=64),
    "任务名称": st.column_config.TextColumn(width=222, required=True),
    "牵头单位": st.column_config.TextColumn(width=120),
    "配合单位": st.column_config.TextColumn(width=170),
    "需核对": st.column_config.TextColumn(width=150, help="系统提示可能需要核对的原因,详见上方清单"),
    "原文": st.column_config.TextColumn("原文(节选)", width=420),
}
DEADLINE_CONFIG = {
    "任务序号": st.column_config.NumberColumn(min_value=1, step=1, width=90, required=True),
    "原文表述": st.column_config.TextColumn(width=320),
    "类型": st.column_config.SelectboxColumn(options=KIND_CHOICES, width=100, required=True),
    "日期": st.column_config.DateColumn(format="YYYY-MM-DD", width=130),
    "月": st.column_config.NumberColumn(min_value=1, max_value=12, step=1, width=70),
    "日": st.column_config.NumberColumn(min_value=1, max_value=31, step=1, width=70),
}
INDICATOR_CONFIG = {
    "_key": None,
    "类别": st.column_config.TextColumn(width=90, help="可填写任意类别,如 养老、托育、教育"),
    "编号": st.column_config.TextColumn(width=56),
    "指标名称": st.column_config.TextColumn(width=220),
    "基期值": st.column_config.TextColumn(width=80),
    "基期年份": st.column_config.NumberColumn(min_value=1990, max_value=2100, step=1, format="%d", width=92),
    "目标值": st.column_config.TextColumn(width=100),
    "目标年份": st.column_config.NumberColumn(min_value=1990, max_value=2100, step=1, format="%d", width=92),
    "属性": st.column_config.SelectboxColumn(options=NATURES, width=80),
    "责任单位": st.column_config.TextColumn(width=160),
}


def review_section(reviews: list[review.TaskReview]) -> None:
    """Every task with its reasons to look, filterable by reason; the table sorts by any column."""
    if not reviews:
        return
    counts = review.reason_counts(reviews)
    flagged = sum(1 for r in reviews if r.reasons)
    st.markdown(f"**需核对:{flagged} / {len(reviews)} 项任务**" + (
        " · " + " · ".join(f"{k} {v} 项" for k, v in counts.items()) if counts else ",系统没有发现需要特别核对的地方。"))
    a, b = st.columns([3, 1])
    wanted = a.multiselect("按原因筛选", list(counts), key="imp_reason_filter", placeholder="全部任务")
    first = b.toggle("需核对的排在前面", value=True, key="imp_reason_first")
    shown = [r for r in reviews if not wanted or set(wanted) & set(r.labels)]
    if first:
        shown = sorted(shown, key=lambda r: (not r.reasons, r.seq))
    dataframe(pd.DataFrame([{"序号": r.seq, "任务名称": r.title, "需核对": "、".join(r.labels) or "—",
                                "说明": r.details} for r in shown], columns=["序号", "任务名称", "需核对", "说明"]),
                 key="imp_review", hide_index=True, width="stretch", row_height=ROW_HEIGHT,
                 height=min(ROW_HEIGHT * len(shown) + 38, 380),
                 column_config={"序号": st.column_config.NumberColumn(width=56),
                                "任务名称": st.column_config.TextColumn(width=220),
                                "需核对": st.column_config.TextColumn(width=170),
                                "说明": st.column_config.TextColumn(width=370)})


CONTACT_SLOT = "imp_contact"


def _save_contact(db, actor, options: dict) -> None:
    s = st.session_state
    try:
        department_s.set_liaison(db, actor, s["imp_contact_unit"], s.get("imp_contact_name"),
                                 s.get("imp_contact_phone"), s.get("imp_contact_email"))
        feedback.say(CONTACT_SLOT, f"已保存“{options[s['imp_contact_unit']]}”的联络方式。")
    except DubanError as e:
        feedback.say(CONTACT_SLOT, str(e), ok=False)


def checklist_section(db, actor, plan_id: int) -> None:
    """What the plan still needs before its units are reminded and report, each with the way to fix it."""
    cl = review.plan_checklist(db, actor, plan_id)
    st.subheader("该规划还需完成")
    if not cl.no_contact:  # the last unit's contact was just saved: the button is gone, so a toast
        feedback.show_toast(CONTACT_SLOT)
    if cl.done:
        st.success("责任单位都有联络员账号和联系方式,也已设置填报周期。", icon=":material/task_alt:")
        return

    def names(departments: list[dict]) -> str:
        shown = "、".join(u["name"] for u in departments[:8])
        return plain(shown + (f" 等 {len(departments)} 个" if len(departments) > 8 else ""))

    with st.container(border=True):
        if cl.no_account:
            st.markdown(f":orange[●] **{len(cl.no_account)} 个责任单位还没有联络员账号**:{names(cl.no_account)}")
            st.page_link(ACCOUNTS_PAGE, label="去“账号”页新建联络员账号", icon=":material/person_add:",
                         query_params={"department": str(cl.no_account[0]["department_id"])})
        if cl.no_contact:
            st.markdown(f":orange[●] **{len(cl.no_contact)} 个责任单位没有联系方式**(联络员邮箱或电话),"
                        f"收不到提醒:{names(cl.no_contact)}")
            options = {u["department_id"]: u["name"] for u in cl.no_contact}
            with st.popover("登记联络方式", icon=":material/contact_phone:"):
                st.selectbox("单位", list(options), format_func=options.get, key="imp_contact_unit")
                st.text_input("联络员姓名", key="imp_contact_name")
                st.text_input("电话", key="imp_contact_phone")
                st.text_input("电子邮箱", key="imp_contact_email")
                st.button("保存", key="imp_contact_save", type="primary", on_click=_save_contact,
                          args=(db, actor, options))
                feedback.show(CONTACT_SLOT)  # the result beside the button that saved it
        if not cl.has_cycle:
            st.markdown(":orange[●] **尚未设置填报周期**:没有任务到期时,责任单位也应按周期报送进展。")
            st.page_link(CYCLES_PAGE, label="去“填报周期”页设置", icon=":material/event_repeat:",
                         query_params={"plan": str(plan_id)})
