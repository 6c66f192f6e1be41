"""导入: upload a plan document, review and correct what was read from it, and save it only when confirmed."""
from __future__ import annotations

import copy
import datetime as dt
import math
import re

import pandas as pd
import streamlit as st

from duban import clock
from duban.errors import DubanError, InputError
from duban.extract import ExtractionError, extract_bytes
from duban.services import plans
from ui import widgets as w
from ui.session import get_db, require_actor

TASKS_PAGE = "pages/tasks.py"
FILE_TYPES = ["txt", "docx", "pdf", "html", "htm"]
FREQ_NAMES = {"yearly": "每年", "semiannual": "每半年", "quarterly": "每季度", "monthly": "每月"}
KIND_CHOICES = ["一次性", *FREQ_NAMES.values()]
NATURES = ["约束性", "预期性"]
STATE_KEYS = ("imp_digest", "imp_name", "imp_extraction", "imp_tasks", "imp_deadlines", "imp_indicators",
              "imp_title", "imp_jurisdiction", "imp_issuer", "imp_doc_number", "imp_published", "imp_start", "imp_end")
SPLIT = re.compile(r"[、,,;;\s]+")

actor = require_actor()
db = get_db()
today = clock.today()

st.title("导入规划")
st.caption("上传规划文件(.txt / .docx / .pdf / .html),系统识别出重点任务、责任单位、期限和指标后,"
           "请逐项核对、修改,确认无误后再保存。点击“确认导入”之前,不会写入任何数据。")

if flash := st.session_state.pop("imp_flash", None):
    st.success(w.plain_markdown(flash["text"]))
    st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                 query_params={"plan": str(flash["plan_id"])})


