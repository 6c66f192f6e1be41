"""Every way a plan names who answers for a task: labels, role words, 会同, joined lists, document rules,
clauses on their own line, several clauses in one paragraph, and where a level prefix may be restored."""
from __future__ import annotations

from datetime import date

import pytest

from duban.extract import extract_text
from duban.extract.clauses import parse_clause


def plan(body: str, title: str = "云岭市冰雪运动推广实施方案", tail: str = "云岭市人民政府办公室\n2025年3月1日") -> dict:
    return extract_text(f"{title}\n为推广冰雪运动,制定本方案。\n{body}\n{tail}\n", "方案.txt", date(2025, 3, 1))


def brief(p: dict) -> list[tuple]:
    return [(t["number"], t["title"], t["lead"], t["units"]) for t in p["tasks"]]


@pytest.mark.parametrize("body, lead, units", [
    ("负责部门:市体育局、市教育局", ["市体育局"], ["市体育局", "市教育局"]),
    ("主责单位:市体育局;协办单位:市文旅局、市财政局", ["市体育局"], ["市体育局", "市文旅局", "市财政局"]),
    ("责任主体:各区政府", ["各区政府"], ["各区政府"]),
    ("参与单位:市科协", ["市科协"], ["市科协"]),
    ("市体育局、市教育局负责", ["市体育局"], ["市体育局", "市教育局"]),
    ("市体育局牵头,市公安局参与", ["市体育局"], ["市体育局", "市公安局"]),
    ("市体育局、市总工会会同有关部门负责", ["市体育局", "市总工会"], ["市体育局", "市总工会"]),
    ("市体育局会同市财政局负责", ["市体育局"], ["市体育局", "市财政局"]),
    ("市体育局、市教育局按职责分工负责", ["市体育局"], ["市体育局", "市教育局"]),
    ("市体育局、市教育局分别负责", ["市体育局"], ["市体育局", "市教育局"]),
    ("负责部门:市体育局、市教育局;适用范围:全市中小学", ["市体育局"], ["市体育局", "市教育局"]),
])
def test_clause_forms(body, lead, units):
    clause = parse_clause(body)
    assert clause is not None
    got_lead = clause.lead if clause.lead_explicit else clause.units[:1]
    assert (got_lead, clause.units) == (lead, units)


def test_a_time_field_inside_a_clause_is_a_deadline_not_a_unit():
    p = plan("(一)建设滑雪场地。新建一批滑雪场地。(负责部门:市体育局、市自然资源局;完成时限:2026年底前)")
    task = p["tasks"][0]
    assert task["units"] == ["市体育局", "市自然资源局"]
    assert [(d["due"], d["phrase"]) for d in task["deadlines"]] == [("2026-12-31", "2026年底前")]


def test_lists_joined_by_deng_he_and_ji():
    clause = parse_clause("民航局、铁路局等和各省级人民政府负责")
    assert clause.units == ["民航局", "铁路局", "各省级人民政府"]
    clause = parse_clause("市体育局以及各区政府负责")
    assert clause.units == ["市体育局", "各区政府"]


def test_names_with_a_conjunction_inside_stay_whole():
    clause = parse_clause("市文化和旅游局、市住房和城乡建设管理委负责")
    assert clause.units == ["市文化和旅游局", "市住房和城乡建设管理委"]


def test_national_rule_first_listed_leads_with_its_note_inside_the_first_clause():
    text = ("国务院关于推进冰雪装备产业发展的指导意见\n国发〔2030〕9号\n各省、自治区、直辖市人民政府:\n"
            "一、重点任务\n"
            "(一)提升装备研发能力。支持企业研发新型造雪机。(科技部、工业和信息化部负责。列第一位者为牵头单位,下同)\n"
            "(二)完善标准体系。制定冰雪装备标准。(市场监管总局、体育总局负责)\n"
            "(三)扩大消费。鼓励冰雪消费。(商务部负责)\n国务院\n2030年5月4日\n")
    p = extract_text(text, "意见.txt")
    assert brief(p) == [
        ("(一)", "提升装备研发能力", ["科技部"], ["科技部", "工业和信息化部"]),
        ("(二)", "完善标准体系", ["市场监管总局"], ["市场监管总局", "体育总局"]),
        ("(三)", "扩大消费", ["商务部"], ["商务部"]),
    ]
    assert all(t["lead_explicit"] for t in p["tasks"])
    assert p["jurisdiction"] == "全国"
    assert all(not t["deadlines"] for t in p["tasks"])  # the signature date is no task's deadline


