"""Small pieces several pages share: lights, Chinese dates, and the plan / jurisdiction / department / light filters."""
from __future__ import annotations

import re
from typing import Any

import streamlit as st

from duban.access import Actor
from duban.rules.dates import cn_date, cn_month  # noqa: F401 (pages write w.cn_date / w.cn_month)
from duban.rules.indicators import GREY
from duban.rules.names import ROLE_NAMES
from duban.rules.status import LIGHT_COLOURS, LIGHTS, STATUSES
from duban.services import overview
from ui import feedback
from ui.text import plain, plain_table

# the task lights, and 灰 for an indicator with nothing to judge it by yet
LIGHT_MARKS = {**{x: f"● {x}灯" for x in LIGHTS}, GREY: f"○ {GREY}灯"}  # plain text (tables, select boxes)
LIGHT_BADGE_COLOURS = {"红": "red", "黄": "orange", "绿": "green", GREY: "gray"}
LIGHT_LABELS = {x: f":{LIGHT_BADGE_COLOURS[x]}[{m[0]}] {x}灯" for x, m in LIGHT_MARKS.items()}  # markdown (metrics, links)
DUE_NAMES = {"overdue": "已逾期", "30": "30天内到期", "90": "90天内到期"}
# the query parameters the task list understands, in the order they are shown
FILTER_KEYS = ("plan", "jurisdiction", "department", "role", "light", "status", "due", "month", "q")
FILTER_NAMES = {"jurisdiction": "地区", "plan": "规划", "department": "责任部门", "light": "灯色", "status": "状态",
                "role": "牵头/配合", "due": "期限", "month": "月份"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def light_badge(light: str | None) -> str:
    """Markdown for a coloured 红灯 / 黄灯 / 绿灯 (or 灰灯) badge."""
    if light not in LIGHT_BADGE_COLOURS:
        return "—"
    return f":{LIGHT_BADGE_COLOURS[light]}-badge[● {light}灯]"


STYLED_ROWS_MAX = 2000  # pandas styling costs about 0.15 ms a row; a longer table stays plain


def light_styler(table, columns: tuple[str, ...] = ("灯色",), alert_columns: tuple[str, ...] = ()):
    """A pandas Styler colouring the light column(s) red / amber / green, and alert columns red
    (a very long table is returned as it is: its lights still read 红灯 / 黄灯 / 绿灯)."""
    if len(table) > STYLED_ROWS_MAX:
        return table
    def colour(value: object) -> str:
        for light, hex_colour in LIGHT_COLOURS.items():
            if isinstance(value, str) and value.endswith(f"{light}灯"):
                return f"color: {hex_colour}; font-weight: 600"
        return ""

    styler = table.style
    present = [c for c in columns if c in table.columns]
    if present:
        styler = styler.map(colour, subset=present)
    alerts = [c for c in alert_columns if c in table.columns]
    if alerts:
        styler = styler.map(lambda v: f"color: {LIGHT_COLOURS['红']}; font-weight: 600" if v else "", subset=alerts)
    return styler


def days_text(days: int) -> str:
    """逾期 12 天 / 今天到期 / 还有 5 天."""
    if days < 0:
        return f"逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还有 {days} 天"


def params_of(keys: tuple[str, ...] = FILTER_KEYS) -> dict[str, str]:
    """The filter query parameters present in the page's address."""
    return {k: st.query_params[k] for k in keys if st.query_params.get(k) not in (None, "")}


def id_param(value: Any) -> int | None:
    """A record number from the address (?task=12): a whole number a database row can have, else None."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pick(label: str, options: list, labels: dict, wanted: Any, key: str, container) -> Any:
    """A selectbox whose first choice is 全部 (None); starts at the address's value when it is valid."""
    choices = [None] + list(options)
    index = choices.index(wanted) if wanted in choices else 0
    return container.selectbox(label, choices, index=index, key=key,
                               format_func=lambda v: "全部" if v is None else labels.get(v, str(v)))


def filter_sidebar(db, actor: Actor, prefix: str, *, with_status: bool = False, options: dict | None = None) -> dict:
    """The 规划 / 地区 / 部门 / 灯色 (and optionally 状态) filters in the sidebar, starting from the address's
    query parameters; returns the chosen values keyed like the query parameters (ids as int)."""
    options = options or overview.filter_options(db, actor)
    qp = params_of()
    box = st.sidebar
    box.markdown("**筛选**")
    jurisdictions = {j["id"]: j["name"] for j in options["jurisdictions"]}
    jurisdiction = _pick("地区", list(jurisdictions), jurisdictions, _int(qp.get("jurisdiction")),
                         f"{prefix}_jurisdiction", box)
    plans = {p.id: (f"{p.jurisdiction} · {p.label}" if p.jurisdiction else p.label)
             for p in options["plans"] if jurisdiction is None or p.jurisdiction_id == jurisdiction}
    plan = _pick("规划", list(plans), plans, _int(qp.get("plan")), f"{prefix}_plan", box)
    departments = {d.id: d.label for d in options["departments"]
                   if jurisdiction is None or d.jurisdiction_id == jurisdiction}
    department = _pick("责任部门", list(departments), departments, _int(qp.get("department")),
                       f"{prefix}_department", box)
    light = _pick("灯色", list(LIGHTS), LIGHT_MARKS, qp.get("light"), f"{prefix}_light", box)
    chosen = {"jurisdiction": jurisdiction, "plan": plan, "department": department, "light": light}
    if with_status:
        chosen["status"] = _pick("状态", list(STATUSES), {}, qp.get("status"), f"{prefix}_status", box)
    return {k: v for k, v in chosen.items() if v is not None}


def link_conditions(qp: dict[str, str]) -> dict[str, str]:
    """The conditions only a link from 总览 sets (role / due / month), those of them that make sense."""
    valid = {"role": lambda v: v in ROLE_NAMES, "due": lambda v: v in DUE_NAMES,
             "month": lambda v: bool(_MONTH.fullmatch(v))}
    return {k: qp[k] for k, ok in valid.items() if k in qp and ok(qp[k])}


def ignored_filters(chosen: dict, keys: tuple[str, ...]) -> list[str]:
    """Names of the filters in the address that could not be applied: unknown values, or outside the user's view."""
    qp = params_of(keys)
    return [FILTER_NAMES[k] for k in keys if k in qp and str(chosen.get(k)) != qp[k]]


def note_ignored(names: list[str]) -> None:
    """Say that some of the link's filters were left out, rather than quietly showing everything."""
    if names:
        st.warning(f"链接中的筛选条件({'、'.join(names)})无效或无权查看,已忽略。", icon=":material/filter_alt_off:")


def sync_query_params(values: dict, keys: tuple[str, ...] = FILTER_KEYS) -> None:
    """Keep the address in step with the filters, so a filtered view can be bookmarked or sent on."""
    for k in keys:
        v = values.get(k)
        if v in (None, ""):
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != str(v):
            st.query_params[k] = str(v)
    # and the browser's address bar in step with the page: after a link back to the page it is on (a task's
    # 返回任务列表) it still showed the task's ?task=, so a refresh or a bookmark reopened the task
    st.query_params.update()


def link_params(values: dict, **extra: Any) -> dict[str, str]:
    """Query parameters for a link to the task list: the current filters plus the number's own."""
    merged = {**values, **extra}
    return {k: str(v) for k, v in merged.items() if v not in (None, "")}


plain_markdown = plain  # the one escaping rule, in ui.text


def dataframe(data, **kwargs):
    """st.dataframe with text cells that stay text when the table is downloaded (see ui.text.plain_table)."""
    return st.dataframe(plain_table(data), **kwargs)


def chinese_file_uploader(instructions: str) -> None:
    """Replace the upload box's built-in English ("Upload", the size limit line) with Chinese text."""
    drop = '[data-testid="stFileUploaderDropzone"]'
    st.html(f"""<style>
{drop} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
{drop} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {{
    content: "选择文件"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{instructions}"; font-size: 0.875rem; }}
</style>""")


# the English tooltips of a table's toolbar buttons (found by the hovered button's label), said in Chinese
TABLE_TOOLBAR_TIPS = {"Show/hide columns": "显示/隐藏列", "Download as CSV": "下载为 CSV 文件", "Search": "在表中搜索",
                      "Fullscreen": "全屏显示", "Close fullscreen": "退出全屏"}


def _toolbar_tips_css() -> str:
    tip = '[data-testid="stTooltipContent"] p'
    return "\n".join(
        f'body:has([data-testid="stElementToolbar"] button[aria-label="{en}"]:hover) {tip} {{ font-size: 0; }}\n'
        f'body:has([data-testid="stElementToolbar"] button[aria-label="{en}"]:hover) {tip}::after {{ '
        f'content: "{zh}"; font-size: 0.875rem; }}' for en, zh in TABLE_TOOLBAR_TIPS.items())


def frame_style() -> None:
    """Page-wide style the frame adds once a run: hides Streamlit's English key hints under text boxes
    ("Press Enter to apply", "Press ⌘+Enter to submit form"; a form or button saves the input anyway), says
    "没有匹配的选项" instead of "No results" in a searched drop-down list and the tables' toolbar tips in
    Chinese, and lets number labels and links wrap on a narrow screen instead of ending in "…"."""
    st.html(f"<style>\n{_toolbar_tips_css()}\n</style>")
    st.html("""<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] p,
[data-testid="stPageLink"] a span, [data-testid="stPageLink"] p {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[role="listbox"][data-empty="true"] [role="option"] span { font-size: 0; }
[role="listbox"][data-empty="true"] [role="option"] span::after { content: "没有匹配的选项"; font-size: 0.875rem; }
</style>""")


def confirm_button(label: str, question: str, confirm_label: str, *, key: str, on_click=None, args: tuple = (),
                   icon: str | None = None, type: str = "secondary", disabled: bool = False,
                   box_key: str | None = None, result_slot: str | None = None) -> bool:
    """A button for something hard to undo: it opens a small panel that says what will happen, and only the
    panel's own button (key=`key`) does it; returns whether that button was clicked. With `box_key` the panel
    is that record's own (open or closed in st.session_state[box_key], never reopening on a neighbour), and
    `result_slot`'s result (ui.feedback) is shown in it, under its button."""
    with st.popover(label, icon=icon, type=type, disabled=disabled, key=box_key,
                    on_change="rerun" if box_key else "ignore"):
        st.markdown(question)
        clicked = st.button(confirm_label, key=key, type="primary", on_click=on_click, args=args)
        if result_slot:
            feedback.show(result_slot)
        return clicked
