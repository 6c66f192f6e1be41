"""The 指标 page's pieces: the table, the progress and path charts, one indicator's facts and record, its two forms."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import sqlite_utils
import streamlit as st

from duban.access import Actor
from duban.clock import local_time
from duban.errors import DubanError
from duban.rules.indicators import COMPARISONS, LIGHT_COLOURS_ALL, NATURES, normalise_comparison
from duban.services import indicator_actuals, indicator_corrections
from duban.services import indicator_board as board
from ui.widgets import LIGHT_LABELS, LIGHT_MARKS, dataframe, plain_markdown

WIDTHS = {"灯": 70, "状态": 70, "地区": 65, "指标": 190, "性质": 60, "基期值": 105, "目标值": 105, "最新实际值": 105,
          "应达值": 65, "责任单位": 80}


def _light_style(value: str) -> str:
    colour = LIGHT_COLOURS_ALL.get(value.lstrip("●○ ")[:1], "")
    return f"color: {colour}; font-weight: 600" if colour else ""


def _index_of(choices: list[str], value: str | None) -> int:
    return choices.index(value) if value in choices else 0


def table(rows: list[dict]) -> None:
    """The indicators as a table, each light in its colour."""
    frame = pd.DataFrame([{**line, "灯": LIGHT_MARKS[line["灯"]]} for line in board.table(rows)])
    dataframe(frame.style.map(_light_style, subset=["灯"]), hide_index=True, key="ind_table", column_config={
        "进度": st.column_config.NumberColumn("进度", format="%.0f%%", width=55, help="从基期值到目标值已完成的比例"),
        **{c: st.column_config.TextColumn(c, width=w) for c, w in WIDTHS.items()},
    })


def progress_chart(bars: list[dict]) -> go.Figure:
    """Each indicator's share of the way from baseline to target, with where it should be by now."""
    labels = [f"{r['jurisdiction'] or ''}·{r['name'][:16]}{'…' if len(r['name']) > 16 else ''}" for r in bars]
    positions = list(range(len(bars)))
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=positions, x=[min(r["progress"], 120) for r in bars], orientation="h", name="完成进度",
        marker_color=[LIGHT_COLOURS_ALL[r["light"]] for r in bars],
        text=[f"{r['progress']:.0f}%" for r in bars], textposition="outside",
        customdata=[[r["name"], r["latest_actual"] or "—", r["target"] or "—"] for r in bars],
        hovertemplate="%{customdata[0]}<br>实际 %{customdata[1]} / 目标 %{customdata[2]}<br>进度 %{x:.0f}%<extra></extra>",
    ))
    expected = [(p, r["expected_share"]) for p, r in zip(positions, bars, strict=True)
                if r["expected_share"] is not None and r["state"] != "已达标"]
    if expected:
        fig.add_trace(go.Scatter(y=[p for p, _ in expected], x=[e for _, e in expected], mode="markers",
                                 name="按期应达进度", marker={"symbol": "line-ns-open", "size": 16, "color": "#202124"}))
    fig.add_vline(x=100, line_dash="dash", line_color="#5f6368", annotation_text="目标", annotation_position="top")
    fig.update_layout(height=80 + 28 * len(bars), margin={"l": 10, "r": 30, "t": 30, "b": 30},
                      xaxis={"title": "完成进度(%)", "range": [0, 130]},
                      yaxis={"tickvals": positions, "ticktext": labels, "autorange": "reversed"},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, bargap=0.35)
    return fig


def path_chart(item: dict) -> go.Figure | None:
    """The planned path from baseline to target and the reported values; None for a target in words."""
    s = item["series"]
    fig = go.Figure()
    if s["baseline"] and s["target"]:
        fig.add_trace(go.Scatter(x=[s["baseline"][0], s["target"][0]], y=[s["baseline"][1], s["target"][1]],
                                 mode="lines+markers", name="规划路径", line={"dash": "dash", "color": "#5f6368"}))
    if s["target"]:
        fig.add_trace(go.Scatter(x=[s["target"][0]], y=[s["target"][1]], mode="markers", name="目标值",
                                 marker={"symbol": "star", "size": 16, "color": "#1a73e8"}))
    points = [(y, v, t) for y, v, t in s["actuals"] if v is not None]
    if points:
        fig.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="lines+markers+text",
                                 name="实际值", text=[p[2] for p in points], textposition="top center",
                                 line={"color": LIGHT_COLOURS_ALL[item["light"]], "width": 3}, marker={"size": 10}))
    if not fig.data:
        return None
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 40, "b": 30},
                      title={"text": item["name"], "font": {"size": 15}},
                      xaxis={"title": "年份", "dtick": 1}, yaxis={"title": s["unit"] or "数值"},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def facts(item: dict) -> None:
    """The indicator's name, light and facts as a list."""
    st.markdown(f"**{plain_markdown(item['name'])}**")
    note = f"({plain_markdown(item['note'])})" if item["note"] else ""
    st.markdown("\n".join([f"- 灯色: {LIGHT_LABELS[item['light']]} {plain_markdown(item['state'])}{note}",
                           *(f"- {label}:{plain_markdown(text)}" for label, text in item["facts"])]))


