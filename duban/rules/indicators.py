"""Indicator values as plans write them (`≥60%`, `0.3所`, `应保尽保`) and whether an actual is on course."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from duban.rules.status import GREEN, RED, YELLOW

GREY = "灰"
LIGHT_COLOURS_ALL = {RED: "#d93025", YELLOW: "#f2a900", GREEN: "#1e8e3e", GREY: "#9aa0a6"}

BINDING, EXPECTED = "约束性", "预期性"
NATURES = [BINDING, EXPECTED]

TEXT = "文字"
COMPARISONS = ["≥", "≤", ">", "<", "=", TEXT]

# assessment states
MET = "已达标"
ON_COURSE = "正常推进"
BEHIND = "进度滞后"
MISSED = "未达标"
NO_ACTUAL = "待填报"
UNASSESSED = "待评估"
ON_STATES = (MET, ON_COURSE)
OFF_STATES = (BEHIND, MISSED)

_COMPARISON_FORMS = {">=": "≥", "≧": "≥", "⩾": "≥", "<=": "≤", "≦": "≤", "⩽": "≤", "==": "=", "text": TEXT}

NONE_MARKS = {"", "—", "——", "-", "--", "–", "/", "无", "暂无", "null", "None"}

# qualifiers written before the number, longest first
_PREFIXES = [
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("达到", "="), ("超过", ">"), ("高于", ">"),
    ("大于", ">"), ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("控制在", "≤"), ("低于", "<"), ("小于", "<"),
    (">=", "≥"), ("<=", "≤"), ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"),
    (">", ">"), ("<", "<"), ("=", "="), ("约", "="), ("达", "="),
]
# qualifiers written after the number and its unit
_SUFFIXES = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("左右", "=")]
_MULTIPLIERS = {"百万": 1e6, "千万": 1e7, "万": 1e4, "亿": 1e8, "千": 1e3}
_PERCENT = {"%": 1.0, "‰": 0.1}
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(.*)$")

# actual values that say a textual target is reached / is not
MET_WORDS = {"是", "已实现", "实现", "达到", "已达到", "达标", "已达标", "完成", "已完成", "应保尽保", "全覆盖",
             "已全覆盖", "所有", "均建有", "已建成", "建成", "满足", "符合", "已落实", "落实", "每个区县(市)"}
UNMET_WORDS = {"否", "未实现", "未达到", "未达标", "未完成", "部分", "部分实现", "部分覆盖", "未覆盖", "未建成", "不满足"}


@dataclass(frozen=True)
class Unit:
    """A measure unit split into its multiplier (万, 亿) and what is counted (%, 名, 所, 张)."""

    text: str  # as written, e.g. 万张
    base: str  # 张, %, '' for a bare multiplier
    factor: float  # value in base = number * factor (‰ counts 0.1 of a %)

    @property
    def is_percent(self) -> bool:
        return self.base == "%"


@dataclass(frozen=True)
class Value:
    """One indicator value: a comparison, a number and its unit, or a textual goal such as 应保尽保."""

    text: str
    comparison: str | None  # ≥ ≤ > < = for numbers, 文字 for text, None for no value
    number: float | None
    unit: Unit | None

    @property
    def is_none(self) -> bool:
        return self.comparison is None

    @property
    def is_textual(self) -> bool:
        return self.comparison == TEXT

    @property
    def is_numeric(self) -> bool:
        return self.number is not None

    @property
    def unit_text(self) -> str:
        return self.unit.text if self.unit else ""


NONE_VALUE = Value("", None, None, None)


def normalise(text: str | None) -> str:
    """Full-width forms folded to ASCII (NFKC), spaces and thousands separators removed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = re.sub(r"\s+", "", s)
    return re.sub(r"(?<=\d),(?=\d{3})", "", s)


def normalise_comparison(text: str | None) -> str | None:
    """`>=` / `≧` -> `≥`, `<=` -> `≤`; None for nothing; anything else as written (checked by the caller)."""
    s = normalise(text)
    if not s:
        return None
    return _COMPARISON_FORMS.get(s, s)


def parse_unit(text: str | None) -> Unit | None:
    """`万张` -> (10000, 张), `%` -> (1, %), `‰` -> (0.1, %); None for no unit."""
    s = normalise(text)
    if not s:
        return None
    if s in _PERCENT:
        return Unit(s, "%", _PERCENT[s])
    for prefix, factor in _MULTIPLIERS.items():
        if s.startswith(prefix):
            rest = s[len(prefix):]
            if rest in _PERCENT:
                return None
            return Unit(s, rest, factor)
    return Unit(s, s, 1.0)


