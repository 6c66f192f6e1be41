"""Targets written in the running text of goal sections (发展目标 / 总体目标 / 整体目标 / 具体指标),
each tied to the year its sentence names: "到2025年,护理型床位占比达到60%以上" -> 护理型床位占比, 60%以上, 2025.
"""
from __future__ import annotations

import re

from duban.extract.indicators import category_named, make_indicator, section_name
from duban.extract.normalize import bracket_depths, half
from duban.extract.structure import Node, Paragraph
from duban.extract.vocabulary import (
    COMMITMENT_WORDS,
    GOAL_HEADING_WORDS,
    GOAL_LEAD_IN_WORDS,
    JOINT_EACH_WORDS,
    JOINT_RESPECTIVE_WORDS,
    MAGNITUDES,
    MEASURED_NAME_ENDS,
    MEASURES,
    NAME_LEADING_WORDS,
    NAME_TRAILING_WORDS,
    NOT_GOAL_HEADING_WORDS,
    OBJECT_VERBS,
    TARGET_POST_QUALIFIERS,
    TARGET_PRE_QUALIFIERS,
    TARGET_VERBS,
    TASK_HEADING_WORDS,
    VAGUE_OPENERS,
)
from duban.rules.plan_periods import PLAN_END


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_GOAL = re.compile(_alt(GOAL_HEADING_WORDS))
_TASK_SECTION = re.compile(_alt(TASK_HEADING_WORDS))
_NOT_GOAL = re.compile(_alt(NOT_GOAL_HEADING_WORDS))

_QUAL = rf"(?:{_alt(TARGET_PRE_QUALIFIERS)})?"
_NUM = r"\d+(?:\.\d+)?"
_MEASURE = rf"(?:{_alt(MEASURES)}|[A-Za-z]{{1,4}}(?![A-Za-z]))"
_UNIT = rf"(?:(?:{_alt(MAGNITUDES)})?{_MEASURE}|{_alt(MAGNITUDES)})?"
_POST = rf"(?:{_alt(TARGET_POST_QUALIFIERS)})?"
_VALUE = rf"{_QUAL}{_NUM}{_UNIT}{_POST}"
_VALUES = rf"{_VALUE}(?:(?:和|与|、){_VALUE})*"
_ADVERBS = rf"(?:要|将|预计|可|基本|总体|整体|{_alt(COMMITMENT_WORDS + JOINT_EACH_WORDS + JOINT_RESPECTIVE_WORDS)})*"
_VERB = rf"(?:{_alt(TARGET_VERBS)})"
_P_VERB = re.compile(rf"^(?P<name>.+?)(?P<adv>{_ADVERBS}){_VERB}(?P<val>{_VALUES})$")
_P_JUXT = re.compile(rf"^(?P<name>.*?[^\d.\s])\s*(?:共计|合计|总计|累计|共|约为|约|为)?\s*(?P<val>{_VALUE})$")
# a second level for the same target, with no subject of its own: "…确保达到120MW,力争达到180MW"
_P_STRETCH = re.compile(rf"^(?P<adv>{_alt(COMMITMENT_WORDS)})(?:{_VERB})?(?P<val>{_VALUE})$")
_COUNTED = _alt([m for m in MEASURES if m not in ("%", "‰", "个百分点", "倍")])
_P_OBJECT = re.compile(
    rf"^(?P<subj>.*?)(?P<qual>至少|不少于)?(?P<verb>{_alt(OBJECT_VERBS)})"
    rf"(?P<val>\d+(?:\.\d+)?(?:[-~～—至]\d+(?:\.\d+)?)?万?(?:{_COUNTED})(?:以上|左右)?)(?P<obj>[^\d,].*)$")
_P_SHARE = re.compile(
    r"^(?P<pre>[^\d]{0,6}?)(?P<val>\d+(?:\.\d+)?%(?:以上)?)的?(?P<noun>[\u4e00-\u9fa5]{2,12}?)"
    r"(?P<pred>(?:能够|能|可以|可|均能|都能|均已|已)[^,]+)$")
_P_FULL = re.compile(r"^(?P<name>.+?)(?:基本|全面)?(?:实现|达到)?(?P<val>全覆盖)$")
# "…隔音棚实现光伏全覆盖": what is covered is written between the verb and 全覆盖, and stays with the target
_P_FULL_OF = re.compile(r"^(?P<name>.+?)(?:基本|全面)?(?:实现|达到)(?P<val>(?!基本|全面)[\u4e00-\u9fff]{1,4}全覆盖)$")
_P_ALL = re.compile(r"^(?P<a>.+?)覆盖(?P<val>所有|全部)(?P<b>.+)$")
_P_EACH = re.compile(r"^(?P<subj>每个|每一个|各)(?P<x>[^,]+?)(?P<adv>均|都)(?P<verb>建有|建成|设有|配备|配有)(?P<obj>.+)$")
_SUBJECT_VERB = re.compile(r"^(?P<subj>全[市县区旗]|各[市县区旗乡镇][^,]{0,4}?|[市县区]主城区|每个[^,]{1,4}?)"
                           r"(?:新建成|建成|建设|新建|建有|培育|打造|创建|设立|新增|培养|引进)(?=\S)")