def history(item: dict) -> None:
    """Every value reported for the indicator, corrections marked."""
    st.markdown("**填报记录**(只增不改:同一年份再次填报即为更正,以最后一次为准)")
    dataframe(pd.DataFrame([{
        "年份": h["year"], "实际值": h["value"], "数据来源": h["source_note"] or "",
        "填报单位": h["reporter"], "填报人": h["display_name"] or h["username"] or ("演示数据" if h["is_demo"] else "—"),
        "填报时间": local_time(h["created_at"]), "说明": "已被更正" if h["superseded"] else "",
    } for h in item["history"]]), hide_index=True, key="ind_history")


def report_form(db: sqlite_utils.Database, actor: Actor, item: dict, today: dt.date) -> None:
    """A responsible unit (or the office) reports a year's actual value."""
    with st.form("ind_report_form", clear_on_submit=True):
        st.markdown("**填报实际值**")
        unit = item["measure_unit"]
        f1, f2 = st.columns([1, 2])
        year = f1.number_input("年份", min_value=1990, max_value=today.year, value=today.year - 1, step=1,
                               key="ind_rep_year")
        value = f2.text_input(f"实际值{'(单位:' + plain_markdown(unit) + ')' if unit else ''}", key="ind_rep_value",
                              placeholder="例如 56.2" if unit else "例如 已实现")
        note = st.text_input("数据来源", key="ind_rep_note", placeholder="例如 2025年民政统计年报")
        if st.form_submit_button("提交实际值", key="ind_rep_submit", type="primary"):
            try:
                indicator_actuals.report_actual(db, actor, item["id"], int(year), value, note, today=today)
            except DubanError as e:
                st.error(plain_markdown(str(e)))
            else:
                st.session_state["ind_flash"] = f"已填报 {int(year)} 年实际值。"
                st.rerun()


def correction_form(db: sqlite_utils.Database, actor: Actor, item: dict) -> None:
    """The office corrects what was read from the plan: name, category, nature, values, years, units."""
    departments = indicator_corrections.departments_for(db, actor, item["id"])
    department_names = {d["id"]: d["name"] for d in departments}
    k = item["id"]
    raw = item["fields"]
    with st.form(f"ind_fix_form_{k}"):
        name = st.text_input("指标名称", value=raw["name"], key=f"ind_fix_name_{k}")
        g1, g2, g3 = st.columns(3)
        cat = g1.text_input("类别", value=raw["category"] or "", key=f"ind_fix_category_{k}",
                            placeholder="可填写任意类别,如 养老、托育、教育")
        nat = g2.selectbox("性质", ["", *NATURES], index=_index_of(["", *NATURES], raw["nature"]),
                           format_func=lambda v: v or "未标注", key=f"ind_fix_nature_{k}")
        mu = g3.text_input("计量单位", value=raw["measure_unit"] or "", key=f"ind_fix_unit_{k}")
        h1, h2, h3, h4, h5 = st.columns(5)
        base = h1.text_input("基期值", value=raw["baseline"] or "", key=f"ind_fix_baseline_{k}")
        base_year = h2.text_input("基期年份", value=str(raw["baseline_year"] or ""), key=f"ind_fix_baseline_year_{k}")
        target = h3.text_input("目标值", value=raw["target"] or "", key=f"ind_fix_target_{k}")
        target_year = h4.text_input("目标年份", value=str(raw["target_year"] or ""), key=f"ind_fix_target_year_{k}")
        comp_options = ["", *COMPARISONS]
        comp = h5.selectbox("比较方式", comp_options,
                            index=_index_of(comp_options, normalise_comparison(raw["comparison"])),
                            format_func=lambda v: v or "按目标值", key=f"ind_fix_comparison_{k}")
        department_ids = st.multiselect("责任单位", list(department_names),
                               default=[d for d in item["unit_ids"] if d in department_names],
                               format_func=department_names.get, key=f"ind_fix_units_{k}",
                               placeholder="输入单位名称查找")
        if st.form_submit_button("保存修正", key=f"ind_fix_submit_{k}"):
            try:
                changed = indicator_corrections.correct_indicator(
                    db, actor, item["id"], name=name, category=cat, nature=nat, measure_unit=mu,
                    baseline=base, baseline_year=base_year, target=target, target_year=target_year,
                    comparison=comp, unit_ids=department_ids)
            except DubanError as e:
                st.error(plain_markdown(str(e)))
            else:
                st.session_state["ind_flash"] = (("已修正:" + "、".join(indicator_corrections.FIELD_LABELS.get(f, f) for f in changed))
                                                 if changed else "没有需要保存的修改。")
                st.rerun()