def parse_value(text: str | None) -> Value:
    """Read a value as written in a plan or a report: `45.5%`, `≥1名`, `≧4.5`, `60%以上`, `不少于4.5个`, `应保尽保`, `——`."""
    s = normalise(text)
    if s in NONE_MARKS:
        return Value(s, None, None, None)
    comparison = None
    body = s
    for word, symbol in _PREFIXES:
        if body.startswith(word) and re.match(r"[+-]?\d", body[len(word):]):
            comparison, body = symbol, body[len(word):]
            break
    for word, symbol in _SUFFIXES:
        if body.endswith(word):
            comparison, body = comparison if comparison not in (None, "=") else symbol, body[: -len(word)]
            break
    m = _NUMBER.match(body)
    if m:
        rest = m.group(2)
        if not re.search(r"[\d()()、,,;;::]", rest) and len(rest) <= 4:
            return Value(s, comparison or "=", float(m.group(1)), parse_unit(rest))
    return Value(s, TEXT, None, None)


def format_number(x: float, decimals: int | None = None) -> str:
    """A number as a plan would print it: no trailing zeros unless asked for a fixed number of decimals."""
    if decimals is not None:
        return f"{x:.{decimals}f}"
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimals_of(value: Value) -> int:
    """How many decimals the value was written with (45.5% -> 1)."""
    m = re.search(r"\d+\.(\d+)", value.text)
    return len(m.group(1)) if m else 0


def indicator_unit(measure_unit: str | None, *values: Value) -> Unit | None:
    """The unit an indicator is measured in: its stored unit, else the first unit its values carry."""
    unit = parse_unit(measure_unit)
    if unit:
        return unit
    for v in values:
        if v is not None and v.unit is not None:
            return v.unit
    return None


def in_unit(value: Value, unit: Unit | None) -> float | None:
    """The value's number expressed in the indicator's unit; a bare number is taken to be in that unit already.

    None when the value is not a number or its unit cannot be compared (a % against a count).
    """
    if value.number is None:
        return None
    if value.unit is None or unit is None:
        return value.number
    if value.unit.is_percent != unit.is_percent and value.unit.base and unit.base:
        return None
    return value.number * value.unit.factor / unit.factor


def units_compatible(value: Value, unit: Unit | None) -> bool:
    """Whether a reported number can be compared with an indicator measured in `unit`."""
    return value.number is None or in_unit(value, unit) is not None


def textual_met(actual: Value, target: Value) -> bool | None:
    """For a textual target: True when the actual says it is reached, False when it says not, None when unclear."""
    if actual.is_none:
        return None
    if actual.is_textual:
        if actual.text == target.text or actual.text in MET_WORDS:
            return True
        if actual.text in UNMET_WORDS or actual.text.startswith(("未", "不", "没有")):
            return False
        return None
    # a number against a coverage goal such as 全覆盖 / 所有: 100% is met, less is not
    if actual.unit is not None and actual.unit.is_percent:
        return actual.number * actual.unit.factor >= 100
    return None


@dataclass(frozen=True)
class Assessment:
    """Where an indicator stands: its state, light, the value expected on the linear path, and progress."""

    state: str
    light: str
    on_course: bool | None  # None: nothing to judge yet
    expected: float | None = None  # in the indicator's unit, at the actual's year
    progress: float | None = None  # 0..1 (may exceed 1) of the way from baseline (or 0) to target
    direction: str | None = None  # 'up' | 'down' | None for textual targets
    note: str = ""


def direction_of(baseline: float | None, target: Value, target_number: float) -> str:
    """`up` for a target to reach or exceed, `down` for one to stay under."""
    if target.comparison in ("≥", ">"):
        return "up"
    if target.comparison in ("≤", "<"):
        return "down"
    if baseline is not None and baseline > target_number:
        return "down"
    return "up"


def reached(actual: float, target: float, comparison: str | None, direction: str) -> bool:
    """Whether the actual meets the target (strictly for > and <)."""
    eps = 1e-9 * max(1.0, abs(target))
    if comparison == ">":
        return actual > target + eps
    if comparison == "<":
        return actual < target - eps
    if direction == "down":
        return actual <= target + eps
    return actual >= target - eps


