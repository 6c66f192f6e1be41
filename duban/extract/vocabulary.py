"""The words the extractor knows, as data: every stage reads its vocabulary from here.

Rules in the stage modules say how a pattern is used; this module says which words fill it, so an
office's new wording is a change of data in one place. No topic word decides anything on its own.
"""
from __future__ import annotations

# --- responsibility clauses, units, leads and document rules --------------------------------------

# --- time phrases and plan periods ----------------------------------------------------------------

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
