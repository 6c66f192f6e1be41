"""The office reviews the reports on its own place's tasks (an office above sees a lower place's, read-only):
accepting a lead's completion claim closes that deadline instance
(and the task, 销号, once none is left open); returning one sends the reason back to the department."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reports as q
from duban.access import Actor, require_office, require_own_place
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import status as rules
from duban.rules.places import in_place, place_names
from duban.rules.text import printable
from duban.services import inbox
from duban.services import reports as report_service
from duban.services.status import change_status
from duban.services.textinput import as_id, clean

MAX_REASON = 1000


def queue(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Reports awaiting review on the tasks of the actor's places, oldest first, with evidence (office and
    leaders)."""
    if not actor.sees_all:
        raise AccessDenied("只有办公室人员可以查看审核队列。")
    return report_service.with_evidence(db, q.pending(db, actor.places))


OTHER_PLACE = "其他"  # where a report of a unit without a place is listed


def places(queue_rows: list[dict]) -> list[str]:
    """The places the waiting reports come from, for the place filter."""
    return place_names(queue_rows, OTHER_PLACE)


def in_one_place(queue_rows: list[dict], place: str | None) -> list[dict]:
    """The waiting reports of one place (None: all)."""
    return in_place(queue_rows, place, OTHER_PLACE)


def recent(db: sqlite_utils.Database, actor: Actor, limit: int = 20) -> list[dict]:
    """The latest reviewed reports on the tasks of the actor's places, newest first (office and leaders)."""
    if not actor.sees_all:
        raise AccessDenied("只有办公室人员可以查看审核记录。")
    return report_service.with_evidence(db, q.recently_reviewed(db, limit, actor.places))


def _pending_report(db: sqlite_utils.Database, actor: Actor, report_id: int) -> dict:
    """The report under review, if it awaits review and is on a task of the actor's own place."""
    row = q.report(db, as_id(report_id, "报告编号"))
    if row is None:
        raise NotFound("报告不存在。")
    require_own_place(actor, row["task_place_id"])
    if row["review_state"] != report_service.PENDING:
        raise InputError(f"该报告当前为“{row['review_state']}”,不在待审核队列中。")
    return row


def _is_lead_completion(row: dict) -> bool:
    return row["unit_role"] == "lead" and row["claimed_status"] == report_service.CLAIM_DONE


def accept(db: sqlite_utils.Database, actor: Actor, report_id: int, today: dt.date, note: str | None = None) -> str:
    """Accept a report; a lead's completion claim closes its instance, and the task when none remains open.
    Returns the task's status afterwards."""
    require_office(actor)
    note = clean(note, "采纳意见", MAX_REASON) or None
    with transaction(db):
        row = _pending_report(db, actor, report_id)
        q.set_review(db, row["id"], report_service.ACCEPTED, actor.user_id, report_service.stamp(today), note)
        task = q.task(db, row["task_id"])
        new_status = task["status"]
        closed_instance = None
        if _is_lead_completion(row):
            if row["instance_id"]:
                q.set_instance_state(db, row["instance_id"], "closed", today.isoformat())
                closed_instance = row["instance_id"]
            if q.unclosed_instance_count(db, row["task_id"]) == 0:
                new_status = rules.CLOSED
            elif new_status == rules.DONE_PENDING:
                new_status = rules.IN_PROGRESS
        what = f"{row['department_name']}的报告" + (f"({row['instance_label'] or row['instance_due']})"
                                                    if row["instance_id"] else "")
        change_status(db, actor, row["task_id"], new_status,
                      note=f"审核通过{what}" + ("并销号" if new_status == rules.CLOSED else "") + (f":{note}" if note else ""),
                      instance_id=row["instance_id"])
        audit.record(db, actor, "审核通过", "report", row["id"],
                     {"task_id": row["task_id"], "closed_instance": closed_instance, "task_status": new_status,
                      "note": note})
    return new_status


def return_report(db: sqlite_utils.Database, actor: Actor, report_id: int, reason: str, today: dt.date) -> None:
    """Return a report with a reason the department sees on 我的任务 and in its inbox; a completion claim's
    instance opens again."""
    require_office(actor)
    reason = printable(reason).strip()
    if not reason:
        raise InputError("退回时必须填写退回原因。")
    if len(reason) > MAX_REASON:
        raise InputError(f"退回原因过长(超过 {MAX_REASON} 字)。")
    with transaction(db):
        row = _pending_report(db, actor, report_id)
        q.set_review(db, row["id"], report_service.RETURNED, actor.user_id, report_service.stamp(today), reason)
        task = q.task(db, row["task_id"])
        new_status = task["status"]
        if _is_lead_completion(row):
            if row["instance_id"] and (q.instance(db, row["instance_id"]) or {}).get("state") == "claimed":
                q.set_instance_state(db, row["instance_id"], "open", None)
            if new_status == rules.DONE_PENDING:
                new_status = rules.IN_PROGRESS
        change_status(db, actor, row["task_id"], new_status,
                      note=f"退回{row['department_name']}的报告:{reason}", instance_id=row["instance_id"])
        title = f"进展报告被退回:{row['task_title']}"
        body = f"退回原因:{reason}\n请在“我的任务”中修改后重新报告。"
        inbox.notify(db, title=title, body=body, department_id=row["department_id"], kind="returned",
                     link=f"my_tasks?task={row['task_id']}")
        audit.record(db, actor, "退回报告", "report", row["id"],
                     {"task_id": row["task_id"], "reason": reason, "task_status": new_status})
