"""Why an extracted task may need a look before it is saved, and what a saved plan still needs to be tracked."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from db.queries import import_review as q
from db.queries import plans as plan_q
from duban.access import Actor, require_office
from duban.errors import NotFound
from duban.extract.units import is_group
from duban.services import departments as dept_s

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
        if jid is not None and dept_s.resolve(db, jid, name) is not None:
            continue
        known = name in elsewhere or dept_s.canonical_name(name, sorted(elsewhere)) in elsewhere
        (new_here if known else new).append(name)
    out = []
    if new:
        out.append(_flag("unit_new", "、".join(new)))
    if new_here:
        out.append(_flag("unit_new_here", "、".join(new_here)))
    return out


def review_tasks(db: sqlite_utils.Database, extraction: dict) -> list[TaskReview]:
    """Every task with the reasons it may need a look: the extractor's own flags (lead guessed, prefix restored,
    time phrase unread, odd unit name) and the directory's (a unit new to the directory or to this jurisdiction)."""
    jurisdiction = (extraction.get("jurisdiction") or "").strip() or None
    jid = plan_q.jurisdiction_by_name(db, jurisdiction) if jurisdiction else None
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
    plan = q.plan_brief(db, plan_id)
    if plan is None:
        raise NotFound("规划不存在。")
    units = [u for u in q.plan_units_reach(db, plan_id) if not is_group(u["name"])]  # 各县区政府 has no liaison
    no_account = [u for u in units if not u["accounts"]]
    no_contact = [u for u in units if not u["accounts_with_email"]
                  and not (u["liaison_email"] or u["liaison_phone"])]
    return Checklist(plan_id, plan["title"], no_account, no_contact, q.active_cycles(db, plan_id) > 0)
