"""The words the extractor knows, as data: every stage reads its vocabulary from here.

Rules in the stage modules say how a pattern is used; this module says which words fill it, so an
office's new wording is a change of data in one place. No topic word decides anything on its own.
"""
from __future__ import annotations

import re

# --- responsibility clauses, units, leads and document rules --------------------------------------

def alternation(words) -> str:
    """A regex alternation of literal words, longest first so a longer word wins over its prefix."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Labels that open a field inside a clause or a line under a task ("牵头单位:", "责任单位:").
LEAD_LABELS = ("牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位")
CO_LABELS = ("配合单位", "配合部门", "协办单位", "协办部门", "协同单位", "协同部门", "参与单位", "参与部门",
             "协助单位", "协作单位")
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "负责单位", "负责部门", "责任主体", "实施单位", "落实单位", "承办单位")
TIME_LABELS = ("完成时限", "完成时间", "时间节点", "时限要求", "时间要求", "进度要求", "完成期限", "办结时限")
# Fields a clause may carry that name neither a unit nor a time ("(负责部门:A;适用范围:…)").
OTHER_FIELD_LABELS = ("适用范围", "实施范围", "工作内容", "主要内容", "具体内容", "任务内容", "工作目标", "预期成果",
                      "考核方式", "考核指标", "工作要求", "备注", "说明")
UNIT_LABELS = LEAD_LABELS + CO_LABELS + RESPONSIBLE_LABELS
ALL_LABELS = UNIT_LABELS + TIME_LABELS + OTHER_FIELD_LABELS
LABEL_QUALIFIERS = ("主要", "具体", "其他")

# Role words written after names in an unlabelled clause ("A牵头,B、C按职责分工负责").
ROLE_TAILS = ("按职责分工负责", "按职责分工落实", "按职能分工负责", "按职责负责", "按职责落实", "按职能负责",
              "分别负责", "分工负责", "负责落实", "共同负责", "牵头负责", "配合落实", "协同配合", "依职责负责",
              "牵头", "负责", "配合", "参与", "协助", "协同", "落实")
LEAD_ROLE_WORDS = ("牵头", "主责")
# "A会同B负责": the names before the word are the principals, the names after it take part.
PRINCIPAL_JOINS = ("会同",)
# Names that name no one when they follow a principal join ("A会同有关部门负责").
NOBODY_NAMES = ("有关部门", "相关部门", "有关单位", "相关单位", "其他有关部门", "其他相关部门", "有关方面", "相关方面")
# Words joining two names in a list ("A、B等和各省级人民政府", "A以及B").
NAME_JOINS = ("等和", "等及", "以及", "会同", "和", "及", "与")
# An open-ended tail after the last name ("市民政局等相关部门").
ETC_TAIL = r"等(?:相关|有关|其他|其它)?(?:部门|单位|机构|成员单位|职能部门)?$"

# How the names of offices end: any unit, and the stricter forms departments and governments take.
UNIT_ENDINGS = ("局", "委", "办", "部", "院", "会", "厅", "室", "中心", "政府", "管委", "队", "行", "公司", "联", "社",
                "站", "所", "处", "馆", "司", "署", "集团", "办公室", "部门", "单位", "街道", "乡镇", "(街道)", "(市)",
                "(区)", "协会", "法院", "检察院", "团", "军分区", "组", "组委", "园区", "片区", "机构", "小组", "支行",
                "分行", "企业", "管理办", "实验室", "大学", "学院", "医院", "主体", "总局", "组委会", "办事处")
DEPARTMENT_ENDINGS = ("局", "委", "办", "部", "厅", "室", "中心", "政府", "管委", "管委会", "队", "联", "办公室", "部门",
                      "单位", "街道", "乡镇", "(街道)", "院", "行", "会", "社", "所", "站", "处", "馆", "公司", "署",
                      "集团", "组委")
# Groups of governments written as one unit ("各区县(市)政府", "各乡镇(街道)"): how they start and end.
GROUP_MARK = "各"  # a name starting with it stands for every unit of a kind, not for one office
# The level each start names (duban.rules.places): 各县区 are counties, 各乡镇(街道) townships.
GROUP_START_LEVELS = {"区县": "county", "县区": "county", "县(市": "county", "县市": "county", "旗县": "county",
                      "乡镇": "township", "街道": "township", "县": "county", "区": "county", "市": "city",
                      "旗": "county"}
GROUP_LEVEL_STARTS = tuple(GROUP_START_LEVELS)
GROUP_GOVERNMENT_ENDS = ("政府", "管委会", "办事处")
GROUP_ADMIN_WORDS = ("街道", "开发区")  # with level characters, "各县、市、区" reads as one group's start
# Institutions and bodies that are proper names: a list's level prefix is never given to them.
PROPER_NAME_ENDINGS = ("实验室", "大学", "学院", "医院", "研究院", "研究所", "集团", "公司", "银行", "基金会", "报社",
                       "电视台", "出版社", "交易所")
# Words that do not belong in a unit's name: a unit holding one is flagged for review.
ODD_UNIT_WORDS = ("负责", "落实", "加强", "开展", "做好", "完善", "确保", "按照", "要求", "推动", "积极")
# Offices of the Party committee: a list's "市委" prefix stays whole on them (市委宣传部, 市委网信办).
PARTY_OFFICE_ENDINGS = ("部", "编办", "政法委", "网信办", "老干部局", "老干局", "党校", "党史研究室")
# Region words that make a name a national system's branch ("民航华东管理局").
REGION_WORDS = ("华东", "华北", "华南", "华中", "西南", "西北", "东北", "长三角", "珠三角")
# Characters that mark an administrative level, and words in which they do not ("市场", "城乡").
LEVEL_CHARS = "省市县区旗盟州乡镇"
LEVEL_WORDS = ("街道",)  # a name holding one of these names its own place ("某某街道管理办")
NOT_LEVEL_WORDS = ("市场", "城乡", "乡村", "区域", "县域", "市政", "市容", "社区")
# Place-name endings (钦州市, 黄浦区, 恩施土家族苗族自治州).
PLACE_SUFFIXES = ("自治州", "自治县", "自治旗", "市", "县", "区", "旗", "州", "盟")
PROVINCE_SUFFIXES = ("省", "自治区")
# The levels of places, top down (省 → 市 → 县区 → 乡镇), and the endings that name each (the longest ending wins:
# 自治区 is a province, 金水区 a county). A 市 directly under a 市 is a county-level city (新郑市).
PLACE_LEVEL_ENDINGS = {
    "province": PROVINCE_SUFFIXES + ("特别行政区",),
    "city": ("市", "自治州", "州", "盟", "地区"),
    "county": ("县", "区", "旗", "自治县", "自治旗", "县级市"),
    "township": ("乡", "镇", "街道", "苏木", "民族乡", "街道办事处"),
}
# Cities that are provinces (直辖市).
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# How a national document is recognised by its issuer.
NATIONAL_ISSUERS = ("国务院", "国务院办公厅", "中共中央", "中共中央办公厅", "全国人民代表大会常务委员会")

# Document rules: "排在第一位的部门为牵头部门", "列第一位者为牵头单位,下同", "无牵头单位的,责任单位即为牵头单位".
FIRST_POSITION = ("排在", "排列在", "列在", "位列", "列于", "排序", "列")
FIRST_WORDS = ("第一位", "首位", "第一个", "最前面", "第一")
SAME_BELOW = ("下同", "以下同", "后同")


# --- time phrases and plan periods ----------------------------------------------------------------

# Chinese numerals: duban.rules.numerals; five-year plans and the year each ends: duban.rules.plan_periods.
# Words saying a task goes on without an end: the task is ongoing and they set no deadline.
ONGOING_WORDS = ("持续推进", "长期坚持", "长期推进", "长期实施", "长期开展", "持续开展", "常抓不懈")
ONGOING_CELL_WORDS = ("长期", "持续", "长期坚持", "持续推进", "常态化", "长期推进", "持续实施", "长期执行", "每年持续推进")
# Verbs that make "N年内" a deadline ("三年内完成"); without one it is how long something lasts ("两年之内…实行").
COMPLETION_VERBS = ("完成", "实现", "建成", "达到", "形成", "覆盖", "消除", "到位", "建立", "出台", "制定", "落实",
                    "解决", "全部", "全面", "基本", "初步", "力争", "确保", "取得", "见效", "推广", "提高", "提升",
                    "降低", "新增", "改造", "清理", "整改", "验收", "投入使用", "建设")
# Words after a year that make it a baseline or a name, not a deadline ("2020年完成值").
YEAR_NOT_DEADLINE_AFTER = ("完成值", "基数", "基期", "现状", "数据", "以来", "起", "开始", "度", "年初", "初", "的基础",
                           "水平", "同期", "相比", "比")
# Relative years that do set a date, and the offset from the reference year. Budget-cycle words (本年度,
# 下一年度) are left out on purpose: they name a budget year, not when a task is due.
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "次年": 1, "下一年": 1, "下年": 1, "后年": 2}
# Time words that mark a trailing segment of an unlabelled clause as its time limit ("…负责,2025年底前").
CLAUSE_TIME_MARKS = ("年底", "年末", "月底", "季度", "半年", "每年", "每月", "长期", "持续", "完成时限", "前完成")
# Words after "N年" / "N个月" that make it a length of time ("3年以上劳动合同"), not a date.
DURATION_TAILS = ("以上", "以下", "及以上", "及以下", "左右", "多")
# Phrases of an issue date ("自印发之日起30日内").
ISSUE_DAY_WORDS = ("印发之日", "发布之日", "公布之日", "施行之日", "出台之日", "下发之日")


# --- tables and indicators --------------------------------------------------------------------------
# Header cells of task tables, by the column role they name (first matching role wins).
TASK_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号", "序")),  # whole cell
    ("leader", ("领导", "负责人", "联系人", "责任人")),  # people (牵头市领导), not departments
    ("lead", ("牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位", "牵头")),
    ("co", ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协作单位", "协助单位", "配合")),
    ("resp", ("责任单位", "责任部门", "负责单位", "实施单位", "责任主体", "承办单位", "落实单位")),
    ("time", ("完成时限", "完成时间", "时间节点", "时限", "进度安排", "完成期限", "时间安排", "时间要求", "进度要求")),
    ("task", ("任务", "工作内容", "工作措施", "主要措施", "具体措施", "重点工作", "工作事项", "事项", "内容", "举措",
              "措施", "项目名称")),
)
# Header cells of indicator tables: (whole cell or anywhere, words, role); the first rule that matches names it.
INDICATOR_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("whole", ("序号", "编号", "序"), "number"),
    ("whole", ("年度", "年份", "年"), "year_rows"),
    ("any", ("性质", "属性"), "nature"),
    ("any", ("责任单位", "牵头单位", "责任部门", "牵头部门", "责任主体", "实施单位"), "responsible"),
    ("whole", ("单位", "计量单位"), "measure"),
    ("whole", ("类别", "领域", "分类", "类型", "维度"), "category"),
    ("any", ("现有", "现状", "基期", "基数", "基准", "现值", "完成值", "实际"), "baseline"),
    ("any", ("目标", "规划值", "预期值", "计划值", "期末"), "target"),
    ("any", ("指标", "名称", "项目", "内容"), "name"),
)
# A line that opens a table copied one cell per line (the first header cell).
TABLE_FIRST_HEADER_CELLS = ("序号", "编号", "指标名称", "指标", "年度", "年份", "重点任务", "工作任务", "主要任务", "类别")
# Words that mark a line above a table as its caption (rather than a note such as "打*的为具体项目").
CAPTION_WORDS = ("表", "指标", "清单", "一览", "目录", "台账")
# Words that make a table of figures a table of targets (caption or header): allocation and plan tables.
TARGET_TABLE_WORDS = ("指标", "目标", "计划", "任务", "分配", "分解", "预期", "规划")
# A row label that sums the rows above (the name becomes column header + this word, the number null).
TOTAL_ROW_WORDS = ("合计", "汇总", "总计", "小计", "累计", "总量", "全市合计", "全省合计", "全区合计", "全县合计")
# Lines that end a table copied one cell per line.
TABLE_NOTE_STARTS = ("注:", "注:", "备注:", "说明:", "资料来源", "数据来源")
# Endings that make a cell of a table copied one cell per line read as a unit list (with 各 or a level
# prefix any unit ending does): 申通地铁集团, 中国铁路上海局.
TABLE_UNIT_ENDS = ("局", "委", "办", "厅", "政府", "集团", "公司", "管委会", "中心", "办公室", "部", "委员会", "支队", "分行",
                   "支行", "联合会", "院")
# Cells that mean "no value".
EMPTY_CELLS = ("", "—", "——", "-", "--", "/", "无", "—-", "－", "－－", "\\", "…", "———")
# A caption or heading naming its category: "全市养老方面具体指标" -> 养老 (the word before the marker).
CATEGORY_MARKERS = ("方面",)
# Place words a category is written after ("全市养老方面"): not part of the category.
CATEGORY_PLACE_PREFIXES = ("全省", "全市", "全县", "全区", "全旗", "全州", "本市", "本县", "本区", "我市", "我县", "我区")

# Goal sections: headings naming the plan's targets, and headings below them that are not targets.
GOAL_HEADING_WORDS = ("目标", "具体指标", "主要指标", "发展指标", "指标体系")
TASK_HEADING_WORDS = ("重点任务", "主要任务", "工作任务", "任务分工", "重点工作", "保障措施", "组织实施", "要素")
NOT_GOAL_HEADING_WORDS = ("思路", "原则", "背景", "基础", "趋势", "形势", "重点任务", "主要任务", "措施", "保障", "要素",
                          "要求", "意义", "现状")
GOAL_LEAD_IN_WORDS = ("发展目标", "主要目标", "总体目标", "工作目标", "整体目标", "具体目标", "近期目标", "远期目标",
                      "中期目标", "阶段目标")
# Qualifiers written before and after a target's number (kept with it) ...
TARGET_PRE_QUALIFIERS = ("不低于", "不少于", "不高于", "不超过", "至少", "超过", "高于", "低于", "少于", "大于", "小于",
                         "≥", "≤", ">", "<", "≧", "≦")
TARGET_POST_QUALIFIERS = ("以上", "以下", "左右", "以内", "及以上", "之内")
# ... commitment words kept before a target when the sentence gives two levels ("确保120MW,力争180MW").
COMMITMENT_WORDS = ("确保", "力争", "争取", "努力")
# Magnitudes and measures a target's number is written with.
MAGNITUDES = ("万亿", "千亿", "百亿", "亿", "千万", "百万", "万", "千", "百")
MEASURES = ("千瓦时", "千瓦", "兆瓦", "吉瓦", "瓦", "平方公里", "平方米", "公顷", "亩", "公里", "千米", "米", "吨标准煤", "吨", "标准煤",
            "元", "美元", "%", "‰", "个百分点", "个", "张", "所", "家", "人次", "人", "名", "户", "处", "座", "项", "次", "岁",
            "床", "间", "分钟", "小时", "天", "套", "辆", "批", "条", "台", "部", "件", "支", "场", "届", "类", "种", "块", "栋",
            "立方米", "标箱", "艘", "架", "班", "倍")
# Verbs between a subject and its target ("…达到70%", "…稳定在11亿千瓦左右").
TARGET_VERBS = ("达到", "达", "提高到", "提升到", "提高至", "提升至", "增加到", "增加至", "增长到", "增至", "保持在", "稳定在",
                "控制在", "实现", "突破", "下降到", "下降至", "降低到", "降低至", "降至", "减少到", "减少至", "压减到", "压减至")
# Verbs before a counted object ("推出100项…赛事", "形成50个以上…案例"): the object is the indicator's name.
OBJECT_VERBS = ("新建成", "建成", "建设", "新建", "建有", "建立", "培育", "打造", "创建", "设立", "新增", "培养", "引进",
                "改造", "推出", "形成", "开发", "举办", "认定", "遴选", "扶持", "创办", "建")
# Words that mark a joint statement over several subjects: "种植、收获机械化率均达到45%", "分别达到65%和55%".
JOINT_EACH_WORDS = ("均", "都", "全部")
JOINT_RESPECTIVE_WORDS = ("分别",)
# Words trimmed off a target's name: leading connectives and trailing adverbs ("其中…", "…总体").
NAME_LEADING_WORDS = ("其中", "另有", "另外", "并且", "且", "并", "同时", "还", "以及", "此外", "全面", "计划", "力争", "确保",
                      "争取", "预计", "进一步", "要", "实现")
NAME_TRAILING_WORDS = ("共计", "合计", "总计", "累计", "总体", "整体", "将", "要", "均", "都", "为", "共", "约", "的", "达",
                       "确保", "力争", "争取")
# A clause opening with these and no figure is a trend, not a target.
VAGUE_OPENERS = ("逐步", "逐年", "稳步", "不断", "持续", "力求")
# Ends of a measured name ("…覆盖率", "…人数"): a list of such names is a list of indicators.
MEASURED_NAME_ENDS = ("率", "数", "比", "比例", "占比", "量", "面", "规模", "人数", "覆盖率")
# Header cells of the serial-number column that opens each row of a table copied one cell per line.
SERIAL_HEADER_CELLS = ("序号", "编号", "序")
