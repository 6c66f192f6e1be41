"""What a revised document changes in a stored plan: tasks added, removed or reworded, units, deadlines."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

import sqlite_utils

from db.queries import departments as department_q
from db.queries import plans as q
from db.queries import tasks as task_q
from duban.access import Actor, require_office
from duban.errors import NotFound
from duban.rules.instances import describe
from duban.rules.names import ROLE_NAMES
from duban.services import departments as department_s
from duban.services.plan_check import display_title, stored_deadlines, validate
from duban.services.plan_indicators import indicator_conflicts
from duban.services.plans import visible_plan


@dataclass
class PlanDiff:
    """What a revised document changes in a stored plan."""

    plan_id: int
    old_title: str
    new_title: str
    added: list[dict] = field(default_factory=list)          # new tasks: seq, number, title, units
    removed: list[dict] = field(default_factory=list)        # stored tasks gone: id, seq, number, title
    reworded: list[dict] = field(default_factory=list)       # id, old_title, new_title, text_changed
    units_changed: list[dict] = field(default_factory=list)  # id, title, old, new (["市民政局(牵头)", ...])
    deadlines_changed: list[dict] = field(default_factory=list)  # id, title, old, new (["2025年底前 → 2025-12-31"])
    meta_changed: dict = field(default_factory=dict)         # field -> (old, new)
    matches: list[tuple[int, int]] = field(default_factory=list)  # (stored task id, index in the new extraction)
    # indicators the office corrected where the new document says otherwise: id, name, field, label, office,
    # document (texts); the office's value is kept. field None: the document no longer lists the indicator.
    indicator_conflicts: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.units_changed or self.deadlines_changed
                    or self.meta_changed or self.indicator_conflicts)

    def counts(self) -> dict[str, int]:
        out = {"新增任务": len(self.added), "删除任务": len(self.removed), "措辞修改": len(self.reworded),
               "责任单位变化": len(self.units_changed), "期限变化": len(self.deadlines_changed)}
        if self.indicator_conflicts:
            out["保留指标修正"] = len(self.indicator_conflicts)
        return out

    def lines(self) -> list[str]:
        """The diff as Chinese lines for a terminal or a page."""
        out = [f"规划《{self.old_title}》的修订版:"]
        labels = {"title": "标题", "issuer": "发文机关", "doc_number": "文号", "published": "发布日期",
                  "period_start": "规划起始", "period_end": "规划截止"}
        for key, (old, new) in self.meta_changed.items():
            out.append(f"  {labels.get(key, key)}:{old or '无'} → {new or '无'}")
        for t in self.added:
            out.append(f"  + 新增任务 {t['seq']}. {t['title']}({'、'.join(t['units'])})")
        for t in self.removed:
            out.append(f"  - 删除任务 {t['seq']}. {t['title']}")
        for t in self.reworded:
            if t["old_title"] != t["new_title"]:
                out.append(f"  ~ 措辞修改:{t['old_title']} → {t['new_title']}")
            else:
                out.append(f"  ~ 正文修改:{t['new_title']}")
        for t in self.units_changed:
            out.append(f"  ~ 责任单位变化[{t['title']}]:{'、'.join(t['old'])} → {'、'.join(t['new'])}")
        for t in self.deadlines_changed:
            out.append(f"  ~ 期限变化[{t['title']}]:{'、'.join(t['old']) or '无'} → {'、'.join(t['new']) or '无'}")
        for c in self.indicator_conflicts:
            if c["field"] is None:
                out.append(f"  ! 指标[{c['name']}]:新文件中已无此指标,办公室修正过,予以保留")
            else:
                out.append(f"  ! 指标[{c['name']}]{c['label']}:新文件为 {c['document'] or '空'},"
                           f"保留办公室修正的 {c['office'] or '空'}")
        if self.is_empty:
            out.append("  (任务、责任单位和期限均无变化)")
        return out



def deadline_key(d: dict) -> tuple:
    """What makes two deadline rows the same (date and phrase): an unchanged task keeps its instances."""
    return (d.get("kind"), d.get("due"), d.get("freq"), d.get("month"), d.get("day"), d.get("phrase"))


def _deadline_text(d: dict) -> str:
    rule = describe(d)
    return f"{d['phrase']}({rule})" if d.get("phrase") and rule else (d.get("phrase") or rule or "规划期末")


def _similarity(a: str, b: str) -> float:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.5 or m.quick_ratio() < 0.5:
        return 0.0
    return m.ratio()


def _match(old: list[dict], new: list[dict]) -> list[tuple[int, int]]:
    """Pair stored tasks with the new document's tasks: same title first, then the most similar text."""
    pairs: list[tuple[int, int]] = []
    free_old = {i for i in range(len(old))}
    free_new = {j for j in range(len(new))}

    def take(i: int, j: int) -> None:
        pairs.append((i, j))
        free_old.discard(i)
        free_new.discard(j)

    for same_path in (True, False):
        for j in sorted(free_new):
            cands = [i for i in sorted(free_old) if old[i]["title"] == new[j]["title"]
                     and (not same_path or json.loads(old[i]["path"] or "[]") == new[j]["path"])]
            if cands:
                take(cands[0], j)
    scored = []
    for i in free_old:
        a = old[i]["title"] + "\n" + (old[i]["body"] or "")
        for j in free_new:
            s = _similarity(a, new[j]["title"] + "\n" + (new[j].get("text") or ""))
            if s >= 0.6:
                scored.append((s, i, j))
    for _s, i, j in sorted(scored, reverse=True):
        if i in free_old and j in free_new:
            take(i, j)
    return pairs


