"""Reviewing an extraction before it is saved: why a task may need a look, the extraction rebuilt from the review
tables as the office corrected them, and what a saved plan still needs to be tracked."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import sqlite_utils

from db.queries import import_review as q
from duban.access import Actor, require_office
from duban.errors import AccessDenied, InputError
from duban.extract.units import is_group
from duban.services import departments as department_s
from duban.services import places
from duban.services.import_input import FREQ_NAMES, blank, iso, normalise_units, text, units_from_cells, whole
from duban.services.plans import visible_plan

# reason code -> the label the office reads; the order is the order shown
REASONS = {
    "lead_guessed": "牵头单位为推定",
    "unit_new": "新单位(目录中没有)",
    "unit_new_here": "本地区新单位(其他地区已有)",
    "time_unread": "有未识别的时间表述",
    "prefix_restored": "补全了层级前缀",
    "place_guessed": "地区为推定",
    "unit_odd": "单位名称存疑",
}

# the same reasons in a word or two, for a narrow table column
SHORT = {"lead_guessed": "牵头推定", "unit_new": "新单位", "unit_new_here": "本地区新单位", "time_unread": "时间未识别",
         "prefix_restored": "补全前缀", "place_guessed": "地区推定", "unit_odd": "单位存疑"}


@dataclass
class TaskReview:
    """One task's reasons to look at it: (code, label, detail) in REASONS order."""

    index: int
    seq: int
    title: str
    reasons: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(label for _, label, _ in self.reasons))

    @property
    def short_labels(self) -> list[str]:
        return list(dict.fromkeys(SHORT.get(code, label) for code, label, _ in self.reasons))

    @property
    def details(self) -> str:
        return ";".join(f"{label}:{detail}" if detail else label for _, label, detail in self.reasons)


def _flag(code: str, detail: str | None) -> tuple[str, str, str]:
    return code, REASONS.get(code, code), (detail or "").strip()


def _directory_flags(db: sqlite_utils.Database, jurisdiction: str | None, units: list[str],
                     elsewhere: set[str], jid: int | None) -> list[tuple[str, str, str]]:
    """Units the directory does not hold for this jurisdiction: wholly new, or known only elsewhere."""
    new, new_here = [], []
    for name in units:
        if jid is not None and department_s.resolve(db, jid, name) is not None:
            continue
        known = name in elsewhere or department_s.canonical_name(name, sorted(elsewhere)) in elsewhere
        (new_here if known else new).append(name)
    out = []
    if new:
        out.append(_flag("unit_new", "、".join(new)))
    if new_here:
        out.append(_flag("unit_new_here", "、".join(new_here)))
    return out


def _place_id(db: sqlite_utils.Database, actor: Actor, jurisdiction: str | None) -> int | None:
    """The stored place the plan would be imported into by this actor (None: new, refused, or not named)."""
    if not jurisdiction:
        return None
    try:
        found = places.place_of_plan(db, actor, jurisdiction)
    except AccessDenied:  # saving says so plainly; the review only reads the directory
        return None
    return found["id"] if found else None


def review_tasks(db: sqlite_utils.Database, extraction: dict, actor: Actor) -> list[TaskReview]:
    """Every task with the reasons it may need a look: the extractor's own flags (lead guessed, prefix restored,
    time phrase unread, odd unit name) and the directory's (a unit new to the directory or to this jurisdiction,
    the jurisdiction being the one this actor's import would store the plan in)."""
    jurisdiction = (extraction.get("jurisdiction") or "").strip() or None
    jid = _place_id(db, actor, jurisdiction)
    elsewhere = q.names_elsewhere(db, jid)
    out = []
    for i, t in enumerate(extraction.get("tasks") or []):
        flags = [_flag(f.get("code", ""), f.get("detail")) for f in t.get("flags", []) or [] if f.get("code")]
        if not t.get("lead_explicit", True) and not any(code == "lead_guessed" for code, _, _ in flags):
            flags.append(_flag("lead_guessed", "文中未写明牵头,取第一个单位:" + "、".join(t.get("lead") or [])))
        flags += _directory_flags(db, jurisdiction, list(t.get("units") or []), elsewhere, jid)
        order = list(REASONS)
        flags.sort(key=lambda f: order.index(f[0]) if f[0] in order else len(order))
        out.append(TaskReview(i, int(t.get("seq") or i + 1), t.get("title") or "", flags))
    return out


def plan_reasons(extraction: dict) -> list[tuple[str, str, str]]:
    """Reasons to look at the plan as a whole (the place guessed)."""
    return [_flag(f.get("code", ""), f.get("detail")) for f in extraction.get("meta_flags", []) or [] if f.get("code")]


def reason_counts(reviews: list[TaskReview]) -> dict[str, int]:
    """How many tasks carry each reason, by label, in REASONS order (reasons no task has are left out)."""
    counts = {label: 0 for label in REASONS.values()}
    for r in reviews:
        for label in r.labels:
            counts[label] = counts.get(label, 0) + 1
    return {k: v for k, v in counts.items() if v}


# ---------------------------------------------------------------- the corrected extraction


def _deadline(row: dict, n: int) -> dict:
    kind = text(row.get("类型")) or "一次性"
    phrase = text(row.get("原文表述"))
    if kind == "一次性":
        due = iso(row.get("日期"))
        if not due:
            raise InputError(f"期限表第 {n} 行是一次性期限,请填写日期。")
        return {"kind": "once", "due": due, "phrase": phrase}
    freq = next((k for k, v in FREQ_NAMES.items() if v == kind), None)
    if freq is None:
        raise InputError(f"期限表第 {n} 行的类型“{kind}”无法识别。")
    return {"kind": "recurring", "freq": freq, "month": whole(row.get("月"), f"期限表第 {n} 行的月"),
            "day": whole(row.get("日"), f"期限表第 {n} 行的日"), "phrase": phrase}