def test_rule_worded_as_first_department_listed():
    text = ("国务院关于冰雪旅游的若干意见\n"
            "一、主要任务\n"
            "1.打造冰雪线路。推出精品线路。(文化和旅游部、交通运输部负责,排在首位的部门为牵头部门,下同)\n"
            "2.培育冰雪品牌。打造赛事品牌。(体育总局、文化和旅游部负责)\n")
    p = extract_text(text, "意见.txt")
    assert [(t["lead"], t["lead_explicit"]) for t in p["tasks"]] == [
        (["文化和旅游部"], True), (["体育总局"], True)]


def test_responsible_is_lead_rule_written_in_the_preamble():
    body = ("无牵头单位的,责任单位即为牵头单位。\n一、重点任务\n"
            "(一)建设步道。新建一批步道。(责任单位:市体育局、市绿化局)\n")
    p = plan(body)
    assert p["tasks"][0]["lead"] == ["市体育局", "市绿化局"]


def test_clause_on_its_own_line_after_the_body_with_comma_separated_groups():
    body = ("一、主要任务\n(一)建设冰场\n在公园绿地新建一批室外冰场。\n"
            "(责任单位:区体育局、区绿化局,龙潭街道办事处、石桥镇人民政府)\n"
            "(二)开展培训\n组织冰雪运动进校园。\n(责任单位:区教育局、体育局)\n"
            "二、保障措施\n区体育局统筹推进各项工作。每年向区政府报告工作情况。\n(责任单位:区体育局、各相关部门)\n")
    p = plan(body, title="云岭区冰雪运动推广实施方案", tail="云岭区人民政府办公室\n2025年3月1日")
    assert brief(p) == [
        ("(一)", "建设冰场", ["区体育局"], ["区体育局", "区绿化局", "龙潭街道办事处", "石桥镇人民政府"]),
        ("(二)", "开展培训", ["区教育局"], ["区教育局", "区体育局"]),
        (None, "区体育局统筹推进各项工作", ["区体育局"], ["区体育局", "各相关部门"]),
    ]
    assert p["tasks"][2]["path"] == ["二、保障措施"]
    assert [d["freq"] for d in p["tasks"][2]["deadlines"]] == ["yearly"]


def test_several_clause_groups_inside_one_paragraph():
    body = ("一、重点任务\n(一)壮大市场主体。扶持冰雪企业做大做强。(市体育局、市发展改革委负责)"
            "优化审批服务,压减办理时间。(市审批局负责)推动金融支持冰雪企业。(市金融局、人民银行云岭支行负责)\n")
    p = plan(body)
    assert [(t["number"], t["title"], t["units"]) for t in p["tasks"]] == [
        (None, "扶持冰雪企业做大做强", ["市体育局", "市发展改革委"]),
        (None, "优化审批服务,压减办理时间", ["市审批局"]),
        (None, "推动金融支持冰雪企业", ["市金融局", "人民银行云岭支行"]),
    ]
    assert all(t["path"] == ["一、重点任务", "(一)壮大市场主体"] for t in p["tasks"])


def test_prefix_restored_only_from_the_lists_own_names():
    body = ("一、重点任务\n(一)建设冰雪实验室。(责任单位:省科技厅、教育厅、雪峰实验室、国网华北分部)\n"
            "(二)培养人才。(责任单位:卫健委、人社局)\n")
    p = plan(body, title="云岭省冰雪科技发展方案", tail="云岭省人民政府办公厅\n2025年3月1日")
    assert p["tasks"][0]["units"] == ["省科技厅", "省教育厅", "雪峰实验室", "国网华北分部"]
    assert p["tasks"][1]["units"] == ["卫健委", "人社局"]  # no name in the list shows a level
    assert p["jurisdiction"] == "云岭省"
    flags = [(f["code"], f["detail"]) for f in p["tasks"][0]["flags"]]
    assert ("prefix_restored", "省教育厅") in flags