_VAGUE = re.compile(rf"^(?:积极|努力)?(?:{_alt(VAGUE_OPENERS)})")
_LEADING = re.compile(rf"^(?:{_alt(NAME_LEADING_WORDS)})+")
_TRAILING = re.compile(rf"(?:{_alt(NAME_TRAILING_WORDS)})+$")
_TIME_HEAD = re.compile(
    r"^(?:展望|远景)?(?:(?:力争|争取|确保)?(?:到|至))?(?:(?P<y>(?:19|20)\d{2})\s*年(?:年)?(?:底|末)?(?:前|之前|时)?|"
    rf"[“\"]?(?P<plan>{_alt(PLAN_END)})[”\"]?(?:期间|期末|时期|末期|末))")
_CATEGORY_HEAD = re.compile(r"^[—\-\s]*[\u4e00-\u9fff]{2,10}方面")
_LIST_SUFFIX = re.compile(rf"(?:{_alt(MEASURED_NAME_ENDS)})$")


def _is_goal(path: list[str]) -> bool:
    last_goal = max((k for k, h in enumerate(path) if _GOAL.search(h)), default=-1)
    if last_goal < 0:
        return False
    if any(_TASK_SECTION.search(h) for h in path[:last_goal]):
        return False  # "三、重点任务 > (三)实行目标管理" is a task, not the goal section
    return not any(_NOT_GOAL.search(h) for h in path[last_goal + 1:])


_GOAL_LEAD_IN = re.compile(rf"^\s*(?:{_alt(GOAL_LEAD_IN_WORDS)})\s*[:。]")


def _goal_paragraphs(node: Node, path: list[str], out: list[tuple[Paragraph, list[str]]]) -> None:
    for b in node.body:
        if isinstance(b, Node):
            _goal_paragraphs(b, path + [b.heading], out)
        elif isinstance(b, Paragraph) and (_is_goal(path) or _GOAL_LEAD_IN.match(b.norm)):
            out.append((b, path))


def _spans(norm: str, seps: str) -> list[tuple[int, int]]:
    depths = bracket_depths(norm)
    spans, start = [], 0
    for i, ch in enumerate(norm):
        if ch in seps and depths[i] == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(norm)))
    return [(s, e) for s, e in spans if norm[s:e].strip()]


def _quoted(norm: str) -> list[bool]:
    inside, out = 0, []
    for ch in norm:
        if ch == "“":
            inside += 1
        out.append(inside > 0)
        if ch == "”" and inside:
            inside -= 1
    return out


def _clip(o: str, n: str, rx: re.Pattern, at_start: bool) -> tuple[str, str]:
    m = rx.search(n)
    if not m:
        return o, n
    if at_start:
        return o[m.end():], n[m.end():]
    return o[:m.start()], n[:m.start()]


def _name(o: str) -> str:
    o = re.sub(r"\s+", "", o)
    n = half(o)
    o, n = _clip(o, n, _LEADING, True)
    o, n = _clip(o, n, _TRAILING, False)
    return o.strip()


def _good_name(name: str) -> bool:
    n = half(name)
    if re.search(r"(?:附表|表|附件|图|第)$", n):  # "具体指标见表1": a reference, not a target
        return False
    return len(n) >= 2 and not re.fullmatch(r"全[市县区旗]|各[市县区]|我[市县区]|(?:19|20)\d{2}年?", n) and "。" not in n


