"""Responsibility clauses and unit names: every form in the seeds, level prefixes, groups and aliases."""
from __future__ import annotations

import pytest

from duban.extract import canonical_department
from duban.extract.clauses import find_clauses
from duban.extract.normalize import half
from duban.extract.units import restore_prefixes, same_department, split_names


def clause(text: str):
    found = find_clauses(half(text))
    assert len(found) == 1, text
    return found[0]


@pytest.mark.parametrize("text, lead, units, explicit", [
    ("加强管理。(责任单位:市民政局、市发改委、市财政局)", ["市民政局"], ["市民政局", "市发改委", "市财政局"], False),
    ("加强管理。（责任单位：市民政局，各县、市、区政府和管委会）", ["市民政局"], ["市民政局", "各县、市、区政府和管委会"], False),
    ("清单修订。(牵头单位:市民政局;责任单位:市住建局、卫健委,各旗县区政府、稀土高新区管委会)", ["市民政局"],
     ["市民政局", "市住建局", "卫健委", "各旗县区政府", "稀土高新区管委会"], True),
    ("探访制度。(市民政局牵头,市发展改革委、市财政局按职责分工负责,各开发区管委会、区县〔市〕政府负责)", ["市民政局"],
     ["市民政局", "市发展改革委", "市财政局", "各开发区管委会", "区县(市)政府"], True),
    ("育儿指导。(市卫健委负责,各开发区管委会、区县〔市〕政府负责)", [], ["市卫健委", "各开发区管委会", "区县(市)政府"], False),
    ("老年教育。(市委老干部局、市教育局牵头,市人社局、市民政局按职责分工负责)", ["市委老干部局", "市教育局"],
     ["市委老干部局", "市教育局", "市人社局", "市民政局"], True),
    ("服务设施。(市民政局、市财政局、市卫生健康委,市残联,自贸区钦州港片区有关部门,各县区人民政府按职责分工负责)", [],
     ["市民政局", "市财政局", "市卫生健康委", "市残联", "自贸区钦州港片区有关部门", "各县区人民政府"], False),
    ("体系建设。〔责任单位：县发展改革委、县教委、各乡镇（街道）按职责分工负责〕", [],
     ["县发展改革委", "县教委", "各乡镇(街道)"], False),
    ("老年医疗。(市卫健委、市医保局等按职责分工负责)", [], ["市卫健委", "市医保局"], False),
    ("组织领导。(市发展改革委、市民政局、市卫健委等相关部门按职责分工负责)", [], ["市发展改革委", "市民政局", "市卫健委"], False),
    ("统筹推进。（责任单位：县委办公室、县卫生健康委以及县级有关部门按职责分工负责）", [],
     ["县委办公室", "县卫生健康委", "县级有关部门"], False),
    ("资源转型。（责任单位：县发展改革委牵头，县民政局、县财政局按职责分工负责）", ["县发展改革委"],
     ["县发展改革委", "县民政局", "县财政局"], True),
    ("宣传引导。(市委宣传部、市民政局、市卫生健康委)", [], ["市委宣传部", "市民政局", "市卫生健康委"], False),
    ("示范创建。(责任单位:市民政局(牵头)、市财政局)", ["市民政局"], ["市民政局", "市财政局"], True),
    ("(牵头单位:市民政局;配合单位:市财政局、市医保局)完善长期照护制度。", ["市民政局"], ["市民政局", "市财政局", "市医保局"], True),
    ("加强监管。责任单位:市市场监管局、市卫健委", [], ["市市场监管局", "市卫健委"], False),
    ("建设中心。（市民政局、市财政局等按职责分工负责；2025年底前完成）", [], ["市民政局", "市财政局"], False),
    ("建设中心。（责任单位：市民政局；完成时限：2024年底前）", [], ["市民政局"], False),
    ("组织宣传。（市委组织部、宣传部、民政局按职责分工负责）", [], ["市委组织部", "宣传部", "民政局"], False),
])
def test_clause_forms(text, lead, units, explicit):
    c = clause(text)
    assert c.units == units
    assert c.lead_explicit is explicit
    if explicit:
        assert c.lead == lead


@pytest.mark.parametrize("text", [
    "推广“1+N”联合体建设(暂不具备独立登记条件的机构可作为分院,由具备法人身份的供养服务机构实施统一管理)。",
    "支持职业院校(含技工院校)开设专业。",
    "采取政府和社会资本合作(PPP)方式。",
    "设立医务室(卫生室)。",
])
def test_ordinary_brackets_are_not_clauses(text):
    assert find_clauses(half(text)) == []


def test_time_limits_inside_clauses_are_kept_apart():
    assert clause("建设中心。（市民政局、市财政局等按职责分工负责；2025年底前完成）").time_text == "2025年底前完成"
    assert clause("建设中心。（责任单位：市民政局；完成时限：2024年底前）").time_text == "2024年底前"