def diff_plan(db: sqlite_utils.Database, actor: Actor, old_plan_id: int, extraction: dict) -> PlanDiff:
    """What the new extraction changes in a stored plan: tasks added, removed, reworded; units or deadlines
    (of a plan the actor sees)."""
    require_office(actor)
    visible_plan(db, actor, old_plan_id)
    return compare(db, old_plan_id, extraction)


def compare(db: sqlite_utils.Database, old_plan_id: int, extraction: dict) -> PlanDiff:
    """diff_plan for a caller that has already checked the actor (the import and the revision)."""
    plan = q.get(db, old_plan_id)
    if plan is None:
        raise NotFound("规划不存在。")
    ex = validate(extraction)
    jid = plan["jurisdiction_id"]
    diff = PlanDiff(plan_id=old_plan_id, old_title=plan["title"], new_title=display_title(ex))
    old_ex = q.extraction_of(plan)
    for key, new_value in (("title", ex.get("title")), ("issuer", ex.get("issuer")),
                           ("doc_number", ex.get("doc_number")), ("published", ex.get("published")),
                           ("period_start", ex["period"]["start"]), ("period_end", ex["period"]["end"])):
        old_value = old_ex.get("title") if key == "title" else plan.get(key)
        if (old_value or None) != (new_value or None):
            diff.meta_changed[key] = (old_value, new_value)
    old_tasks = task_q.of_plan(db, old_plan_id)
    departments = task_q.units_of_plan(db, old_plan_id)
    deadlines = task_q.deadlines_of_plan(db, old_plan_id)
    pairs = _match(old_tasks, ex["tasks"])
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    for i, j in sorted(pairs, key=lambda p: p[1]):
        o, n = old_tasks[i], ex["tasks"][j]
        diff.matches.append((o["id"], j))
        if o["title"] != n["title"] or (o["body"] or "") != (n.get("text") or o["body"] or ""):
            diff.reworded.append({"id": o["id"], "old_title": o["title"], "new_title": n["title"],
                                  "text_changed": (o["body"] or "") != (n.get("text") or o["body"] or "")})
        old_departments = [(u["department_id"], u["role"]) for u in departments.get(o["id"], [])]
        new_departments: list[tuple] = []
        seen: set = set()
        for name in n["units"]:
            dep = department_s.resolve(db, jid, name)
            key = dep if dep is not None else "new:" + department_s.canonical_name(name, department_q.names(db, jid))
            if key in seen:
                continue
            seen.add(key)
            new_departments.append((key, "lead" if name in n["lead"] else "co"))
        if sorted(old_departments, key=str) != sorted(new_departments, key=str):
            diff.units_changed.append({
                "id": o["id"], "title": n["title"],
                "old": [f"{u['name']}({ROLE_NAMES[u['role']]})" for u in departments.get(o["id"], [])],
                "new": [f"{name}({ROLE_NAMES['lead' if name in n['lead'] else 'co']})" for name in n["units"]]})
        old_d = [deadline_key(d) for d in deadlines.get(o["id"], [])]
        new_d = [deadline_key(d) for d in stored_deadlines(n)]
        if old_d != new_d:
            diff.deadlines_changed.append({
                "id": o["id"], "title": n["title"],
                "old": [_deadline_text(d) for d in deadlines.get(o["id"], [])],
                "new": [_deadline_text(d) for d in stored_deadlines(n)]})
    for i, o in enumerate(old_tasks):
        if i not in matched_old:
            diff.removed.append({"id": o["id"], "seq": o["seq"], "number": o["number"], "title": o["title"]})
    for j, n in enumerate(ex["tasks"]):
        if j not in matched_new:
            diff.added.append({"index": j, "seq": n["seq"], "number": n.get("number"), "title": n["title"],
                               "units": n["units"], "lead": n["lead"]})
    diff.indicator_conflicts = indicator_conflicts(db, jid, old_plan_id, ex)
    return diff