def _match_clause(o: str, n: str) -> list[tuple[str, str]]:
    """(name, target) pairs read from one clause of a goal sentence."""
    for rx in (_P_VERB, _P_JUXT):
        m = rx.match(n)
        if m:
            name_o = o[m.start("name"):m.end("name")]
            if rx is _P_JUXT:
                v = _SUBJECT_VERB.match(half(name_o))
                if v:
                    name_o = name_o[:v.end("subj")] + name_o[v.end():]
            val = o[m.start("val"):m.end("val")].strip()
            if re.fullmatch(r"(?:19|20)\d{2}", half(val)):
                return []
            adv = m.group("adv") if rx is _P_VERB else ""
            if adv and any(w in adv for w in COMMITMENT_WORDS):
                val = "".join(w for w in COMMITMENT_WORDS if w in adv)[:2] + val
            return _joint(name_o, val, adv)
    m = _P_OBJECT.match(n)
    if m:
        subj = o[m.start("subj"):m.end("subj")]
        verb = o[m.start("verb"):m.end("verb")] if re.match(r"^(?:每个|每一个|各)", half(subj)) else ""
        name = subj + verb + o[m.start("obj"):m.end("obj")]
        return [(name, (o[m.start("qual"):m.end("qual")] if m.group("qual") else "") + o[m.start("val"):m.end("val")])]
    m = _P_SHARE.match(n)
    if m:
        return [(o[m.start("pred"):m.end("pred")] + "的" + o[m.start("noun"):m.end("noun")] + "占比",
                 o[m.start("val"):m.end("val")])]
    m = _P_FULL_OF.match(n)
    if m:
        return [(o[m.start("name"):m.end("name")], o[m.start("val"):m.end("val")])]
    m = _P_FULL.match(n)
    if m:
        return [(o[m.start("name"):m.end("name")] + "覆盖", "全覆盖")]
    m = _P_ALL.match(n)
    if m:
        return [(o[m.start("a"):m.end("a")] + "覆盖" + o[m.start("b"):m.end("b")], o[m.start("val"):m.end("val")])]
    m = _P_EACH.match(n)
    if m:
        name = o[m.start("subj"):m.end("x")] + o[m.start("verb"):m.end("obj")]
        return [(name, o[m.start("adv"):m.end("verb")])]
    return []


def _joint(name_o: str, val: str, adv: str) -> list[tuple[str, str]]:
    """One indicator per subject of a joint statement: "A种植、收获机械化率均达到45%" gives two with 45%,
    "…分别达到65%和55%" pairs the subjects with the values in order; otherwise the name stays whole."""
    values = [v for v in re.split(r"和|与|、", val) if v.strip()]
    each = any(w in adv for w in JOINT_EACH_WORDS)
    respective = any(w in adv for w in JOINT_RESPECTIVE_WORDS)
    if not each and not respective:
        return [(p, val) for p in _list_parts(name_o)] if len(values) == 1 else []
    names = _expand_subjects(name_o)
    if respective and len(values) == len(names):
        return list(zip(names, values, strict=True))
    if len(values) == 1:
        return [(x, val) for x in names]
    return [(name_o, val)]


def _expand_subjects(name_o: str) -> list[str]:
    """"马铃薯种植、收获机械化率" -> 马铃薯种植机械化率, 马铃薯收获机械化率: the listed words share the
    first part's lead and the last part's head noun. The listed words are as long as the middle ones,
    else as long as the stretch the first and last parts have alike, else two characters."""
    n = half(name_o)
    spans = _spans(n, "、")
    parts = [name_o[a:b].strip() for a, b in spans]
    if len(parts) < 2 or any(not p for p in parts):
        return [name_o]
    if all(len(p) >= 4 and _LIST_SUFFIX.search(p) for p in parts):
        return parts
    first, last, middle = parts[0], parts[-1], parts[1:-1]
    if middle and len({len(p) for p in middle}) == 1:
        k = len(middle[0])
    else:
        k = min(len(first), 2)
        for size in range(2, min(len(first), len(last) - 1) + 1):
            alike = sum(x == y for x, y in zip(first[-size:], last[:size], strict=True))
            if alike >= 2 and alike * 2 >= size:
                k = size
    if k >= len(last) or k > len(first):
        return [name_o]
    lead, head = first[:len(first) - k], last[k:]
    return [lead + item + head for item in [first[len(first) - k:]] + middle + [last[:k]]]


def _list_parts(name_o: str) -> list[str]:
    n = half(name_o)
    spans = _spans(n, "、")
    if len(spans) >= 2:
        parts = [name_o[s:e].strip() for s, e in spans]
        if all(len(p) >= 4 and _LIST_SUFFIX.search(p) for p in parts):
            return parts
    return [name_o]