def _task(row: dict, n: int, old: dict, jurisdiction: str | None, by_seq: dict) -> dict:
    title = text(row.get("任务名称"))
    if not title:
        raise InputError(f"任务表第 {n} 行缺少任务名称。")
    old_lead = list(old.get("lead") or [])
    old_co = "、".join(u for u in old.get("units") or [] if u not in old_lead)
    lead_cell, co_cell = text(row.get("牵头单位")) or "", text(row.get("配合单位")) or ""
    if old and lead_cell == "、".join(old_lead) and co_cell == old_co:
        lead, units, explicit = old_lead, list(old.get("units") or []), bool(old.get("lead_explicit", True))
    else:
        lead, units = units_from_cells(lead_cell, co_cell, jurisdiction)
        written = [u for u in old.get("units") or [] if u in units]
        units = written + [u for u in units if u not in written]
        explicit = bool(lead) and (bool(old.get("lead_explicit", True)) or lead != old_lead)
    if not units:
        raise InputError(f"任务“{title}”没有责任单位。")
    seq = whole(row.get("序号"), f"任务“{title}”的序号") or (max(by_seq, default=0) + 1)
    if seq in by_seq:
        raise InputError(f"任务序号 {seq} 重复,请改为不同的序号。")
    return {**old, "seq": seq, "number": text(row.get("编号")), "title": title, "lead": lead or units[:1],
            "units": units, "deadlines": [], "path": old.get("path") or [], "lead_explicit": explicit,
            "text": old.get("text") or title, "ongoing": bool(old.get("ongoing"))}


def _indicator(row: dict, n: int, old: dict, jurisdiction: str | None) -> dict:
    name = text(row.get("指标名称"))
    if not name:
        raise InputError(f"指标表第 {n} 行缺少指标名称。")
    responsible = text(row.get("责任单位")) or ""
    if old and responsible == "、".join(old.get("responsible") or []):
        units = list(old.get("responsible") or [])
    else:
        units = normalise_units([], [responsible], jurisdiction)[1]
    return {**old, "category": text(row.get("类别")), "number": text(row.get("编号")), "name": name,
            "baseline": text(row.get("基期值")), "baseline_year": whole(row.get("基期年份"), f"指标“{name}”的基期年份"),
            "target": text(row.get("目标值")), "target_year": whole(row.get("目标年份"), f"指标“{name}”的目标年份"),
            "nature": text(row.get("属性")), "responsible": units}


def apply_corrections(original: dict, meta: dict, task_rows: list[dict], deadline_rows: list[dict],
                      indicator_rows: list[dict]) -> dict:
    """The extraction as the office corrected it in the review tables; InputError (Chinese) for a cell that
    cannot be right. Rows keep a `_key` naming the task or indicator they came from; a row whose unit cells are
    as extracted keeps the extractor's unit lists exactly, an edited cell is read by the extractor's rules."""
    ex = copy.deepcopy(original)
    ex.update(meta)
    jurisdiction = ex.get("jurisdiction")
    tasks, by_seq = [], {}
    for n, row in enumerate(task_rows, 1):
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["tasks"][key] if key is not None else {}
        task = _task(row, n, old, jurisdiction, by_seq)
        by_seq[task["seq"]] = task
        tasks.append(task)
    for n, row in enumerate(deadline_rows, 1):
        if all(blank(v) for v in row.values()):
            continue
        seq = whole(row.get("任务序号"), f"期限表第 {n} 行的任务序号")
        if seq not in by_seq:
            raise InputError(f"期限表第 {n} 行的任务序号 {seq if seq is not None else '(空)'} 不在任务表中。")
        by_seq[seq]["deadlines"].append(_deadline(row, n))
    ex["tasks"] = sorted(tasks, key=lambda t: t["seq"])
    indicators = []
    for n, row in enumerate(indicator_rows, 1):
        if all(blank(v) for k, v in row.items() if k != "_key"):
            continue
        key = None if blank(row.get("_key")) else int(row["_key"])
        old = original["indicators"][key] if key is not None else {"table": None}
        indicators.append(_indicator(row, n, old, jurisdiction))
    ex["indicators"] = indicators
    return ex


# ---------------------------------------------------------------- after an import


@dataclass
class Checklist:
    """What a saved plan still needs before its units can be reminded and asked to report."""

    plan_id: int
    title: str
    no_account: list[dict]   # department_id, name, leads, tasks
    no_contact: list[dict]   # reachable by neither an account's e-mail nor the department's liaison details
    has_cycle: bool

    @property
    def done(self) -> bool:
        return not self.no_account and not self.no_contact and self.has_cycle


def plan_checklist(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> Checklist:
    """Units of the plan without a liaison account, without contact details, and whether it has a reporting cycle
    (groups such as 各县区政府 are no one office: they get no account and are not listed)."""
    require_office(actor)
    visible_plan(db, actor, plan_id)
    plan = q.plan_brief(db, plan_id)
    units = [u for u in q.plan_units_reach(db, plan_id) if not is_group(u["name"])]  # 各县区政府 has no liaison
    no_account = [u for u in units if not u["accounts"]]
    no_contact = [u for u in units if not u["accounts_with_email"]
                  and not (u["liaison_email"] or u["liaison_phone"])]
    return Checklist(plan_id, plan["title"], no_account, no_contact, q.active_cycles(db, plan_id) > 0)