def test_party_departments_get_the_party_prefix():
    assert restore_prefixes(["市委组织部", "宣传部", "民政局"]) == ["市委组织部", "市委宣传部", "市民政局"]


def test_level_prefix_restored_from_the_list():
    names = ["市发改委", "教育局", "住建局", "文旅广电局", "市场监管局", "中国人民银行包头市分行", "各旗县区政府",
             "稀土高新区管委会", "消防救援支队", "行政审批政务服务与数据管理局"]
    assert restore_prefixes(names, ("包头",)) == [
        "市发改委", "市教育局", "市住建局", "市文旅广电局", "市市场监管局", "中国人民银行包头市分行", "各旗县区政府",
        "稀土高新区管委会", "市消防救援支队", "市行政审批政务服务与数据管理局"]


def test_whole_names_keep_their_form():
    names = ["县总工会", "团县委", "县残联", "人民银行巫溪支行", "县级有关部门"]
    assert restore_prefixes(names, ("巫溪",)) == names


def test_no_prefix_added_when_the_list_has_none():
    assert restore_prefixes(["民政局", "财政局"]) == ["民政局", "财政局"]


def test_group_of_governments_carries_ge_from_its_neighbour():
    assert restore_prefixes(["市民政局", "各开发区管委会", "区县(市)政府"]) == ["市民政局", "各开发区管委会", "各区县(市)政府"]


@pytest.mark.parametrize("text, names", [
    ("各区、市政府", ["各区、市政府"]),
    ("各县（市、区）人民政府、市民政局", ["各县(市、区)人民政府", "市民政局"]),
    ("县委办公室和县政府办公室", ["县委办公室", "县政府办公室"]),
    ("县行政审批政务服务与数据管理局", ["县行政审批政务服务与数据管理局"]),
    ("市卫健委等相关部门", ["市卫健委"]),
])
def test_split_names(text, names):
    assert split_names(half(text)) == names


def test_aliases_map_to_a_known_department():
    known = ["市民政局", "市卫生健康委员会", "市发展和改革委员会", "市人力资源和社会保障局", "县卫健委"]
    assert canonical_department("市卫健委", known) == "市卫生健康委员会"
    assert canonical_department("市卫生健康委", known) == "市卫生健康委员会"
    assert canonical_department("市发改委", known) == "市发展和改革委员会"
    assert canonical_department("市人社局", known) == "市人力资源和社会保障局"
    assert canonical_department("市民政局", known) == "市民政局"
    assert canonical_department("市财政局", known) == "市财政局"
    assert canonical_department("县卫生健康委", known) == "县卫健委"
    assert canonical_department("市委老干局", ["市委老干部局"]) == "市委老干部局"
    assert canonical_department("市卫健委（市老龄办）", ["市卫健委"]) == "市卫健委（市老龄办）".replace("（", "(").replace("）", ")")


def test_aliases_never_cross_levels_or_departments():
    assert not same_department("市卫健委", "县卫健委")
    assert not same_department("市民政局", "市财政局")
    assert same_department("市住建局", "市住房和城乡建设局")


@pytest.mark.parametrize("text, lead, units", [
    ("【牵头单位】市民政局 【责任单位】市发展改革委、市财政局", ["市民政局"], ["市民政局", "市发展改革委", "市财政局"]),
    ("做好工作。主要责任单位：区民政局、区市场监管局。", [], ["区民政局", "区市场监管局"]),
    ("做好工作。(市民政局负责,市财政局、市人社局参与)", [], ["市民政局", "市财政局", "市人社局"]),
    ("做好工作。(由市民政局会同市财政局负责)", ["市民政局"], ["市民政局", "市财政局"]),  # 会同 marks the principal
    ("做好工作。（责任单位：各牵头单位）", [], ["各牵头单位"]),
    ("做好工作。责任单位：市民政局、市卫健委、市医保局（市卫健委为牵头单位）", ["市卫健委"], ["市民政局", "市卫健委", "市医保局"]),
])
def test_other_clause_forms(text, lead, units):
    from duban.extract.structure import build_outline

    outline = build_outline(text)
    found = [c for _, norm in outline.lines for c in find_clauses(norm)]
    assert [(c.lead, c.units) for c in found] == [(lead, units)]


@pytest.mark.parametrize("names, restored", [
    (["县民政局", "县财政局", "各乡镇人民政府", "街道办事处"], ["县民政局", "县财政局", "各乡镇人民政府", "各街道办事处"]),
    (["市自然资源和规划局", "住房城乡建设局"], ["市自然资源和规划局", "市住房城乡建设局"]),
    (["区民政局", "联席会议各成员单位"], ["区民政局", "联席会议各成员单位"]),
    (["市民政局", "乡村振兴局"], ["市民政局", "市乡村振兴局"]),
])
def test_prefixes_are_restored_only_to_department_names(names, restored):
    assert restore_prefixes(names) == restored
