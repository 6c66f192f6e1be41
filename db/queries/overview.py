"""The 总览 dashboard's aggregates: counts by status, light, plan, department and month, and the due lists.

Every query starts from one filtered set of tasks with their warning light computed in SQL (the same
rule as duban.rules.status.light_for, on the earliest open deadline instance), so each number on the
dashboard is exactly the number of tasks the task list shows for the same filters.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlite_utils

from db.queries.sql import marks


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks count. None means no restriction; visible_departments restricts a liaison."""

    visible_departments: frozenset[int] | None = None
    plan_id: int | None = None
    jurisdiction_id: int | None = None
    department_id: int | None = None
    role: str | None = None  # lead | co, with department_id
    status: str | None = None
    lights: tuple[str, ...] = field(default_factory=tuple)
    due: str | None = None  # overdue | a number of days ahead
    month: str | None = None  # YYYY-MM: tasks with a deadline instance that month


# The task's jurisdiction: its plan's, else (a meeting decision, a leader's instruction) its lead unit's.
_JURISDICTION = """coalesce(p.jurisdiction_id,
    (SELECT d.jurisdiction_id FROM task_units u JOIN departments d ON d.id = u.department_id
     WHERE u.task_id = t.id AND u.role = 'lead' ORDER BY u.position LIMIT 1))"""


def _in_list(p: dict, prefix: str, values) -> str:
    """Named parameters for an IN (...) list, added to p: ':vd0, :vd1' (NULL for none, which matches nothing)."""
    names = []
    for n, value in enumerate(values):
        p[f"{prefix}{n}"] = value
        names.append(f":{prefix}{n}")
    return ", ".join(names) or "NULL"


def _lit_tasks(f: TaskFilter, p: dict) -> str:
    """The CTEs `lit` (visible tasks with their light) and `ft` (lit narrowed by the light/due/month filters)."""
    where = ["t.removed = 0"]
    if f.visible_departments is not None:
        visible = _in_list(p, "vd", sorted(f.visible_departments))
        where.append(f"t.id IN (SELECT task_id FROM task_units WHERE department_id IN ({visible}))")
    if f.plan_id is not None:
        p["plan_id"] = f.plan_id
        where.append("t.plan_id = :plan_id")
    if f.jurisdiction_id is not None:
        p["jurisdiction_id"] = f.jurisdiction_id
        where.append(f"{_JURISDICTION} = :jurisdiction_id")
    if f.department_id is not None:
        p["department_id"] = f.department_id
        role = ""
        if f.role in ("lead", "co"):
            p["role"] = f.role
            role = " AND u.role = :role"
        where.append(f"EXISTS (SELECT 1 FROM task_units u WHERE u.task_id = t.id AND u.department_id = :department_id{role})")
    if f.status:
        p["status"] = f.status
        where.append("t.status = :status")
    narrow = ["1"]
    if f.lights:
        narrow.append(f"light IN ({_in_list(p, 'lt', f.lights)})")
    if f.due == "overdue":
        narrow.append("next_due < :today")
    elif f.due:
        p["due_end"] = _plus_days(p["today"], int(f.due))
        narrow.append("next_due IS NOT NULL AND EXISTS (SELECT 1 FROM instances w WHERE w.task_id = lit.id "
                      "AND w.state = 'open' "
                      "AND w.due BETWEEN :today AND :due_end)")
    if f.month:
        p["month_start"] = f"{f.month}-01"
        p["month_end"] = f"{f.month}-31"
        narrow.append("EXISTS (SELECT 1 FROM instances m WHERE m.task_id = lit.id "
                      "AND m.due BETWEEN :month_start AND :month_end)")
    return f"""
WITH base AS MATERIALIZED (
    SELECT t.id, t.plan_id, t.seq, t.status, t.progress,
           CASE WHEN t.status != :closed THEN
               (SELECT min(i.due) FROM instances i WHERE i.task_id = t.id AND i.state = 'open') END AS next_due,
           coalesce(p.period_start, substr(t.created_at, 1, 10)) AS start
    FROM tasks t LEFT JOIN plans p ON p.id = t.plan_id
    WHERE {' AND '.join(where)}
), lit AS MATERIALIZED (
    SELECT id, plan_id, seq, status, progress, next_due, CASE
        WHEN next_due IS NULL THEN '绿'
        WHEN next_due < :today THEN '红'
        WHEN julianday(next_due) - julianday(:today) <= :warn_days THEN '黄'
        WHEN status = :done_pending THEN '绿'
        -- progress behind the time elapsed since the last finished due date (or the plan's start)
        ELSE (SELECT CASE WHEN pace_start < :today
                               AND progress + :tolerance < (julianday(:today) - julianday(pace_start)) * 100.0
                                                           / max(1, julianday(next_due) - julianday(pace_start))
                          THEN '黄' ELSE '绿' END
              FROM (SELECT CASE WHEN last_done < next_due THEN max(coalesce(start, last_done), last_done)
                                ELSE start END AS pace_start
                    FROM (SELECT nullif(max(
                        coalesce((SELECT max(i.due) FROM instances i WHERE i.task_id = base.id AND i.state = 'closed'), ''),
                        coalesce((SELECT max(i.due) FROM instances i WHERE i.task_id = base.id AND i.state = 'claimed'), '')),
                        '') AS last_done)))
        END AS light
    FROM base
), ft AS NOT MATERIALIZED (
    SELECT * FROM lit WHERE {' AND '.join(narrow)}
)
"""