def test_no_prefix_in_national_documents():
    text = ("国务院办公厅关于冰雪人才的通知\n一、对冰雪人才培养成效明显的省(区、市),给予奖励。"
            "(教育部、人力资源社会保障部负责)\n国务院办公厅\n2030年1月5日\n")
    p = extract_text(text, "通知.txt")
    assert p["tasks"][0]["units"] == ["教育部", "人力资源社会保障部"]
    assert p["tasks"][0]["number"] == "一"


def test_province_plan_jurisdiction_is_not_a_city_named_in_the_body():
    body = ("一、重点任务\n(一)建设雪乡。支持北岭市、北岭市周边县建设冰雪小镇,北岭市率先示范。(责任单位:省文旅厅)\n")
    p = plan(body, title="云岭省冰雪小镇建设方案", tail="云岭省人民政府办公厅\n2025年3月1日")
    assert p["jurisdiction"] == "云岭省"
    assert p["meta_flags"] == []


def test_province_issuer_wins_over_a_city_named_often_in_the_body():
    body = ("一、重点任务\n(一)建设雪乡。支持北岭市建设冰雪小镇,北岭市率先示范,北岭市加大投入。(责任单位:省文旅厅、省财政厅)\n")
    p = plan(body, title="关于加快冰雪小镇建设的实施意见", tail="云岭省人民政府办公厅\n2025年3月1日")
    assert p["jurisdiction"] == "云岭省"
    assert p["meta_flags"] == []


def test_a_guessed_place_is_flagged():
    body = ("一、重点任务\n(一)建设雪乡。支持北岭市建设冰雪小镇,北岭市率先示范。(责任单位:市文旅局)\n")
    p = plan(body, title="关于加快冰雪小镇建设的实施意见", tail="2025年3月1日")
    assert p["meta_flags"] == [{"code": "place_guessed", "detail": p["jurisdiction"]}]


def test_unlabelled_clause_with_a_time_limit_field():
    p = plan("(一)建设滑雪场地。新建一批滑雪场地。(市体育局、市自然资源局负责;完成时限:2027年6月底前)")
    task = p["tasks"][0]
    assert task["units"] == ["市体育局", "市自然资源局"]
    assert [d["due"] for d in task["deadlines"]] == ["2027-06-30"]


def test_a_clause_under_the_heading_leads_the_body_below_it():
    body = ("一、重点任务\n(一)建设冰场\n(牵头单位:市体育局)\n在公园新建一批冰场,2026年底前完成。\n"
            "(二)开展培训。(牵头单位:市教育局)\n组织冰雪运动进校园,2027年底前覆盖全部中小学。\n")
    p = plan(body)
    assert [(t["title"], t["lead"], [d["due"] for d in t["deadlines"]]) for t in p["tasks"]] == [
        ("建设冰场", ["市体育局"], ["2026-12-31"]),
        ("开展培训", ["市教育局"], ["2027-12-31"]),
    ]


def test_a_flat_list_of_measures_ends_before_the_closing_notice():
    text = ("国务院办公厅关于冰雪激励的通知\n"
            "一、对冰雪场地建设成效明显的省(区、市),给予资金奖励。(体育总局负责)\n"
            "二、对冰雪人才培养成效明显的省(区、市),优先支持试点。(教育部会同有关部门负责)\n"
            "各有关部门于2030年12月31日前制定实施办法,每年3月底前报送名单。\n国务院办公厅\n2030年6月1日\n")
    p = extract_text(text, "通知.txt")
    assert [(t["number"], t["lead"], t["units"], t["deadlines"]) for t in p["tasks"]] == [
        ("一", ["体育总局"], ["体育总局"], []),
        ("二", ["教育部"], ["教育部"], []),
    ]


def test_national_list_with_a_provincial_group_gets_no_prefix():
    text = ("国务院办公厅关于冰雪场馆的通知\n一、对冰雪场馆开放成效明显的省(区、市),给予奖励。"
            "(财政部、省级财政部门负责)\n国务院办公厅\n2030年1月5日\n")
    assert extract_text(text, "通知.txt")["tasks"][0]["units"] == ["财政部", "省级财政部门"]
