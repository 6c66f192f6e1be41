"""Departments report progress on their tasks; only the lead department's report moves the task's status.

Reports are append-only: a correction is a new report naming the one it supersedes. Three facts stay
apart: what the lead department claims (its latest report), what the office has verified (closed
instances, 已销号) and whether the task is on time (the light).
"""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reports as q
from duban.access import Actor, require_own_place, require_writer
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import status as rules
from duban.rules.names import ROLE_NAMES
from duban.rules.records import Report, from_row
from duban.rules.text import printable
from duban.services import evidence as evidence_service
from duban.services.reporting_periods import open_period
from duban.services.status import change_status
from duban.services.task_access import TaskScope, require_task_access
from duban.services.textinput import as_id

CLAIM_DONE = "已完成"
CLAIMS = [rules.IN_PROGRESS, CLAIM_DONE, rules.NEEDS_COORDINATION]
PENDING, ACCEPTED, RETURNED, CORRECTED = "待审核", "已采纳", "已退回", "已更正"
MAX_TEXT = 5000


def _reporting_department(actor: Actor, scope: TaskScope, department_id: int | None) -> int:
    if department_id is not None:
        department_id = as_id(department_id, "部门编号")
        if department_id not in scope.department_ids:
            raise InputError("该部门不是此任务的责任单位。")
        if not actor.sees_all and department_id not in actor.department_ids:
            raise AccessDenied()
        return department_id
    mine = scope.department_ids if actor.sees_all else scope.department_ids & actor.department_ids
    if not mine:
        raise AccessDenied()
    leads = mine & scope.lead_ids
    return min(leads) if leads else min(mine)


def _clean(text: str | None, limit: int = MAX_TEXT) -> str:
    text = printable(text).strip()
    if len(text) > limit:
        raise InputError(f"内容过长(超过 {limit} 字),请精简后再提交。")
    return text


def _choose_instance(scope: TaskScope, instances: list[dict], instance_id: int | None) -> dict | None:
    if instance_id is None:
        unclosed = [i for i in instances if i["state"] != "closed"]
        return unclosed[0] if unclosed else None
    wanted = as_id(instance_id, "期限编号")
    chosen = next((i for i in instances if i["id"] == wanted), None)
    if chosen is None:
        raise InputError("所选期限不属于该任务。")
    if chosen["state"] == "closed":
        raise InputError(f"{chosen['period_label'] or chosen['due']} 这一期已经销号,请选择其他期限。")
    return chosen


