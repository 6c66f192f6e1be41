"""Task tables in the layouts plans arrive in: tab-separated, pipes with title rows above the header,
markdown, and tables copied one cell per line whose merged cells are written once."""
from __future__ import annotations

from duban.extract import extract_text


def tasks_of(text: str) -> list[tuple]:
    plan = extract_text(text, "清单.txt")
    return [(t["path"], t["number"], t["title"], t["lead"], t["units"],
             [d.get("due") for d in t["deadlines"]]) for t in plan["tasks"]]


def test_tab_separated_table_under_title_lines():
    text = "\n".join([
        "青禾市数字经济重点任务分工表",
        "（2025年度）",
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限",
        "1\t建设城市数据平台\t市大数据局\t市财政局\t2025年底前",
        "2\t完善数字人才政策\t市人社局\t市教育局、市科技局\t2025年6月底前",
    ])
    assert tasks_of(text) == [
        ([], "1", "建设城市数据平台", ["市大数据局"], ["市大数据局", "市财政局"], ["2025-12-31"]),
        ([], "2", "完善数字人才政策", ["市人社局"], ["市人社局", "市教育局", "市科技局"], ["2025-06-30"])]


def test_pipe_table_from_a_spreadsheet_with_merged_title_and_group_rows():
    # a converted spreadsheet repeats a merged cell in every cell it covers
    text = "\n".join([
        "青禾市数字经济重点任务分工表 | 青禾市数字经济重点任务分工表 | 青禾市数字经济重点任务分工表 | 青禾市数字经济重点任务分工表",
        "序号 | 工作任务 | 责任单位 | 时间节点",
        "一、基础设施 | 一、基础设施 | 一、基础设施 | 一、基础设施",
        "1 | 建设城市数据平台 | 市大数据局 | 2025年底前",
        "2 | 推进千兆光网覆盖 | 市大数据局 | 2026年底前",
        "二、产业培育 |  |  | ",
        "3 | 培育数据交易市场 | 市商务局、市金融局 | 2025年底前",
    ])
    assert tasks_of(text) == [
        (["一、基础设施"], "1", "建设城市数据平台", ["市大数据局"], ["市大数据局"], ["2025-12-31"]),
        (["一、基础设施"], "2", "推进千兆光网覆盖", ["市大数据局"], ["市大数据局"], ["2026-12-31"]),
        (["二、产业培育"], "3", "培育数据交易市场", ["市商务局"], ["市商务局", "市金融局"], ["2025-12-31"])]


def test_markdown_table_rule_row_is_not_a_task():
    text = "\n".join([
        "# 青禾市数字经济重点任务",
        "",
        "| 序号 | 具体措施 | 责任部门 | 完成时限 |",
        "|---|:---|---|---|",
        "| 1 | 建设城市数据平台 | 市大数据局 | 2025年底前 |",
        "| 2 | 推进千兆光网覆盖 | 市通信管理局 | 2026年底前 |",
    ])
    assert [(t[1], t[2], t[3]) for t in tasks_of(text)] == [
        ("1", "建设城市数据平台", ["市大数据局"]), ("2", "推进千兆光网覆盖", ["市通信管理局"])]


def test_empty_lead_cell_is_the_merged_cell_above():
    text = "\n".join([
        "序号 | 重点任务 | 牵头单位 | 配合单位",
        "1 | 建设城市数据平台 | 市大数据局 | 市财政局",
        "2 | 完善数据共享目录 |  | 市政务办",
    ])
    assert [(t[2], t[3], t[4]) for t in tasks_of(text)] == [
        ("建设城市数据平台", ["市大数据局"], ["市大数据局", "市财政局"]),
        ("完善数据共享目录", ["市大数据局"], ["市大数据局", "市政务办"])]


FLAT = [
    "附件",
    "重点任务分工表",
    "序号",
    "工作事项",
    "具体措施",
    "责任单位",
    "打造区域公用品牌",
    "1",
    "培育青禾大米品牌",
    "制定品牌标准和标识使用办法",
    "市农业农村局",
    "2",
    "组织参加全国农产品展销会",
    "3",
    "建设品牌农产品直供基地",
    "市商务局、市供销社",
    "强化品牌保护",
    "4",
    "建立品牌保护机制",
    "开展商标侵权专项整治行动",
    "市市场监管局",
    "5",
    "建立品牌目录动态管理制度",
]


