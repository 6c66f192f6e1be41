"""Indicator tables: allocation tables (row label + column header), tables copied one cell per line with
a cell broken over two lines and a total row, header under title rows, and categories taken only from
what the document names (caption, section row, category column)."""
from __future__ import annotations

from duban.extract import extract_text

TASK = ["二、重点任务", "（一）实施引才工程。引进青年人才。（责任单位：市委组织部、市人社局）"]


def indicators(lines: list[str]) -> list[dict]:
    return extract_text("\n".join(["云岭市人才发展“十四五”规划"] + TASK + lines), "规划.txt")["indicators"]


ALLOCATION = [
    "附表2",
    "各县“十四五”人才引进任务分配表",
    "序号", "县区", "引进人才（名）", "新建平台（个）", "责任单位",
    "1", "东川县", "300-400", "2", "东川县人民", "政府",
    "2", "西川县", "150", "1", "西川县人民政府",
    "合计", "450-550", "3",
    "注：数据为计划数",
]


def test_allocation_table_one_cell_per_line():
    rows = [(i["table"], i["number"], i["name"], i["target"], i["target_year"], i["responsible"], i["baseline"])
            for i in indicators(ALLOCATION)]
    table = "各县“十四五”人才引进任务分配表"
    assert rows == [
        (table, "1", "东川县引进人才（名）", "300-400", 2025, ["东川县人民政府"], None),
        (table, "1", "东川县新建平台（个）", "2", 2025, ["东川县人民政府"], None),
        (table, "2", "西川县引进人才（名）", "150", 2025, ["西川县人民政府"], None),
        (table, "2", "西川县新建平台（个）", "1", 2025, ["西川县人民政府"], None),
        (table, None, "引进人才（名）合计", "450-550", 2025, [], None),
        (table, None, "新建平台（个）合计", "3", 2025, [], None)]


def test_allocation_table_with_pipes_and_total_row():
    found = indicators([
        "表2 各镇“十四五”农田建设任务分解表",
        "序号 | 镇 | 高标准农田（万亩） | 责任单位",
        "1 | 东镇 | 1.2-1.5 | 东镇人民政府",
        "2 | 西镇 | 0.8 | 西镇人民政府",
        "合计 | 合计 | 2.0-2.3 | ",
    ])
    assert [(i["name"], i["target"], i["target_year"], i["responsible"]) for i in found] == [
        ("东镇高标准农田（万亩）", "1.2-1.5", 2025, ["东镇人民政府"]),
        ("西镇高标准农田（万亩）", "0.8", 2025, ["西镇人民政府"]),
        ("高标准农田（万亩）合计", "2.0-2.3", 2025, [])]


def test_a_table_of_figures_that_names_no_target_is_not_read():
    found = indicators([
        "序号 | 镇 | 常住人口（万人）",
        "1 | 东镇 | 3.2",
        "2 | 西镇 | 2.1",
    ])
    assert found == []


def test_indicator_table_one_cell_per_line_under_its_title():
    found = indicators([
        "附表1",
        "云岭市“十四五”人才发展主要指标",
        "序号", "指标", "2020年", "2025年", "属性",
        "1", "人才资源总量（万人）", "98", "120", "预期性",
        "2", "养老护理员数（人）", "800", "2000", "约束性",
    ])
    assert [(i["table"], i["category"], i["number"], i["name"], i["baseline"], i["baseline_year"], i["target"],
             i["target_year"], i["nature"]) for i in found] == [
        ("云岭市“十四五”人才发展主要指标", None, "1", "人才资源总量（万人）", "98", 2020, "120", 2025, "预期性"),
        # a name that sounds like elder care gets no category the document does not give
        ("云岭市“十四五”人才发展主要指标", None, "2", "养老护理员数（人）", "800", 2020, "2000", 2025, "约束性")]


def test_categories_from_caption_section_rows_and_header_under_title_rows():
    found = indicators([
        "表1 石门市产业方面主要指标",
        "石门市产业方面主要指标 | 石门市产业方面主要指标 | 石门市产业方面主要指标 | 石门市产业方面主要指标",
        "序号 | 指标名称 | 2022年 | 2025年",
        "1 | 茶园面积（万亩） | 12 | 15",
        "一、乡村旅游 | 一、乡村旅游 | 一、乡村旅游 | 一、乡村旅游",
        "2 | 星级农家乐数（家） | 40 | 60",
        "二、人居环境 |  |  | ",
        "3 | 卫生厕所普及率 | 85% | ≥95% ",
    ])
    assert [(i["category"], i["name"], i["baseline"], i["baseline_year"], i["target"]) for i in found] == [
        ("产业", "茶园面积（万亩）", "12", 2022, "15"),
        ("乡村旅游", "星级农家乐数（家）", "40", 2022, "60"),
        ("人居环境", "卫生厕所普及率", "85%", 2022, "≥95%")]


def test_category_column_as_written_with_merged_cells():
    found = indicators([
        "主要指标",
        "领域 | 序号 | 指标名称 | 2020年 | 2025年",
        "人才培养 | 1 | 技能人才总量（万人） | 20 | 30",
        " | 2 | 高技能人才占比 | 25% | 32%",
        "人才引进 | 3 | 年引进博士（名） | 50 | 120",
    ])
    assert [(i["category"], i["name"]) for i in found] == [
        ("人才培养", "技能人才总量（万人）"), ("人才培养", "高技能人才占比"), ("人才引进", "年引进博士（名）")]


def test_one_cell_per_line_with_section_rows_and_numbering_restarting_under_each():
    found = indicators([
        "附表1",
        "云岭市民生主要指标",
        "序号", "指标名称", "2023年", "2026年目标", "属性",
        "一、教育",
        "1", "普惠性幼儿园覆盖率", "85%", "≥90%", "约束性",
        "2", "义务教育巩固率", "——", "98%", "预期性",
        "二、卫生",
        "1", "每千人口执业医师数（人）", "2.9", "3.2", "预期性",
    ])
    assert [(i["category"], i["number"], i["name"], i["baseline"], i["baseline_year"], i["target"], i["target_year"])
            for i in found] == [
        ("教育", "1", "普惠性幼儿园覆盖率", "85%", 2023, "≥90%", 2026),
        ("教育", "2", "义务教育巩固率", None, 2023, "98%", 2026),
        ("卫生", "1", "每千人口执业医师数（人）", "2.9", 2023, "3.2", 2026)]