def file_report(db: sqlite_utils.Database, actor: Actor, task_id: int, progress_text: str, percent: int,
                claimed_status: str, today: dt.date, instance_id: int | None = None,
                coordination_need: str | None = None, coordination_from: str | None = None,
                evidence: list[tuple[str, bytes]] | None = None, *, department_id: int | None = None,
                supersedes_id: int | None = None, is_demo: bool = False) -> int:
    """File a department's report on a task (with evidence files); the lead's report moves the task's status.
    An office files only on its own place's tasks (a lower place's office reports there)."""
    require_writer(actor)
    scope = require_task_access(db, actor, task_id)
    task = scope.task
    require_own_place(actor, task["jurisdiction_id"])
    department = _reporting_department(actor, scope, department_id)
    if task["removed"]:
        raise InputError("该任务已从规划中移除,不再接收进展报告。")
    if task["status"] == rules.CLOSED:
        raise InputError("该任务已销号,不再接收进展报告。")
    text = _clean(progress_text)
    if not text:
        raise InputError("请填写进展情况。")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise InputError("完成百分比应为 0 到 100 之间的整数。") from None
    if not 0 <= percent <= 100:
        raise InputError("完成百分比应为 0 到 100 之间的整数。")
    if claimed_status == rules.DONE_PENDING:
        claimed_status = CLAIM_DONE
    if claimed_status not in CLAIMS:
        raise InputError(f"申报状态应为 {'、'.join(CLAIMS)} 之一。")
    need = _clean(coordination_need, 1000) or None
    source = _clean(coordination_from, 200) or None
    if claimed_status == rules.NEEDS_COORDINATION and not (need and source):
        raise InputError("选择“需协调”时,请写明需要协调的事项和需要哪个单位协调。")
    if claimed_status != rules.NEEDS_COORDINATION:
        need = source = None
    files = evidence_service.check_all(db, evidence)
    is_lead = department in scope.lead_ids

    for f in files:  # content-addressed: a file left behind by a failed insert is harmless
        evidence_service.store(f)
    with transaction(db):
        instances = q.instances(db, task["id"])
        chosen = _choose_instance(scope, instances, instance_id)
        old = None
        if supersedes_id is not None:
            old = q.report(db, as_id(supersedes_id, "报告编号"))
            if old is None or old["task_id"] != task["id"] or old["department_id"] != department:
                raise InputError("只能更正本单位在该任务上的报告。")
        period = open_period(db, today, task["jurisdiction_id"])  # the open period of the task's place
        report_id = q.insert_report(
            db, task_id=task["id"], instance_id=chosen["id"] if chosen else None, department_id=department,
            user_id=actor.user_id, supersedes_id=old["id"] if old else None, progress_text=text, percent=percent,
            claimed_status=claimed_status, coordination_need=need, coordination_from=source,
            period=period["label"], period_id=period["id"], reported_on=today.isoformat(), is_demo=is_demo)
        evidence_service.attach(db, report_id, files)
        if old is not None and old["review_state"] == PENDING:
            q.set_review(db, old["id"], CORRECTED, None, stamp(today), f"已由第 {report_id} 号报告更正")
            reopen = (old["claimed_status"] == CLAIM_DONE and old["instance_id"] and is_lead
                      and not (claimed_status == CLAIM_DONE and chosen and chosen["id"] == old["instance_id"]))
            if reopen and (q.instance(db, old["instance_id"]) or {}).get("state") == "claimed":
                q.set_instance_state(db, old["instance_id"], "open", None)
        audit.record(db, actor, "填报进展", "report", report_id,
                     {"task_id": task["id"], "department_id": department, "claimed_status": claimed_status,
                      "percent": percent, "instance_id": chosen["id"] if chosen else None,
                      "supersedes_id": old["id"] if old else None, "files": [f.filename for f in files]})
        if is_lead:
            if claimed_status == CLAIM_DONE and chosen:
                q.set_instance_state(db, chosen["id"], "claimed", None)
            label = f"({chosen['period_label'] or chosen['due']})" if chosen else ""
            change_status(db, actor, task["id"], rules.status_after_claim(claimed_status),
                          note=f"牵头单位报告{label}:{claimed_status},完成 {percent}%",
                          instance_id=chosen["id"] if chosen else None, progress=percent)
    return report_id