def blank(value) -> bool:
    """An empty cell: None, NaN, NaT or whitespace."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def text(value) -> str | None:
    return None if blank(value) else str(value).strip()


def whole(value, what: str) -> int | None:
    if blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}应为整数:{value!r}") from None
    if number != int(number):
        raise InputError(f"{what}应为整数:{value!r}")
    return int(number)


def names(value) -> list[str]:
    """Unit names from a cell: separated by 、 , ; or spaces."""
    return [n for n in SPLIT.split(text(value) or "") if n]


def iso(value) -> str | None:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def as_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# ---- tables built from an extraction, and an extraction rebuilt from the edited tables

def task_table(ex: dict) -> pd.DataFrame:
    rows = []
    for i, t in enumerate(ex["tasks"]):
        lead = list(t.get("lead") or [])
        rows.append({"序号": t.get("seq") or i + 1, "编号": t.get("number") or "", "任务名称": t.get("title") or "",
                     "牵头单位": "、".join(lead),
                     "配合单位": "、".join(u for u in t.get("units") or [] if u not in lead),
                     "原文": (t.get("text") or "")[:200], "_key": i})
    return pd.DataFrame(rows, columns=["序号", "编号", "任务名称", "牵头单位", "配合单位", "原文", "_key"])


def deadline_table(ex: dict) -> pd.DataFrame:
    rows = []
    for i, t in enumerate(ex["tasks"]):
        for d in t.get("deadlines") or []:
            recurring = d.get("kind") == "recurring"
            rows.append({"任务序号": t.get("seq") or i + 1, "原文表述": d.get("phrase") or "",
                         "类型": FREQ_NAMES.get(d.get("freq") or "yearly") if recurring else "一次性",
                         "日期": None if recurring else as_date(d.get("due")),
                         "月": d.get("month") if recurring else None, "日": d.get("day") if recurring else None})
    table = pd.DataFrame(rows, columns=["任务序号", "原文表述", "类型", "日期", "月", "日"])
    table["日期"] = table["日期"].astype("object")
    for col in ("月", "日"):
        table[col] = pd.array(table[col], dtype="Int64")
    return table


def indicator_table(ex: dict) -> pd.DataFrame:
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


def rebuild(original: dict, meta: dict, tasks_df: pd.DataFrame, deadlines_df: pd.DataFrame,
            indicators_df: pd.DataFrame) -> dict:
    """The extraction as corrected in the tables; InputError (Chinese) for a cell that cannot be right."""
    ex = copy.deepcopy(original)
    ex.update(meta)
    tasks, by_seq = [], {}
    for n, row in enumerate(tasks_df.to_dict("records"), 1):
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["tasks"][key] if key is not None else {}
        title = text(row.get("任务名称"))
        if not title:
            raise InputError(f"任务表第 {n} 行缺少任务名称。")
        lead, co = names(row.get("牵头单位")), names(row.get("配合单位"))
        wanted = list(dict.fromkeys(lead + co))
        if not wanted:
            raise InputError(f"任务“{title}”没有责任单位。")
        written = [u for u in old.get("units") or [] if u in wanted]
        units = written + [u for u in wanted if u not in written]
        seq = whole(row.get("序号"), f"任务“{title}”的序号") or (max(by_seq, default=0) + 1)
        if seq in by_seq:
            raise InputError(f"任务序号 {seq} 重复,请改为不同的序号。")
        task = {**old, "seq": seq, "number": text(row.get("编号")), "title": title, "lead": lead or units[:1],
                "units": units, "deadlines": [], "path": old.get("path") or [],
                "lead_explicit": bool(lead) and (old.get("lead_explicit", True) or lead != list(old.get("lead") or [])),
                "text": old.get("text") or title, "ongoing": bool(old.get("ongoing"))}
        by_seq[seq] = task
        tasks.append(task)
    for n, row in enumerate(deadlines_df.to_dict("records"), 1):
        if all(blank(v) for v in row.values()):
            continue
        seq = whole(row.get("任务序号"), f"期限表第 {n} 行的任务序号")
        if seq not in by_seq:
            raise InputError(f"期限表第 {n} 行的任务序号 {seq if seq is not None else '(空)'} 不在任务表中。")
        kind = text(row.get("类型")) or "一次性"
        phrase = text(row.get("原文表述"))
        if kind == "一次性":
            due = iso(row.get("日期"))
            if not due:
                raise InputError(f"期限表第 {n} 行是一次性期限,请填写日期。")
            by_seq[seq]["deadlines"].append({"kind": "once", "due": due, "phrase": phrase})
        else:
            freq = next((k for k, v in FREQ_NAMES.items() if v == kind), None)
            if freq is None:
                raise InputError(f"期限表第 {n} 行的类型“{kind}”无法识别。")
            by_seq[seq]["deadlines"].append({
                "kind": "recurring", "freq": freq, "month": whole(row.get("月"), f"期限表第 {n} 行的月"),
                "day": whole(row.get("日"), f"期限表第 {n} 行的日"), "phrase": phrase})
    ex["tasks"] = sorted(tasks, key=lambda t: t["seq"])
    indicators = []
    for n, row in enumerate(indicators_df.to_dict("records"), 1):
        if all(blank(v) for k, v in row.items() if k != "_key"):
            continue
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["indicators"][key] if key is not None else {"table": None}
        name = text(row.get("指标名称"))
        if not name:
            raise InputError(f"指标表第 {n} 行缺少指标名称。")
        indicators.append({**old, "category": text(row.get("类别")), "number": text(row.get("编号")), "name": name,
                           "baseline": text(row.get("基期值")),
                           "baseline_year": whole(row.get("基期年份"), f"指标“{name}”的基期年份"),
                           "target": text(row.get("目标值")),
                           "target_year": whole(row.get("目标年份"), f"指标“{name}”的目标年份"),
                           "nature": text(row.get("属性")), "responsible": names(row.get("责任单位"))})
    ex["indicators"] = indicators
    return ex


def reset() -> None:
    for key in STATE_KEYS:
        st.session_state.pop(key, None)


# ---- the file
# a new key after each saved import empties the upload box
w.chinese_file_uploader("也可将文件拖放到此处 · 支持 TXT、DOCX、PDF、HTML,"
                        f"单个文件不超过 {st.get_option('server.maxUploadSize')} MB")
upload = st.file_uploader("选择规划文件", type=FILE_TYPES, key=f"imp_file_{st.session_state.setdefault('imp_round', 0)}")
if upload is None:
    reset()
    st.info("请先选择要导入的规划文件。")
    st.stop()

data = upload.getvalue()
digest = plans.source_hash(data)
if st.session_state.get("imp_digest") != digest:
    reset()
    try:
        extraction = extract_bytes(data, upload.name, reference_date=today)
    except ExtractionError as e:
        st.error(f"无法识别该文件:{w.plain_markdown(str(e))}")
        st.stop()
    st.session_state.update(imp_digest=digest, imp_name=upload.name, imp_extraction=extraction)
original = st.session_state["imp_extraction"]

# a file already stored needs no review at all
try:
    first_check = plans.check_import(db, actor, original, upload.name, data)
except InputError:
    first_check = None
if first_check is not None and first_check.kind in ("unchanged", "old_version"):
    st.info(w.plain_markdown(first_check.message), icon=":material/info:")
    st.page_link(TASKS_PAGE, label="查看该规划的任务", icon=":material/arrow_forward:",
                 query_params={"plan": str(first_check.plan_id)})
    st.stop()

# ---- review: the plan
st.subheader("规划信息")
period = original.get("period") or {}
c = st.columns([3, 1])
title = c[0].text_input("规划标题", value=original.get("title") or "", key="imp_title")
jurisdiction = c[1].text_input("地区", value=original.get("jurisdiction") or "", key="imp_jurisdiction")
c = st.columns([2, 2, 1, 1, 1])
issuer = c[0].text_input("发文机关", value=original.get("issuer") or "", key="imp_issuer")
doc_number = c[1].text_input("文号", value=original.get("doc_number") or "", key="imp_doc_number")
limits = dict(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31), format="YYYY-MM-DD")
published = c[2].date_input("发布日期", value=as_date(original.get("published")), key="imp_published", **limits)
start = c[3].date_input("规划期起", value=as_date(period.get("start")), key="imp_start", **limits)
end = c[4].date_input("规划期止", value=as_date(period.get("end")), key="imp_end", **limits)
meta = {"title": title.strip() or None, "jurisdiction": jurisdiction.strip() or None, "issuer": issuer.strip() or None,
        "doc_number": doc_number.strip() or None, "published": iso(published),
        "period": {"start": iso(start), "end": iso(end)}}

# ---- review: tasks, deadlines, indicators
st.subheader(f"重点任务({len(original['tasks'])} 项)")
st.caption("牵头单位、配合单位可填多个,用顿号“、”分隔。可在表格末尾添加任务,或选中行后删除。")
tasks_df = st.data_editor(
    task_table(original), key="imp_tasks", num_rows="dynamic", hide_index=True, width="stretch",
    disabled=["原文"], placeholder="", height=min(36 * (len(original["tasks"]) + 2) + 4, 480),
    column_config={
        "_key": None,
        "序号": st.column_config.NumberColumn(min_value=1, step=1, width="small"),
        "编号": st.column_config.TextColumn(width="small"),
        "任务名称": st.column_config.TextColumn(width="medium", required=True),
        "牵头单位": st.column_config.TextColumn(width="medium"),
        "配合单位": st.column_config.TextColumn(width="medium"),
        "原文": st.column_config.TextColumn("原文(节选)", width="medium"),
    })

st.subheader("期限")
st.caption("每行一个期限:“任务序号”对应上表的序号。一次性期限填日期;周期期限填月、日(不填则为该周期的最后一天)。"
           "没有期限的任务以规划期末为期限。")
deadlines_df = st.data_editor(
    deadline_table(original), key="imp_deadlines", num_rows="dynamic", hide_index=True, width="stretch",
    placeholder="",
    column_config={
        "任务序号": st.column_config.NumberColumn(min_value=1, step=1, width="small", required=True),
        "原文表述": st.column_config.TextColumn(width="large"),
        "类型": st.column_config.SelectboxColumn(options=KIND_CHOICES, width="small", required=True),
        "日期": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
        "月": st.column_config.NumberColumn(min_value=1, max_value=12, step=1, width="small"),
        "日": st.column_config.NumberColumn(min_value=1, max_value=31, step=1, width="small"),
    })

st.subheader(f"指标({len(original.get('indicators') or [])} 个)")
indicators_df = st.data_editor(
    indicator_table(original), key="imp_indicators", num_rows="dynamic", hide_index=True, width="stretch",
    placeholder="",
    column_config={
        "_key": None,
        "指标名称": st.column_config.TextColumn(width="large"),
        "基期年份": st.column_config.NumberColumn(min_value=1990, max_value=2100, step=1, format="%d"),
        "目标年份": st.column_config.NumberColumn(min_value=1990, max_value=2100, step=1, format="%d"),
        "属性": st.column_config.SelectboxColumn(options=NATURES),
    })

# ---- what saving would do
st.divider()
problem, check, corrected = None, None, None
try:
    corrected = rebuild(original, meta, tasks_df, deadlines_df, indicators_df)
    check = plans.check_import(db, actor, corrected, upload.name, data)
except DubanError as e:
    problem = str(e)

if problem:
    st.error(w.plain_markdown(problem))
elif check.kind in ("unchanged", "old_version"):
    st.info(w.plain_markdown(check.message))
    st.stop()
elif check.kind == "revision":
    st.warning(w.plain_markdown(check.message) + "请核对以下变更,确认后才会更新。", icon=":material/difference:")
    diff = check.diff
    counts = diff.counts()
    cols = st.columns(len(counts))
    for col, (label, n) in zip(cols, counts.items(), strict=True):
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
