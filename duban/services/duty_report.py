"""What a department's annual duty report draft (年度履职情况报告) says: its tasks and reports of the year."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db.queries import meetings as q
from duban.access import Actor, require_place
from duban.errors import AccessDenied, InputError, NotFound
from duban.services import assessment
from duban.services.tasks import list_tasks


def _number(value: object, what: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InputError(f"{what}应为整数:{value!r}") from None


def collect(db: sqlite_utils.Database, actor: Actor, department_id: int, year: int, today: dt.date) -> dict:
    """What the draft says: the department's tasks, its reports of the year, what is late, what comes next.
    An office or leader with a place drafts for its places' units only."""
    department_id, year = _number(department_id, "部门编号"), _number(year, "年度")
    if not actor.sees_all and department_id not in actor.department_ids:
        raise AccessDenied("只能生成本单位的履职情况报告。")
    department = q.departments(db, [department_id])
    if not department:
        raise NotFound("部门不存在。")
    if not 2000 <= year <= 2100:
        raise InputError(f"年度不正确:{year},应为 2000 到 2100 之间的年份。")
    department = department[0]
    require_place(actor, department["jurisdiction_id"])
    start, end = f"{year}-01-01", f"{year}-12-31"
    as_of = min(today, dt.date(year, 12, 31))
    tasks = list_tasks(db, actor, as_of, department_id=department["id"])
    role = {r["id"]: r["role"] for r in q.department_tasks(db, department["id"])}
    reports = q.department_reports(db, department["id"], start, min(end, as_of.isoformat()))
    by_task: dict[int, list[dict]] = {}
    for r in reports:
        by_task.setdefault(r["task_id"], []).append(r)
    instances = q.department_instances(db, department["id"])
    # the on-time figures are the department's 考核 row for the year so far, as the meeting pack prints them
    scores = assessment.evaluate(db, actor, start, as_of.isoformat(), today)
    score = next((r for r in scores["rows"] if r["department_id"] == department["id"]), {})
    next_year = [i for i in instances if f"{year + 1}-01-01" <= i["due"] <= f"{year + 1}-12-31" and i["state"] == "open"]
    titles = {t.id: t for t in tasks}
    return {
        "department": department, "year": year, "as_of": as_of.isoformat(),
        "lead": [t for t in tasks if role.get(t.id) == "lead"],
        "co": [t for t in tasks if role.get(t.id) == "co"],
        "reports": reports, "by_task": by_task,
        "returned": sum(r["review_state"] == "已退回" for r in reports),
        "due_in_year": score.get("lead_due", 0), "on_time": score.get("on_time", 0),
        "on_time_rate": score.get("completion_rate"),
        "overdue": [t for t in tasks if t.overdue],
        "coordination": [r for r in reports if (r["coordination_need"] or "").strip()],
        "next_year": [(i, titles[i["task_id"]]) for i in next_year if i["task_id"] in titles],
    }


def file_name(db: sqlite_utils.Database, department_id: int, year: int) -> str:
    """The draft's file name: the department and the year."""
    department = q.departments(db, [int(department_id)])
    return f"{department[0]['name'] if department else department_id}{year}年度履职情况报告(草稿).docx"