def with_evidence(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """Reports (already access-checked) with their role name and evidence files."""
    files = evidence_service.files_of(db, [r["id"] for r in rows])
    return [{**r, "role_name": ROLE_NAMES.get(r.get("unit_role"), ""), "evidence": files.get(r["id"], [])}
            for r in rows]


def latest_reports(db: sqlite_utils.Database, actor: Actor, task_id: int) -> list[Report]:
    """The newest report of each department on a task (lead first), with its evidence files."""
    require_task_access(db, actor, task_id)
    return [from_row(Report, r, evidence=tuple(r["evidence"]))
            for r in with_evidence(db, q.latest_per_department(db, as_id(task_id, "任务编号")))]


def task_reports(db: sqlite_utils.Database, actor: Actor, task_id: int) -> list[dict]:
    """Every version of every report on a task, newest first, with evidence files."""
    require_task_access(db, actor, task_id)
    return with_evidence(db, q.reports_for_task(db, as_id(task_id, "任务编号")))


def get_report(db: sqlite_utils.Database, actor: Actor, report_id: int) -> dict:
    """One report, for someone who may see its task."""
    row = q.report(db, as_id(report_id, "报告编号"))
    if row is None:
        raise NotFound("报告不存在。")
    require_task_access(db, actor, row["task_id"])
    return with_evidence(db, [row])[0]


def open_instances(db: sqlite_utils.Database, actor: Actor, task_id: int) -> list[dict]:
    """The deadline instances a report can be about (not yet closed), earliest first, each with a label."""
    require_task_access(db, actor, task_id)
    out = []
    for i in q.instances(db, as_id(task_id, "任务编号")):
        if i["state"] == "closed":
            continue
        label = f"{i['period_label'] or '期限'}(截止 {i['due']})"
        if i["state"] == "claimed":
            label += " · 已申报完成,待审核"
        out.append({**i, "label": label})
    return out


def stamp(today: dt.date) -> str:
    """A record time on the app's business date (review times sort with the reports' own timestamps)."""
    return f"{today.isoformat()} {dt.datetime.now().strftime('%H:%M:%S')}"


def verified_text(task_status: str, instances: list[dict]) -> str:
    """What the office has verified so far, in words (never derived from a department's claim)."""
    if task_status == rules.CLOSED:
        return "已销号"
    closed = sum(1 for i in instances if i["state"] == "closed")
    if closed:
        return f"已核销 {closed}/{len(instances)} 期"
    return "未核销"


def claim_text(claim: dict | None) -> str:
    """What the lead department last claimed, in words."""
    if not claim:
        return "尚未报告"
    return f"{claim['claimed_status']} {claim['percent'] or 0}%({claim['review_state']})"


def my_tasks(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """The tasks of the actor's departments, one row per (task, own department), most pressing first: role,
    next deadline and light (as on the task list), the lead's latest claim, the office's verification, and any
    unanswered return."""
    from duban.services.tasks import list_tasks

    if not actor.department_ids:
        return []
    tasks = list_tasks(db, actor, today)
    task_ids = [t.id for t in tasks]
    by_task: dict[int, list[dict]] = {}
    for inst in q.instances_for_tasks(db, task_ids):
        by_task.setdefault(inst["task_id"], []).append(inst)
    claims = q.latest_lead_reports(db, task_ids)
    open_returns: dict[tuple[int, int], dict] = {}
    for r in q.returned_to_departments(db, sorted(actor.department_ids)):
        if not r["answered"]:
            open_returns.setdefault((r["task_id"], r["department_id"]), r)
    out = []
    for t in tasks:
        for department in t.departments:
            if department.id not in actor.department_ids:
                continue
            returned = open_returns.get((t.id, department.id))
            out.append({
                **vars(t),
                "department_id": department.id, "department_name": department.name, "role": department.role,
                "role_name": ROLE_NAMES.get(department.role, department.role),
                "claim": claims.get(t.id),
                "claim_text": claim_text(claims.get(t.id)),
                "verified": verified_text(t.status, by_task.get(t.id, [])),
                "returned_reason": returned["review_note"] if returned else None,
            })
    return sorted(out, key=_urgency)


LIGHT_ORDER = {rules.RED: 0, rules.YELLOW: 1, rules.GREEN: 2}


def _urgency(row: dict) -> tuple:
    """Most pressing first: returned and not yet answered, then red, yellow, green; closed tasks last."""
    return (row["status"] == rules.CLOSED, row["returned_reason"] is None, LIGHT_ORDER.get(row["light"], 3),
            row["next_due"] or "9999", row.get("plan_id") or 0, row.get("seq") or 0, row["id"])


def returned_reports(db: sqlite_utils.Database, actor: Actor, only_unanswered: bool = False) -> list[dict]:
    """Reports the office returned to the actor's departments, newest first, with the reason."""
    rows = q.returned_to_departments(db, sorted(actor.department_ids))
    return [r for r in rows if not (only_unanswered and r["answered"])]
