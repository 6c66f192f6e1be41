"""The 总览's charts, built once per database state and filter (plotly figures take tens of milliseconds to build).

Each builder takes the data version and a key naming the filters; the data itself is passed unhashed
(leading underscore), since the version and key already say which data it is. st.plotly_chart copies a
figure before sending it, so one cached figure serves every session of the process.
"""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from duban.rules.names import ROLE_NAMES
from duban.rules.status import LIGHT_COLOURS, LIGHTS
from ui import widgets as w

MONTH_COLOURS = {"done": "#8ab4f8", "overdue": LIGHT_COLOURS["红"], "pending": "#5f6368"}
MONTH_BAR_MS = 26 * 24 * 3600 * 1000  # a bar a month wide, less a gap
MONTH_NAMES = {"done": "已完成", "overdue": "已逾期", "pending": "待完成"}


def stack_bars(fig, height: int) -> None:
    """Task counts stacked in horizontal bars, the longest list read top down."""
    fig.update_layout(barmode="stack", height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, traceorder="normal"),
                      yaxis=dict(autorange="reversed"),
                      xaxis_title="任务数")


@st.cache_resource(max_entries=64, show_spinner=False)
def plan_lights(version, key: str, _plans: list[dict], _labels: list[str]) -> go.Figure:
    """Each plan's tasks by light, a bar each; a bar carries [plan_id, light] for its click."""
    fig = go.Figure()
    for light in LIGHTS:
        fig.add_bar(y=_labels, x=[p[light] for p in _plans], name=f"{light}灯", orientation="h",
                    marker_color=LIGHT_COLOURS[light], customdata=[[p["plan_id"], light] for p in _plans],
                    hovertext=[p["full_label"] for p in _plans],
                    hovertemplate="%{hovertext}<br>" + f"{light}灯" + ":%{x} 项<extra></extra>")
    stack_bars(fig, 80 + 40 * len(_plans))
    return fig


@st.cache_resource(max_entries=64, show_spinner=False)
def department_roles(version, key: str, _departments: list[dict]) -> go.Figure:
    """Each department's lead and co tasks; a bar carries [department_id, role]."""
    fig = go.Figure()
    for role, colour in (("lead", "#1a73e8"), ("co", "#a1c2fa")):
        fig.add_bar(y=[d["label"] for d in _departments], x=[d[role] for d in _departments], name=ROLE_NAMES[role],
                    orientation="h", marker_color=colour, customdata=[[d["department_id"], role] for d in _departments],
                    hovertemplate="%{y}<br>" + ROLE_NAMES[role] + ":%{x} 项<extra></extra>")
    stack_bars(fig, 60 + 30 * len(_departments))
    return fig


@st.cache_resource(max_entries=64, show_spinner=False)
def deadlines_by_month(version, key: str, today: dt.date, _months: list[dict]) -> go.Figure:
    """Deadline instances per month, done / overdue / pending, with a line at today; a bar carries [month]."""
    fig = go.Figure()
    xs = [f"{m['month']}-15" for m in _months]
    for kind in ("done", "overdue", "pending"):
        fig.add_bar(x=xs, y=[m[kind] for m in _months], name=MONTH_NAMES[kind], marker_color=MONTH_COLOURS[kind],
                    width=[MONTH_BAR_MS] * len(_months),
                    customdata=[[m["month"]] for m in _months],
                    hovertext=[w.cn_month(m["month"]) for m in _months],
                    hovertemplate="%{hovertext}<br>" + MONTH_NAMES[kind] + ":%{y} 个期次<extra></extra>")
    fig.add_shape(type="line", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1, yref="paper",
                  line=dict(color="#202124", dash="dot", width=1))
    fig.add_annotation(x=today.isoformat(), y=1, yref="paper", text="今天", showarrow=False, yanchor="bottom")
    fig.update_layout(barmode="stack", height=340, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", y=-0.2, traceorder="normal"), yaxis_title="期次数",
                      xaxis=dict(type="date", tickformat="%Y年%-m月", hoverformat="%Y年%-m月"))
    return fig