def _off_light(nature: str | None) -> str:
    return RED if nature == BINDING else YELLOW


def _progress(actual: float, baseline: float | None, target: float, direction: str, reached: bool) -> float | None:
    """Share of the way from baseline (or zero, for a rising target) to target; 1 when reached."""
    if reached:
        return max(1.0, _share(actual, baseline, target) or 1.0)
    if baseline is None and direction == "down":
        return None
    start = baseline if baseline is not None else 0.0
    if target == start:  # a level to hold: how close the actual stays to it
        return actual / target if target and direction == "up" else None
    return _share(actual, start, target)


def _share(actual: float, start: float | None, target: float) -> float | None:
    start = 0.0 if start is None else start
    return None if target == start else (actual - start) / (target - start)


def assess(*, baseline: Value, baseline_year: int | None, target: Value, target_year: int | None,
           actual: Value | None, actual_year: int | None, nature: str | None = None,
           measure_unit: str | None = None, comparison: str | None = None) -> Assessment:
    """Judge the latest actual against the straight path from baseline to target.

    Met when the target is reached (at any year). Otherwise, at or after the target year: missed.
    Before it: on course when the actual is at least (or, for a falling target, at most) the value the path
    expects at the actual's year; with no usable baseline nothing is judged before the target year.
    Off course is 红 for a binding (约束性) indicator and 黄 otherwise; no actual is 灰 (待填报).
    """
    if actual is None or actual.is_none or actual_year is None:
        return Assessment(NO_ACTUAL, GREY, None)
    if target.is_none:
        return Assessment(UNASSESSED, GREY, None, note="未设定目标值")
    comparison = normalise_comparison(comparison)
    if comparison in ("≥", "≤", ">", "<") and target.comparison == "=":
        target = Value(target.text, comparison, target.number, target.unit)
    after_target = target_year is not None and actual_year >= target_year
    off = _off_light(nature)

    if target.is_textual:
        met = textual_met(actual, target)
        if met:
            return Assessment(MET, GREEN, True, progress=1.0)
        if met is None:
            return Assessment(UNASSESSED, GREY, None, note="实际值无法与文字目标比较")
        if after_target or (not baseline.is_none and target_year is None):
            return Assessment(MISSED, off, False, progress=0.0)
        if not baseline.is_none:
            return Assessment(BEHIND, off, False, progress=0.0)
        return Assessment(UNASSESSED, GREY, None, progress=0.0, note="目标年之前不作判断")

    unit = indicator_unit(measure_unit, target, baseline)
    t = in_unit(target, unit)
    a = in_unit(actual, unit)
    if a is None:
        if actual.is_textual and actual.text in MET_WORDS:
            return Assessment(MET, GREEN, True, progress=1.0)
        return Assessment(UNASSESSED, GREY, None, note="实际值不是可比较的数值")
    b = in_unit(baseline, unit) if baseline.is_numeric else None
    direction = direction_of(b, target, t)
    is_reached = reached(a, t, target.comparison, direction)
    progress = _progress(a, b, t, direction, is_reached)
    if is_reached:
        return Assessment(MET, GREEN, True, expected=t, progress=progress, direction=direction)
    if target_year is None:
        return Assessment(UNASSESSED, GREY, None, progress=progress, direction=direction, note="未设定目标年")
    if after_target:
        return Assessment(MISSED, off, False, expected=t, progress=progress, direction=direction)
    if b is None or baseline_year is None or baseline_year >= target_year:
        return Assessment(UNASSESSED, GREY, None, progress=progress, direction=direction,
                          note="无基期值,到目标年再评估")
    expected = expected_at(b, baseline_year, t, target_year, actual_year)
    eps = 1e-9 * max(1.0, abs(expected))
    on = a >= expected - eps if direction == "up" else a <= expected + eps
    if on:
        return Assessment(ON_COURSE, GREEN, True, expected=expected, progress=progress, direction=direction)
    return Assessment(BEHIND, off, False, expected=expected, progress=progress, direction=direction)


def expected_at(baseline: float, baseline_year: int, target: float, target_year: int, year: int) -> float:
    """The value the straight path from (baseline_year, baseline) to (target_year, target) gives for `year`."""
    if target_year <= baseline_year:
        return target
    share = min(1.0, max(0.0, (year - baseline_year) / (target_year - baseline_year)))
    return baseline + (target - baseline) * share
