"""Plans from other places and in other shapes: clause positions, task tables, numbering depths,
document-level rules, and the same plan as Word, HTML, PDF and in other text encodings."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fixtures.extract.builders import docx_bytes, html_bytes, pdf_bytes

from duban.extract import extract_bytes, extract_file, extract_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
JINGCHUAN = FIXTURES / "jingchuan_full_width.txt"


def brief(plan: dict) -> list[tuple]:
    return [(t["number"], t["title"], t["lead"], t["units"]) for t in plan["tasks"]]


def dues(task: dict) -> list:
    return [d.get("due") or (d["freq"], d.get("month"), d.get("day")) for d in task["deadlines"]]


@pytest.fixture(scope="module")
def jingchuan() -> dict:
    return extract_file(JINGCHUAN)


def test_full_width_city_plan_metadata(jingchuan):
    assert jingchuan["jurisdiction"] == "荆川市"
    assert jingchuan["issuer"] == "荆川市人民政府办公室"
    assert jingchuan["title"] == "荆川市“一老一小”整体解决方案"
    assert jingchuan["doc_number"] == "荆政办发〔2023〕12号"
    assert jingchuan["published"] == "2023-03-15"


def test_clauses_before_after_and_under_the_text(jingchuan):
    assert brief(jingchuan) == [
        ("1", "提升特困供养服务能力", ["市民政局"], ["市民政局", "市财政局", "市卫生健康委员会", "各县(市、区)人民政府"]),
        ("2", "完善托育服务体系", ["市卫生健康委员会"], ["市卫生健康委员会", "市教育局", "市人社局"]),
        ("3", "加强养老服务人才培养", ["市人力资源和社会保障局"], ["市人力资源和社会保障局", "市民政局"]),
        ("4", "建立特殊困难老年人探访制度", ["市民政局"], ["市民政局", "市卫健委", "市医保局"]),
        ("5", "推进适老化改造", ["市住房和城乡建设局"], ["市住房和城乡建设局", "市民政局", "市残疾人联合会"]),
    ]
    assert [t["lead_explicit"] for t in jingchuan["tasks"]] == [True, True, False, True, False]
    assert jingchuan["tasks"][0]["path"] == ["三、重点任务", "（一）织牢兜底保障网"]


def test_relative_phrases_use_the_publication_date(jingchuan):
    tasks = jingchuan["tasks"]
    assert dues(tasks[0]) == ["2024-06-30"]
    assert dues(tasks[1]) == ["2023-12-31", "2024-06-30"]
    assert dues(tasks[2]) == [("yearly", 12, 31), "2026-03-15"]
    assert dues(tasks[3]) == [("monthly", None, 28), ("quarterly", 1, 20), "2024-03-31"]
    assert dues(tasks[4]) == [] and tasks[4]["ongoing"] is True
    assert not any(t["ongoing"] for t in tasks[:4])


def test_reference_date_overrides_the_publication_date():
    plan = extract_file(JINGCHUAN, reference_date=date(2025, 1, 10))
    assert dues(plan["tasks"][1]) == ["2025-12-31", "2026-06-30"]


def test_goal_section_targets(jingchuan):
    found = [(i["name"], i["target"], i["target_year"], i["category"]) for i in jingchuan["indicators"]]
    assert found == [
        # the goal section names no categories of its own, so none is given
        ("全市养老机构护理型床位占比", "55%以上", 2025, None),
        ("每千人口拥有3岁以下婴幼儿托位数", "4.5个", 2025, None),
        ("普惠托位占比", "不低于60%", 2025, None),
    ]


def test_task_table_with_lead_and_co_columns():
    plan = extract_file(FIXTURES / "shuangling_task_table.txt")
    assert plan["title"] == "双岭市“十四五”养老服务体系建设重点任务分工方案"
    assert plan["period"] == {"start": "2021-01-01", "end": "2025-12-31"}
    tasks = plan["tasks"]
    assert [(t["number"], t["title"]) for t in tasks] == [
        ("1", "建立基本养老服务清单制度，明确服务对象和内容"), ("2", "完善特困人员供养服务设施"),
        ("3", "建设街道综合养老服务中心"), ("4", "推进医养结合服务"), ("（一）", "加强宣传引导"), ("（二）", "强化人才支撑")]
    assert tasks[0]["path"] == ["一、重点任务分工", "一、兜底保障"]
    assert tasks[2]["path"] == ["一、重点任务分工", "二、居家社区"]
    assert tasks[2]["units"] == ["市民政局", "市住建局", "市自然资源和规划局"]
    assert dues(tasks[0]) == ["2023-12-31"]
    assert dues(tasks[2]) == [("yearly", 12, 31)]
    assert tasks[3]["ongoing"] and dues(tasks[3]) == []
    # 排在第一位的为牵头单位: the bare list's first unit leads, stated by the document
    assert tasks[4]["lead"] == ["市委宣传部"] and tasks[4]["lead_explicit"] is True


def test_document_level_rules():
    plan = extract_file(FIXTURES / "baishui_rules.txt")
    tasks = plan["tasks"]
    assert plan["issuer"] == "白水市人民政府"
    # 无牵头单位的,责任单位即为牵头单位
    assert tasks[0]["lead"] == ["市卫生健康委", "市住房城乡建设局"] and tasks[0]["lead_explicit"]
    assert tasks[2]["lead"] == ["市教育局"]
    # 以下各项工作均需各区、市政府负责落实,不再一一列出
    assert all(t["units"][-1] == "各区、市政府" for t in tasks)
    assert [(t["number"], t["title"]) for t in tasks[2:]] == [
        ("(1)", "支持幼儿园开设托班"), ("①", "制定普惠托育收费标准"), ("②", "落实税费优惠"),
        ("第一条", "每半年召开一次联席会议，研究解决重点问题")]
    assert tasks[3]["path"][-1] == "(2)完善收费政策"
    assert dues(tasks[5]) == [("semiannual", None, None)]


def test_county_plan_in_gb18030_with_deeper_numbering():
    plan = extract_file(FIXTURES / "xishan_county_gb18030.txt")
    assert plan["jurisdiction"] == "西山县" and plan["doc_number"] == "西山府发〔2022〕7号"
    tasks = plan["tasks"]
    assert [(t["number"], t["title"]) for t in tasks] == [
        ("（1）", "推进乡镇敬老院转型"), ("①", "新建村级互助养老点30个"), ("②", "改造闲置校舍用于养老服务"),
        ("2", "居家上门服务"), (None, "落实用地保障"), (None, "落实资金保障")]
    assert tasks[0]["path"] == ["二、主要任务", "（一）完善养老服务网络", "1．乡镇服务中心建设"]
    assert tasks[0]["units"] == ["县民政局", "县财政局", "各乡镇(街道)"] and tasks[0]["lead"] == ["县民政局"]
    assert dues(tasks[3]) == [("quarterly", None, None)]
    table = [i for i in plan["indicators"] if i["table"]]
    assert [(i["name"], i["baseline"], i["baseline_year"], i["target"], i["target_year"], i["nature"], i["category"])
            for i in table] == [
        # the category column as written; its empty cell was merged with the one above
        ("养老服务床位数（张）", "860", 2020, "1200", 2025, "预期性", "养老服务"),
        ("护理型床位占比", "38%", 2020, "≥55%", 2025, "约束性", "养老服务"),
        ("每千人口托位数（个）", "1.1", 2020, "4.5", 2025, "预期性", "托育服务"),
    ]


def test_district_plan_as_a_web_page():
    plan = extract_file(FIXTURES / "nanhu_district.html")
    assert (plan["jurisdiction"], plan["issuer"], plan["published"]) == ("南湖区", "南湖区人民政府办公室", "2024-04-02")
    assert [(t["number"], t["title"], t["lead"]) for t in plan["tasks"]] == [
        ("（一）", "实施社区嵌入式服务工程", ["区民政局"]), ("（二）", "实施托育扩容工程", ["区卫生健康局"]),
        ("1", "建立老年人能力评估制度", ["区民政局"]), ("2", "开展托育从业人员培训", ["区卫生健康局"])]
    assert dues(plan["tasks"][2]) == [("yearly", 3, 31)]
    assert dues(plan["tasks"][3]) == ["2025-12-31"]
    assert not any("不应读出" in t["text"] for t in plan["tasks"])
    rows = [(i["name"], i["baseline"], i["baseline_year"], i["target"], i["target_year"]) for i in plan["indicators"]
            if i["table"] == "主要指标"]
    assert rows == [("每千人口托位数（个）", "3.2", 2023, "5", 2026), ("街道综合养老服务中心覆盖率", "60%", 2023, "100%", 2026)]


# ---- the same plan in other formats and encodings ---------------------------------------

def _lines() -> list[str]:
    return JINGCHUAN.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings(jingchuan, encoding):
    data = JINGCHUAN.read_text(encoding="utf-8").encode(encoding)
    assert brief(extract_bytes(data, "plan.txt")) == brief(jingchuan)


def test_word_document_with_a_task_table(jingchuan):
    lines = _lines()
    table = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
             ["6", "建立养老服务质量评价制度。", "市民政局", "市市场监管局", "2024年底前"]]
    plan = extract_bytes(docx_bytes(lines, table, table_after=len(lines) - 4), "荆川.docx")
    assert brief(plan)[:5] == brief(jingchuan)
    assert plan["published"] == "2023-03-15"
    assert brief(plan)[5] == ("6", "建立养老服务质量评价制度", ["市民政局"], ["市民政局", "市市场监管局"])


def test_word_automatic_numbering_becomes_labels():
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("三、重点任务")
    document.add_paragraph("完善兜底保障。加强特困供养。（责任单位：市民政局）", style="List Number")
    document.add_paragraph("发展普惠托育。（责任单位：市卫健委）", style="List Number")
    buf = io.BytesIO()
    document.save(buf)
    plan = extract_bytes(buf.getvalue(), "auto.docx")
    assert [(t["number"], t["title"]) for t in plan["tasks"]] == [("1", "完善兜底保障"), ("2", "发展普惠托育")]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_page(jingchuan, encoding):
    assert brief(extract_bytes(html_bytes(_lines(), encoding=encoding), "plan.html")) == brief(jingchuan)


def test_pdf_with_text_layer_and_wrapped_lines(jingchuan):
    wrapped = []
    for line in _lines():
        line = line.strip()
        while len(line) > 30:
            wrapped.append(line[:30])
            line = line[30:]
        wrapped.append(line)
    plan = extract_bytes(pdf_bytes(wrapped, per_page=25), "plan.pdf")
    assert [t["title"] for t in plan["tasks"]] == [t["title"] for t in jingchuan["tasks"]]
    assert [t["units"] for t in plan["tasks"]] == [t["units"] for t in jingchuan["tasks"]]
    assert plan["doc_number"] == "荆政办发〔2023〕12号"


def test_extract_text_interface(jingchuan):
    plan = extract_text(JINGCHUAN.read_text(encoding="utf-8"), "荆川.txt")
    assert plan["source"] == "荆川.txt"
    assert brief(plan) == brief(jingchuan)


def test_clause_on_a_heading_covers_its_items_and_subject_rule():
    plan = extract_file(FIXTURES / "heading_clauses.txt")
    tasks = plan["tasks"]
    assert [(t["number"], t["title"], t["path"]) for t in tasks] == [
        ("（一）", "强化兜底保障", ["三、重点任务"]), ("（二）", "发展普惠托育", ["三、重点任务"]),
        ("1", "扩大托位供给", ["三、重点任务", "（二）发展普惠托育"]), ("2", "规范托育管理", ["三、重点任务", "（二）发展普惠托育"])]
    assert dues(tasks[0]) == ["2024-12-31", ("monthly", None, None)]
    # 各县(市、区)人民政府为各项任务的责任主体,以下不再一一列出
    assert all(t["units"][-1] == "各县(市、区)人民政府" for t in tasks)


def test_labelled_field_lines_under_an_item():
    tasks = extract_file(FIXTURES / "field_lines.txt")["tasks"]
    assert [(t["title"], t["lead"], t["lead_explicit"], t["units"], dues(t), t["ongoing"]) for t in tasks] == [
        ("完善兜底保障", ["市民政局"], True, ["市民政局", "市财政局", "市卫健委"], ["2024-12-31"], False),
        ("发展普惠托育", ["市卫健委"], False, ["市卫健委"], [], True)]


def test_indicator_table_with_category_and_unit_columns():
    plan = extract_file(FIXTURES / "quanyang_indicator_table.txt")
    assert plan["issuer"] == "泉阳市人民政府办公厅" and plan["published"] == "2021-11-30"
    rows = [(i["category"], i["number"], i["name"], i.get("measure_unit"), i["baseline"], i["target"], i["nature"])
            for i in plan["indicators"] if i["table"]]
    assert rows == [("养老", "1", "养老服务床位总量", "万张", "2.8", "3.5", "预期性"),
                    ("养老", "2", "护理型床位占比", "%", "35", "55", "约束性"),
                    ("托育", "3", "每千人口托位数", "个", "1.5", "4.5", "预期性")]
    text = [(i["name"], i["target"], i["target_year"]) for i in plan["indicators"] if not i["table"]]
    assert text == [("全市养老服务床位总量", "3.5万张", 2025), ("护理型床位占比", "不低于55%", 2025),
                    ("每千人口拥有3岁以下婴幼儿托位数", "4.5个以上", 2025)]
    assert [t["title"] for t in plan["tasks"]] == ["建立基本养老服务清单", "完善兜底保障", "扩大普惠托育供给",
                                                   "加强托育人才培养", "加强组织领导"]
    assert dues(plan["tasks"][0]) == ["2022-06-30"]


def test_goal_subsections_give_their_category_and_year():
    plan = extract_file(FIXTURES / "goal_subsections.txt")
    assert [(i["category"], i["name"], i["target"], i["target_year"]) for i in plan["indicators"]] == [
        ("养老服务", "全县养老机构护理型床位占比", "55%", 2025),
        ("托育服务", "全县每千人口拥有3岁以下婴幼儿托位数", "4.5个", 2025)]


def test_task_table_group_rows_without_units_become_the_path():
    text = "\n".join([
        "重点任务清单",
        "序号 | 重点任务 | 责任单位 | 完成时限",
        "一 | 养老服务 |  | ",
        "1 | 建设街道综合养老服务中心。 | 市民政局（牵头）、市住建局 | 2025年底前",
        "二 | 托育服务 |  | ",
        "2 | 新增普惠托位2000个。 | 市卫健委 | 长期",
    ])
    tasks = extract_text(text, "清单.txt")["tasks"]
    assert [(t["path"], t["title"], t["lead"], t["lead_explicit"], dues(t), t["ongoing"]) for t in tasks] == [
        (["一、养老服务"], "建设街道综合养老服务中心", ["市民政局"], True, ["2025-12-31"], False),
        (["二、托育服务"], "新增普惠托位2000个", ["市卫健委"], False, [], True)]


def test_table_copied_from_a_web_page_one_cell_per_line():
    plan = extract_file(FIXTURES / "one_cell_per_line_table.txt")
    assert [(i["table"], i["category"], i["name"], i["baseline"], i["baseline_year"], i["target"], i["target_year"])
            for i in plan["indicators"]] == [
        ("“十四五”养老托育主要指标", None, "养老机构数", "109", 2020, "133", 2025),
        ("“十四五”养老托育主要指标", None, "护理型床位占比", "45.5%", 2020, "≥60%", 2025),
        ("“十四五”养老托育主要指标", None, "每千人口托位数", "1.2", 2020, "4.5", 2025)]
    assert [t["title"] for t in plan["tasks"]] == ["建设中心"]


def test_several_items_and_clauses_on_one_line():
    text = "\n".join([
        "三、重点任务",
        "1.完善兜底保障。做好特困供养。(责任单位:市民政局) 2.发展普惠托育。扩大托位供给。(责任单位:市卫健委)",
        "（二）完善收费政策。①制定收费标准。（责任单位：市发展改革委）②落实税费优惠。（责任单位：市税务局）",
    ])
    tasks = extract_text(text, "inline.txt")["tasks"]
    assert [(t["number"], t["title"], t["units"]) for t in tasks] == [
        ("1", "完善兜底保障", ["市民政局"]), ("2", "发展普惠托育", ["市卫健委"]),
        ("①", "制定收费标准", ["市发展改革委"]), ("②", "落实税费优惠", ["市税务局"])]
