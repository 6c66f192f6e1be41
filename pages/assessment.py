"""考核: each member unit's score under the rule written on this page, with its breakdown, for a chosen period."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from duban.errors import DubanError
from duban.reports import assessment_view as assessment
from ui import page
from ui import scope as choices
from ui import widgets as w

actor, db, today = page.start("考核", flash_key="assess_flash")

rule = assessment.get_rule(db)
st.markdown("#### 计分规则")
st.info(rule.text(), icon=":material/rule:")
if actor.is_office:
    with st.expander("调整计分规则"), st.form("rule_form"):
        values = {}
        cols = st.columns(4)
        for n, (key, label) in enumerate(assessment.FIELD_LABELS.items()):
            values[key] = cols[n % 4].number_input(label, min_value=0.0, value=float(asdict(rule)[key]), step=1.0,
                                                   key=f"rule_{key}")
        if st.form_submit_button("保存规则"):
            try:
                assessment.save_rule(db, actor, **values)
                st.session_state["assess_flash"] = [("ok", "计分规则已保存,得分已按新规则重新计算。")]
                st.rerun()
            except DubanError as e:
                st.error(w.plain_markdown(str(e)))

st.markdown("#### 考核期")
pick = st.radio("考核期", assessment.period_choices(db, actor), horizontal=True, key="assess_period",
                label_visibility="collapsed")
custom = None
if pick == assessment.CUSTOM:
    c1, c2 = st.columns(2)
    custom = (c1.date_input("开始日期", value=assessment.year_start(today), key="assess_start"),
              c2.date_input("结束日期", value=today, key="assess_end"))
start, end = assessment.resolve_period(db, actor, pick, today, custom)

plan_labels = choices.plan_labels(db, actor)
c1, c2 = st.columns(2)
plan_id = c1.selectbox("规划", [None] + list(plan_labels), key="assess_plan",
                       format_func=lambda p: "全部规划" if p is None else plan_labels[p])

try:
    result = assessment.evaluate(db, actor, start, end, today, plan_id=plan_id)
except DubanError as e:
    st.error(w.plain_markdown(str(e)))
    st.stop()

place = c2.selectbox("地区", assessment.places(result), key="assess_place")
export = assessment.in_one_place(result, place)
rows = export["rows"]
st.caption(f"考核期 {w.cn_date(result['start'])} 至 {w.cn_date(result['end'])}(计算截至 {w.cn_date(result['as_of'])}),满分 {result['max_score']:g} 分,"
           f"共 {len(rows)} 个单位。")


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


# these columns fit a 1,280 px screen beside the menu; each part's points are in 单位得分明细 and the exports
table = pd.DataFrame([{
    "名次": "—" if r["rank"] is None else str(r["rank"]), "地区": r["jurisdiction"] or "", "单位": r["department"],
    "得分": "—" if r["score"] is None else f"{r['score']:.1f}", "按时完成率": pct(r["completion_rate"]),
    "按时填报率": pct(r["report_rate"]), "逾期事项": r["overdue_items"], "逾期天数": r["overdue_days"],
    "退回报告": r["returned"],
} for r in rows])
WIDTHS = {"名次": 45, "地区": 65, "单位": 235, "得分": 55, "按时完成率": 88, "按时填报率": 88, "逾期事项": 70,
          "逾期天数": 70, "退回报告": 70}
if rows:
    w.dataframe(table, hide_index=True, width="stretch", key="assess_table",
                column_config={c: st.column_config.Column(width=px) for c, px in WIDTHS.items()})
    st.caption(f"名次、得分为“—”的单位:{assessment.NOTHING_DUE},不参加排名。各项得分与扣分见下方“单位得分明细”,"
               "导出的表格列出全部分项。")
else:
    st.info("该范围内没有承担任务的单位。")

d1, d2 = st.columns(2)
files = assessment.files(export)
d1.download_button("导出 Excel", data=files["xlsx"][1], file_name=files["xlsx"][0],
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="assess_xlsx")
d2.download_button("导出 CSV", data=files["csv"][1], file_name=files["csv"][0], mime="text/csv", key="assess_csv")

if rows:
    st.markdown("#### 单位得分明细")
    labels = {r["department_id"]: f"{r['jurisdiction'] or ''} · {r['department']}" for r in rows}
    department_id = st.selectbox("单位", list(labels), format_func=labels.get, key="assess_department")
    r = next(x for x in rows if x["department_id"] == department_id)
    st.markdown(
        f"- 基础分:**{r['base']:g}**\n"
        f"- 按时完成:到期牵头事项 {r['lead_due']} 项,按时销号 {r['on_time']} 项,按时完成率 {pct(r['completion_rate'])},"
        f"得 **{r['completion_points']:g}** 分\n"
        f"- 按时填报:到期事项 {r['report_due']} 项,按时报送 {r['reported']} 项,按时填报率 {pct(r['report_rate'])},"
        f"得 **{r['report_points']:g}** 分\n"
        f"- 逾期:仍逾期 {r['overdue_items']} 项,考核期内逾期 {r['overdue_days']} 天,扣 **{r['overdue_penalty']:g}** 分\n"
        f"- 退回:被退回报告 {r['returned']} 份,扣 **{r['returned_penalty']:g}** 分\n"
        + (f"- 合计:**{r['score']:g}** 分(第 {r['rank']} 名)" if r["rank"] is not None
           else f"- {r['note']},不参加排名"))
    if st.button("生成该单位年度履职情况报告草稿", key="assess_duty"):
        try:
            st.session_state["assess_duty_file"] = assessment.duty_draft(db, actor, department_id, end.year, today)
        except DubanError as e:
            st.error(w.plain_markdown(str(e)))
    made = st.session_state.get("assess_duty_file")
    if made:
        st.download_button(f"下载 {w.plain_markdown(made[0])}", data=made[1], file_name=made[0], key="assess_duty_download")
