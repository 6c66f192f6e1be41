"""节假日: the working-day calendar the office keeps itself, from the State Council's yearly notice.

The calendar is the whole country's: the system administrator and the whole database's office enter it, the
office of one place sees it read-only."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duban.access import SYSTEM_WIDE, require_settings_viewer
from duban.errors import DubanError
from duban.services import holidays
from ui import page
from ui.text import plain
from ui.widgets import dataframe

actor, db, today = page.start("节假日安排", "提醒只在工作日发送。系统自带的节假日数据每年更新一次;新一年的安排公布后,"
                               "可以在这里粘贴国务院办公厅的通知,系统读出放假和调休上班的日期,确认后即按此计算工作日。")
try:
    require_settings_viewer(actor)
except DubanError as e:
    st.error(str(e))
    st.stop()
manage = actor.manages_system

SOURCE = {"office": "已按本办录入的通知计算", "bundled": "使用系统自带的节假日数据", None: "没有节假日数据,暂按周一至周五计算"}
cov = holidays.coverage(db, today)
for y in cov["years"]:
    (st.success if y["source"] else st.warning)(f"{y['year']} 年:{SOURCE[y['source']]}。",
                                                 icon=":material/event_available:" if y["source"] else ":material/warning:")
if not manage:
    st.info(f"{SYSTEM_WIDE},本地区办公室只能查看。", icon=":material/lock:")

if manage:
    st.subheader("录入通知")
    text = st.text_area("通知全文", key="holiday_text", height=220,
                        placeholder="国务院办公厅关于2027年部分节假日安排的通知\n一、元旦:1月1日至3日放假调休,共3天。……")
    year = st.selectbox("年份", [None, today.year, today.year + 1, today.year + 2], key="holiday_year",
                        format_func=lambda y: "按通知标题" if y is None else f"{y} 年")
    if st.button("读取通知", key="holiday_read"):
        try:
            st.session_state["holiday_reading"] = holidays.read(text, year)
        except DubanError as e:
            st.session_state.pop("holiday_reading", None)
            st.error(plain(str(e)))

reading = st.session_state.get("holiday_reading") if manage else None
if reading is not None:
    st.info("请核对读出的日期:" + plain(reading.summary()))
    dataframe(pd.DataFrame(reading.rows()), hide_index=True, key="holiday_preview")
    if st.button(f"确认保存 {reading.year} 年节假日安排", type="primary", key="holiday_save"):
        try:
            n = holidays.save(db, actor, reading)
        except DubanError as e:
            st.error(plain(str(e)))
        else:
            st.session_state.pop("holiday_reading", None)
            st.success(f"已保存 {reading.year} 年节假日安排,共 {n} 天;提醒将按此跳过节假日。")

if cov["entered"]:
    st.subheader("本办已录入")
    dataframe(pd.DataFrame([{"年份": r["year"], "放假天数": r["days_off"], "调休上班天数": r["workdays"],
                                "录入时间": r["entered_at"]} for r in cov["entered"]]), hide_index=True,
                 key="holiday_years")
if cov["entered"] and manage:
    drop = st.selectbox("删除某一年的录入(恢复为系统自带数据)", [r["year"] for r in cov["entered"]], key="holiday_drop")
    if st.checkbox(f"确认删除 {drop} 年的录入", key="holiday_drop_confirm") and st.button("删除", key="holiday_drop_btn"):
        try:
            holidays.remove_year(db, actor, int(drop))
            st.success(f"已删除 {drop} 年的录入。")
        except DubanError as e:
            st.error(plain(str(e)))