def _plus_days(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def params(today: str, warn_days: int, tolerance: int, closed: str, done_pending: str) -> dict:
    return {"today": today, "warn_days": warn_days, "tolerance": tolerance, "closed": closed,
            "done_pending": done_pending}


def is_everything(f: TaskFilter) -> bool:
    """No filter at all: the aggregates can read the indexes directly instead of joining task by task."""
    return f == TaskFilter()


# Instances of tasks a revised plan removed never count; those of closed (销号) tasks are not due any more.
_REMOVED = "SELECT id FROM tasks INDEXED BY overview_tasks_removed WHERE removed = 1"
_NOT_REMOVED = f"task_id NOT IN ({_REMOVED})"
_LIVE = f"task_id NOT IN ({_REMOVED} UNION ALL SELECT id FROM tasks WHERE status = :closed)"
_OPEN = "task_id NOT IN (SELECT id FROM tasks WHERE status = :closed)"


def aggregates(db: sqlite_utils.Database, f: TaskFilter, params: dict, windows: dict[str, str]) -> list[dict]:
    """One statement (the light is computed once) returning rows (part, k1, k2, k3, n, m):
    'c' plan/status/light counts; 'd' department/role task counts with m = red ones ('r': red only,
    when the totals come from `unit_totals`); 'm' due/state instance counts; 'o' open instances per
    window (n instances, m distinct tasks). windows: name -> last due date (inclusive), 'overdue' excluded."""
    p = dict(params)
    sql = _lit_tasks(f, p)
    parts = ["SELECT 'c' AS part, plan_id AS k1, status AS k2, light AS k3, count(*) AS n, NULL AS m "
             "FROM ft GROUP BY plan_id, status, light"]
    if is_everything(f):
        parts.append("SELECT 'r', u.department_id, u.role, NULL, count(*), NULL FROM ft "
                     "JOIN task_units u ON u.task_id = ft.id WHERE ft.light = '红' GROUP BY u.department_id, u.role")
    else:
        parts.append("SELECT 'd', u.department_id, u.role, NULL, count(*), sum(ft.light = '红') FROM ft "
                     "JOIN task_units u ON u.task_id = ft.id GROUP BY u.department_id, u.role")
        parts.append("SELECT 'm', i.due, CASE WHEN ft.status = :closed THEN 'closed' ELSE i.state END, NULL, "
                     "count(*), NULL FROM ft JOIN instances i ON i.task_id = ft.id GROUP BY 2, 3")
        parts.append("SELECT 'o', 'overdue', NULL, NULL, count(*), count(DISTINCT i.task_id) FROM ft "
                     "JOIN instances i ON i.task_id = ft.id AND i.state = 'open' AND i.due < :today "
                     "WHERE ft.status != :closed")
        for n, (name, last) in enumerate(windows.items()):
            p[f"w{n}"] = last
            parts.append(f"SELECT 'o', '{name}', NULL, NULL, count(*), count(DISTINCT i.task_id) FROM ft "
                         f"JOIN instances i ON i.task_id = ft.id AND i.state = 'open' AND i.due BETWEEN :today AND :w{n} "
                         "WHERE ft.status != :closed")
    sql += "\nUNION ALL\n".join(parts)
    return [dict(r) for r in db.conn.execute(sql, p)]


def any_removed(db: sqlite_utils.Database) -> bool:
    """Whether a revised plan has removed any task (if not, no query needs to leave them out)."""
    return db.conn.execute(f"SELECT EXISTS ({_REMOVED})").fetchone()[0] == 1


def unit_totals(db: sqlite_utils.Database) -> list[dict]:
    """Tasks per department and role, over all tasks (the unfiltered dashboard)."""
    live = _NOT_REMOVED if any_removed(db) else "1"
    return [dict(r) for r in db.conn.execute(
        f"SELECT department_id, role, count(*) AS n FROM task_units WHERE {live} GROUP BY department_id, role")]


def instance_totals(db: sqlite_utils.Database, params: dict, windows: dict[str, str]) -> list[dict]:
    """Rows like aggregates' 'm' and 'o' parts, over all tasks (the unfiltered dashboard); 'x' rows count the
    open instances of closed tasks per due date, which the caller moves from open to done."""
    p: dict = {"today": params["today"], "closed": params["closed"]}
    removed = any_removed(db)
    parts = [f"SELECT 'm' AS part, due AS k1, state AS k2, count(*) AS n, NULL AS m FROM instances "
             f"WHERE {_NOT_REMOVED if removed else '1'} GROUP BY state, due",
             "SELECT 'x', i.due, NULL, count(*), NULL FROM tasks t JOIN instances i ON i.task_id = t.id "
             "AND i.state = 'open' WHERE t.status = :closed AND t.removed = 0 GROUP BY i.due",
             "SELECT 'o', 'overdue', NULL, count(*), count(DISTINCT task_id) FROM instances "
             f"WHERE state = 'open' AND due < :today AND {_LIVE}"]
    if not removed:
        parts[-1] = parts[-1].replace(_LIVE, _OPEN)
    for n, (name, last) in enumerate(windows.items()):
        p[f"w{n}"] = last
        parts.append(f"SELECT 'o', '{name}', NULL, count(*), count(DISTINCT task_id) FROM instances "
                     f"WHERE state = 'open' AND due BETWEEN :today AND :w{n} AND {_LIVE if removed else _OPEN}")
    return [dict(r) for r in db.conn.execute("\nUNION ALL\n".join(parts), p)]


_ITEM_COLUMNS = """
SELECT i.id AS instance_id, i.task_id, i.due, i.period_label, dl.phrase, t.status, t.progress,
       t.seq, t.number, t.title, t.plan_id, pl.title AS plan_title, pl.source_name, j.name AS jurisdiction,
       (SELECT group_concat(d.name, '、') FROM
           (SELECT d.name FROM task_units u JOIN departments d ON d.id = u.department_id
            WHERE u.task_id = i.task_id AND u.role = 'lead' ORDER BY u.position) AS d) AS lead
"""
_ITEM_JOINS = """
JOIN tasks t ON t.id = i.task_id
LEFT JOIN deadlines dl ON dl.id = i.deadline_id
LEFT JOIN plans pl ON pl.id = t.plan_id
LEFT JOIN jurisdictions j ON j.id = pl.jurisdiction_id
"""


def due_items(db: sqlite_utils.Database, f: TaskFilter, params: dict, start: str | None, end: str | None,
              limit: int) -> list[dict]:
    """Open deadline instances due in [start, end] (either end open), earliest first."""
    p = dict(params)
    cond = ["i.state = 'open'", "t.status != :closed"]
    if start:
        p["win_start"] = start
        cond.append("i.due >= :win_start")
    if end:
        p["win_end"] = end
        cond.append("i.due <= :win_end")
    p["limit"] = limit
    if is_everything(f):
        cond.append("t.removed = 0")
        sql = _ITEM_COLUMNS + "FROM instances i" + _ITEM_JOINS
    else:
        sql = _lit_tasks(f, p) + _ITEM_COLUMNS + "FROM ft JOIN instances i ON i.task_id = ft.id" + _ITEM_JOINS
    sql += f" WHERE {' AND '.join(cond)} ORDER BY i.due, t.plan_id, t.seq LIMIT :limit"
    return [dict(r) for r in db.conn.execute(sql, p)]


def task_ids(db: sqlite_utils.Database, f: TaskFilter, params: dict) -> list[int]:
    """The ids of the tasks a filter selects, in plan and document order."""
    p = dict(params)
    sql = _lit_tasks(f, p) + "SELECT id FROM ft ORDER BY plan_id, seq, id"
    return [r[0] for r in db.conn.execute(sql, p)]


def plans(db: sqlite_utils.Database, visible_departments: frozenset[int] | None) -> list[dict]:
    """Plans with at least one visible task, for the filter and the bar labels."""
    p: dict = {}
    vis = ""
    if visible_departments is not None:
        vis = (" AND EXISTS (SELECT 1 FROM tasks t JOIN task_units u ON u.task_id = t.id WHERE t.plan_id = pl.id "
               f"AND u.department_id IN ({_in_list(p, 'vd', sorted(visible_departments))}))")
    return [dict(r) for r in db.conn.execute(
        "SELECT pl.id, pl.title, pl.source_name, pl.jurisdiction_id, j.name AS jurisdiction "
        "FROM plans pl LEFT JOIN jurisdictions j ON j.id = pl.jurisdiction_id "
        f"WHERE 1 {vis} ORDER BY j.name, pl.id", p)]


def jurisdictions(db: sqlite_utils.Database) -> list[dict]:
    """Jurisdictions that have a plan or a department."""
    return [dict(r) for r in db.conn.execute(
        "SELECT id, name FROM jurisdictions j WHERE EXISTS (SELECT 1 FROM plans p WHERE p.jurisdiction_id = j.id) "
        "OR EXISTS (SELECT 1 FROM departments d WHERE d.jurisdiction_id = j.id) ORDER BY id")]


def departments_with_tasks(db: sqlite_utils.Database, visible_departments: frozenset[int] | None) -> list[dict]:
    """Departments named on at least one task (a liaison: only its own), with their jurisdiction."""
    p: dict = {}
    vis = ""
    if visible_departments is not None:
        vis = f" AND d.id IN ({_in_list(p, 'vd', sorted(visible_departments))})"
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, d.jurisdiction_id, j.name AS jurisdiction FROM departments d "
        "LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
        f"WHERE EXISTS (SELECT 1 FROM task_units u WHERE u.department_id = d.id){vis} "
        "ORDER BY d.jurisdiction_id, d.id", p)]


def departments(db: sqlite_utils.Database, ids: list[int]) -> list[dict]:
    """Names and jurisdictions of the given departments."""
    if not ids:
        return []
    in_list = marks(ids)
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, j.name AS jurisdiction FROM departments d "
        f"LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.id IN ({in_list})", ids)]