def test_table_one_cell_per_line_with_merged_cells_is_the_only_source_of_tasks():
    text = "\n".join(["青禾市农业品牌建设行动方案", "为推进农业品牌建设，制定本方案。"] + FLAT)
    plan = extract_text(text, "品牌.txt")
    rows = [(t["path"][-1], t["number"], t["units"], t["text"].split("\n")[-1]) for t in plan["tasks"]]
    assert rows == [
        ("打造区域公用品牌", "1", ["市农业农村局"], "制定品牌标准和标识使用办法"),
        ("打造区域公用品牌", "2", ["市农业农村局"], "组织参加全国农产品展销会"),
        ("打造区域公用品牌", "3", ["市商务局", "市供销社"], "建设品牌农产品直供基地"),
        ("强化品牌保护", "4", ["市市场监管局"], "开展商标侵权专项整治行动"),
        ("强化品牌保护", "5", ["市市场监管局"], "建立品牌目录动态管理制度")]
    assert [t["title"] for t in plan["tasks"]][:3] == ["培育青禾大米品牌"] * 3


BODY = [
    "青禾市农业品牌建设行动方案",
    "二、重点任务",
    "1.培育青禾大米品牌。制定品牌标准和标识使用办法，组织参加全国农产品展销会。（责任单位：市农业农村局）",
    "2.建设直供基地。建设品牌农产品直供基地。（责任单位：市商务局、市供销社）",
    "3.强化品牌保护。开展商标侵权专项整治行动，建立品牌目录动态管理制度。（责任单位：市市场监管局）",
]


def test_annex_table_restating_the_body_tasks_adds_none():
    plan = extract_text("\n".join(BODY + FLAT), "品牌.txt")
    assert [(t["number"], t["title"]) for t in plan["tasks"]] == [
        ("1", "培育青禾大米品牌"), ("2", "建设直供基地"), ("3", "强化品牌保护")]


def test_annex_table_with_tasks_of_its_own_adds_them():
    annex = [
        "附件",
        "序号 | 重点任务 | 责任单位 | 完成时限",
        "1 | 开展品牌农产品进社区活动 | 市商务局 | 2025年底前",
        "2 | 建立农产品质量追溯平台 | 市农业农村局 | 2026年底前",
    ]
    plan = extract_text("\n".join(BODY + annex), "品牌.txt")
    assert [t["title"] for t in plan["tasks"]] == [
        "培育青禾大米品牌", "建设直供基地", "强化品牌保护", "开展品牌农产品进社区活动", "建立农产品质量追溯平台"]


def test_table_one_cell_per_line_in_the_body_ends_before_the_next_heading():
    text = "\n".join([
        "青禾市农业品牌建设行动方案",
        "一、重点任务",
        "序号", "重点任务", "责任单位", "完成时限",
        "1", "培育青禾大米品牌", "市农业农村局", "2025年底前",
        "2", "建设品牌直供基地", "市商务局",
        "二、保障措施",
        "（一）加强组织领导。建立联席会议制度。（责任单位：市农业农村局）",
    ])
    plan = extract_text(text, "品牌.txt")
    assert [(t["path"], t["title"], t["units"]) for t in plan["tasks"]] == [
        (["一、重点任务"], "培育青禾大米品牌", ["市农业农村局"]),
        (["一、重点任务"], "建设品牌直供基地", ["市商务局"]),
        (["二、保障措施"], "加强组织领导", ["市农业农村局"])]


def test_two_level_header_from_a_spreadsheet():
    text = "\n".join([
        "序号 | 重点任务 | 责任单位 | 责任单位 | 完成时限",
        "序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限",
        "1 | 建设城市数据平台 | 市大数据局 | 市财政局 | 2025年底前",
        "2 | 完善数字人才政策 | 市人社局 | 市教育局 | 2026年底前",
    ])
    assert [(t[1], t[2], t[3], t[4], t[5]) for t in tasks_of(text)] == [
        ("1", "建设城市数据平台", ["市大数据局"], ["市大数据局", "市财政局"], ["2025-12-31"]),
        ("2", "完善数字人才政策", ["市人社局"], ["市人社局", "市教育局"], ["2026-12-31"])]


def test_table_one_cell_per_line_without_serial_numbers():
    text = "\n".join([
        "青禾市工作要点", "为做好工作，制定本要点。",
        "重点任务", "责任单位", "完成时限",
        "建设城市数据平台", "市大数据局", "2025年底前",
        "完善数字人才政策", "市人社局、市教育局", "2026年6月底前",
    ])
    assert [(t[2], t[4], t[5]) for t in tasks_of(text)] == [
        ("建设城市数据平台", ["市大数据局"], ["2025-12-31"]),
        ("完善数字人才政策", ["市人社局", "市教育局"], ["2026-06-30"])]


def test_tab_separated_rows_with_blank_lines_between():
    text = "\n".join([
        "重点任务清单", "",
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限", "",
        "1\t建设城市数据平台\t市大数据局\t市财政局\t2025年底前", "",
        "2\t完善数字人才政策\t市人社局\t市教育局\t2026年底前",
    ])
    assert [(t[1], t[2], t[4]) for t in tasks_of(text)] == [
        ("1", "建设城市数据平台", ["市大数据局", "市财政局"]), ("2", "完善数字人才政策", ["市人社局", "市教育局"])]
