"""Targets written in goal sections: joint statements split per subject, qualifiers and magnitudes kept,
two levels of one target compacted, counted objects named by the object, categories only from the
document's own headings, and numbers inside tasks left out."""
from __future__ import annotations

from duban.extract import extract_text


def targets(goal_lines: list[str], extra: list[str] | None = None) -> list[tuple]:
    text = "\n".join(["云岭市装备产业发展方案", "一、发展目标"] + goal_lines + [
        "二、重点任务",
        "（一）扩大设备产能。到2025年新增生产线30条。（责任单位：市经济信息化局）",
    ] + (extra or []))
    plan = extract_text(text, "方案.txt")
    return [(i["name"], i["target"], i["target_year"], i["category"]) for i in plan["indicators"]]


def test_joint_subjects_with_each_and_respectively():
    found = targets(["到2027年，其中小麦播种、收割机械化率均达到80%，玉米播种、收割机械化率分别达到75%和60%，"
                     "城镇、农村供水普及率均达到99%。"])
    assert found == [
        ("小麦播种机械化率", "80%", 2027, None), ("小麦收割机械化率", "80%", 2027, None),
        ("玉米播种机械化率", "75%", 2027, None), ("玉米收割机械化率", "60%", 2027, None),
        ("城镇供水普及率", "99%", 2027, None), ("农村供水普及率", "99%", 2027, None)]


def test_a_list_without_each_stays_one_indicator():
    found = targets(["到2027年，烘干、仓储和冷链环节机械化率总体达到40%左右。"])
    assert found == [("烘干、仓储和冷链环节机械化率", "40%左右", 2027, None)]


def test_magnitudes_qualifiers_and_levels():
    found = targets(["到2026年，全市装备制造业产值稳定在3000亿元左右，其中出口额超过1.5万亿元，"
                     "风电装机容量确保达到200MW，力争达到260MW。"])
    assert found == [
        ("全市装备制造业产值", "3000亿元左右", 2026, None),
        ("出口额", "超过1.5万亿元", 2026, None),
        ("风电装机容量", "确保200MW，力争260MW", 2026, None)]


def test_counted_objects_and_coverage():
    found = targets(["到2026年，推出20项具有行业影响力的首台套装备，形成30个以上智能工厂示范案例，"
                     "新建工业园区实现光纤全覆盖。"])
    assert found == [
        ("具有行业影响力的首台套装备", "20项", 2026, None),
        ("智能工厂示范案例", "30个以上", 2026, None),
        ("新建工业园区", "光纤全覆盖", 2026, None)]


def test_lead_in_words_and_category_from_the_documents_own_headings():
    found = targets([
        "近期目标：到2025年，工业机器人装机量达到8000台。",
        "（一）绿色制造方面",
        "到2026年，单位产值能耗下降到0.3吨标准煤。",
        "（二）数字化转型",
        "到2026年，规上企业数字化改造覆盖率达到90%。",
    ])
    assert found == [
        ("工业机器人装机量", "8000台", 2025, None),
        ("单位产值能耗", "0.3吨标准煤", 2026, "绿色制造"),
        ("规上企业数字化改造覆盖率", "90%", 2026, "数字化转型")]


def test_numbers_inside_tasks_are_not_indicators():
    found = targets(["到2026年，全市规上装备企业达到500家。"])
    assert found == [("全市规上装备企业", "500家", 2026, None)]