def _complete_ellipsis(items: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Shared objects written once: 每个街道建成1家不少于50个托位规模、每个乡镇建成1家…机构."""
    def shape(s: str) -> str:
        return re.sub(r"\d+(?:\.\d+)?", "0", s)

    out = []
    for k, (subj_name, obj, val) in enumerate(items):
        if k + 1 < len(items):
            last_obj = items[-1][1]
            if len(obj) < len(last_obj) and shape(last_obj).startswith(shape(obj)):
                tail = last_obj[len(last_obj) - (len(shape(last_obj)) - len(shape(obj))):]
                obj = obj + tail
        out.append((subj_name + obj, val))
    return out


def _clause_items(o: str, n: str) -> list[tuple[str, str]]:
    spans = _spans(n, "、")
    if len(spans) >= 2:
        pieces = [(o[s:e], n[s:e]) for s, e in spans]
        matched = [_P_OBJECT.match(pn.strip()) for _, pn in pieces]
        if all(matched):
            items = []
            for (po, pn), m in zip(pieces, matched, strict=True):
                lead = len(pn) - len(pn.lstrip())
                po = po[lead:]
                subj = po[m.start("subj"):m.end("subj")] + po[m.start("verb"):m.end("verb")]
                val = (po[m.start("qual"):m.end("qual")] if m.group("qual") else "") + po[m.start("val"):m.end("val")]
                items.append((subj, po[m.start("obj"):m.end("obj")], val))
            return _complete_ellipsis(items)
    return _match_clause(o, n)


def _path_category(path: list[str]) -> str | None:
    """The category the goal section's own headings give: a heading naming "X方面", or a sub-heading
    under the goal heading that is a bare label ("(一)养老服务"), as written."""
    for h in reversed(path):
        named = category_named(h)
        if named:
            return named
    last_goal = max((k for k, h in enumerate(path) if _GOAL.search(h)), default=-1)
    for h in reversed(path[last_goal + 1:] if last_goal >= 0 else []):
        label = section_name(h)
        if label and not re.search(r"\d|目标|指标", label) and len(label) <= 12:
            return label
    return None


def goal_targets(root: Node) -> list[dict]:
    """Targets written in the running text of goal sections, each tied to the year its sentence names."""
    paragraphs: list[tuple[Paragraph, list[str]]] = []
    _goal_paragraphs(root, [], paragraphs)
    out = []
    carried: dict[tuple[str, ...], int] = {}
    for para, path in paragraphs:
        o_all, n_all = para.orig, para.norm
        if para.heading_line:
            o_all, n_all = o_all[para.body_start:], n_all[para.body_start:]
        if "|" in n_all or not n_all.strip():
            continue
        quoted = _quoted(n_all)
        year = next((carried[tuple(path[:k])] for k in range(len(path), 0, -1) if tuple(path[:k]) in carried), None)
        category = _path_category(path)
        for s_start, s_end in _spans(n_all, "。"):
            sentence_n = n_all[s_start:s_end]
            cm = _CATEGORY_HEAD.match(sentence_n)
            if cm:
                category = category_named(cm.group(0))
            previous: dict | None = None
            for c_start, c_end in _spans(sentence_n, ",;:"):
                a, b = s_start + c_start, s_start + c_end
                o, n = o_all[a:b].strip(), n_all[a:b].strip()
                lead = len(n_all[a:b]) - len(n_all[a:b].lstrip())
                q = quoted[a + lead:a + lead + len(n)]
                cm2 = _CATEGORY_HEAD.match(n)
                if cm2:
                    category = category_named(cm2.group(0))
                if re.match(r"^(?:截至|截止|截到|现有|目前|当前)", n) or (_VAGUE.match(n) and not re.search(r"\d", n)):
                    continue
                tm = _TIME_HEAD.match(n)
                if tm:
                    year = int(tm.group("y")) if tm.group("y") else PLAN_END[tm.group("plan")]
                    o, n, q = o[tm.end():], n[tm.end():], q[tm.end():]
                n = re.sub(r"\([^()]*\)$", lambda m: " " * len(m.group(0)), n)
                if not n.strip() or not re.search(r"\d|全覆盖|所有|全部|均建有|均建成", n):
                    continue
                digit_positions = [k for k, ch in enumerate(n) if ch.isdigit()]
                if digit_positions and all(q[k] for k in digit_positions):
                    continue
                stripped_n = n.rstrip()
                o = o[:len(stripped_n)]
                sm = _P_STRETCH.match(stripped_n)
                if sm and previous is not None:
                    # the same target's second level: "确保120MW,力争180MW"
                    sep = o_all[a - 1] if a > 0 else ","
                    previous["target"] += sep + o[sm.start("adv"):sm.end("adv")] + o[sm.start("val"):sm.end("val")]
                    previous = None
                    continue
                previous = None
                lead_junk = _LEADING.match(stripped_n)
                if lead_junk:
                    o, stripped_n = o[lead_junk.end():], stripped_n[lead_junk.end():]
                for name, target in _clause_items(o, stripped_n):
                    name = _name(name)
                    if not _good_name(name):
                        continue
                    if year is None:
                        continue
                    out.append(make_indicator(None, category, None, name, None, None, target.strip(), year))
                    previous = out[-1]
        if year is not None:
            carried[tuple(path)] = year
    return out
