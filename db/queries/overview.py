"""The 总览 dashboard's aggregates: counts by status, light, plan, department and month, and the due lists.

SQL only selects and counts: the warning light is never computed here. `light_inputs` returns what the light
needs per task, the service applies duban.rules.status.light_for, and the counts of the chosen tasks are
read back by id, so each number on the dashboard is exactly the number of tasks the task list shows.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import sqlite_utils

from db.queries.sql import marks


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks count. None means no restriction; visible_departments restricts a liaison, visible_places an
    account with a place (its own and those below)."""

    visible_departments: frozenset[int] | None = None
    visible_places: frozenset[int] | None = None
    plan_id: int | None = None
    jurisdiction_id: int | None = None
    department_id: int | None = None
    role: str | None = None  # lead | co, with department_id
    status: str | None = None
    lights: tuple[str, ...] = field(default_factory=tuple)
    due: str | None = None  # overdue | a number of days ahead
    month: str | None = None  # YYYY-MM: tasks with a deadline instance that month


# The task's place (its plan's, or for a task from outside a plan the place it was given in)
_JURISDICTION = "t.jurisdiction_id"


def _in_list(p: dict, prefix: str, values) -> str:
    """Named parameters for an IN (...) list, added to p: ':vd0, :vd1' (NULL for none, which matches nothing)."""
    names = []
    for n, value in enumerate(values):
        p[f"{prefix}{n}"] = value
        names.append(f":{prefix}{n}")
    return ", ".join(names) or "NULL"


def _where(f: TaskFilter, p: dict) -> str:
    """Conditions on tasks t (and their plan p) for the filter, the light filter aside: the light is
    duban.rules.status's, computed in Python."""
    where = ["t.removed = 0"]
    if f.visible_departments is not None:
        visible = _in_list(p, "vd", sorted(f.visible_departments))
        where.append(f"t.id IN (SELECT task_id FROM task_units WHERE department_id IN ({visible}))")
    if f.visible_places is not None:
        where.append(f"{_JURISDICTION} IN ({_in_list(p, 'vp', sorted(f.visible_places))})")
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
    if f.due == "overdue":
        where.append("t.status != :closed AND EXISTS (SELECT 1 FROM instances w WHERE w.task_id = t.id "
                     "AND w.state = 'open' AND w.due < :today)")
    elif f.due:
        p["due_end"] = _plus_days(p["today"], int(f.due))
        where.append("t.status != :closed AND EXISTS (SELECT 1 FROM instances w WHERE w.task_id = t.id "
                     "AND w.state = 'open' AND w.due BETWEEN :today AND :due_end)")
    if f.month:
        p["month_start"] = f"{f.month}-01"
        p["month_end"] = f"{f.month}-31"
        where.append("EXISTS (SELECT 1 FROM instances m WHERE m.task_id = t.id "
                     "AND m.due BETWEEN :month_start AND :month_end)")
    return " AND ".join(where)


def _plus_days(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def params(today: str, closed: str) -> dict:
    return {"today": today, "closed": closed}


def is_everything(f: TaskFilter) -> bool:
    """No filter at all: the aggregates can read the indexes directly instead of joining task by task."""
    return f == TaskFilter()


def light_inputs(db: sqlite_utils.Database, f: TaskFilter, params: dict) -> list[tuple]:
    """What the light needs, per task the filter selects (the light filter aside), in plan and document order:
    (id, plan_id, status, progress, earliest open due, last finished due, start: the plan's or the day added)."""
    p = dict(params)
    where = _where(f, p)
    sql = f"""
SELECT t.id, t.plan_id, t.status, t.progress,
       CASE WHEN t.status != :closed THEN
           (SELECT min(i.due) FROM instances i WHERE i.task_id = t.id AND i.state = 'open') END,
       (SELECT max(i.due) FROM instances i INDEXED BY instances_task_state WHERE i.task_id = t.id AND i.state != 'open'),
       coalesce(p.period_start, substr(t.created_at, 1, 10))
FROM tasks t LEFT JOIN plans p ON p.id = t.plan_id WHERE {where} ORDER BY t.plan_id, t.seq, t.id"""
    cur = db.conn.cursor()
    cur.row_factory = None
    return cur.execute(sql, p).fetchall()


# Instances of tasks a revised plan removed never count; those of closed (销号) tasks are not due any more.
_REMOVED = "SELECT id FROM tasks INDEXED BY overview_tasks_removed WHERE removed = 1"
_NOT_REMOVED = f"task_id NOT IN ({_REMOVED})"
_LIVE = f"task_id NOT IN ({_REMOVED} UNION ALL SELECT id FROM tasks WHERE status = :closed)"
_OPEN = "task_id NOT IN (SELECT id FROM tasks WHERE status = :closed)"
# The chosen tasks, passed as a JSON list of ids.
_CHOSEN = "SELECT value FROM json_each(:ids)"


def unit_counts(db: sqlite_utils.Database, task_ids: list[int] | None, red: list[int]) -> list[tuple]:
    """(department_id, role, tasks, red tasks) over these tasks (every live task when task_ids is None);
    `red` names the tasks whose light is red."""
    p = {"red": json.dumps(red)}
    if task_ids is None:
        where = _NOT_REMOVED if any_removed(db) else "1"
    else:
        p["ids"] = json.dumps(task_ids)
        where = f"task_id IN ({_CHOSEN})"
    return [tuple(r) for r in db.conn.execute(
        "SELECT department_id, role, count(*), sum(task_id IN (SELECT value FROM json_each(:red))) FROM task_units "
        f"WHERE {where} GROUP BY department_id, role", p)]


def instance_counts(db: sqlite_utils.Database, task_ids: list[int], params: dict, windows: dict[str, str]) -> list[dict]:
    """Rows like instance_totals' (part, k1, k2, n, m) over these tasks: 'm' due/state instance counts (a closed
    task's count as closed); 'o' open instances per window (n instances, m distinct tasks), and 'overdue'."""
    p = {"today": params["today"], "closed": params["closed"], "ids": json.dumps(task_ids)}
    ft = f"WITH ft AS MATERIALIZED (SELECT id, status FROM tasks WHERE id IN ({_CHOSEN}))\n"
    parts = ["SELECT 'm' AS part, i.due AS k1, CASE WHEN ft.status = :closed THEN 'closed' ELSE i.state END AS k2, "
             "count(*) AS n, NULL AS m FROM ft JOIN instances i ON i.task_id = ft.id GROUP BY 2, 3",
             "SELECT 'o', 'overdue', NULL, count(*), count(DISTINCT i.task_id) FROM ft "
             "JOIN instances i ON i.task_id = ft.id AND i.state = 'open' AND i.due < :today "
             "WHERE ft.status != :closed"]
    for n, (name, last) in enumerate(windows.items()):
        p[f"w{n}"] = last
        parts.append(f"SELECT 'o', '{name}', NULL, count(*), count(DISTINCT i.task_id) FROM ft "
                     f"JOIN instances i ON i.task_id = ft.id AND i.state = 'open' AND i.due BETWEEN :today AND :w{n} "
                     "WHERE ft.status != :closed")
    return [dict(r) for r in db.conn.execute(ft + "\nUNION ALL\n".join(parts), p)]


def any_removed(db: sqlite_utils.Database) -> bool:
    """Whether a revised plan has removed any task (if not, no query needs to leave them out)."""
    return db.conn.execute(f"SELECT EXISTS ({_REMOVED})").fetchone()[0] == 1


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
LEFT JOIN jurisdictions j ON j.id = t.jurisdiction_id
"""


def due_items(db: sqlite_utils.Database, task_ids: list[int] | None, params: dict, start: str | None,
              end: str | None, limit: int) -> list[dict]:
    """Open deadline instances of these tasks (None: every live task) due in [start, end] (either end open),
    earliest first."""
    p = dict(params)
    cond = ["i.state = 'open'", "t.status != :closed"]
    if start:
        p["win_start"] = start
        cond.append("i.due >= :win_start")
    if end:
        p["win_end"] = end
        cond.append("i.due <= :win_end")
    p["limit"] = limit
    if task_ids is None:
        cond.append("t.removed = 0")
    else:
        p["ids"] = json.dumps(task_ids)
        cond.append(f"i.task_id IN ({_CHOSEN})")
    sql = _ITEM_COLUMNS + "FROM instances i" + _ITEM_JOINS
    sql += f" WHERE {' AND '.join(cond)} ORDER BY i.due, t.plan_id, t.seq LIMIT :limit"
    return [dict(r) for r in db.conn.execute(sql, p)]


def plans(db: sqlite_utils.Database, visible_departments: frozenset[int] | None,
          visible_places: frozenset[int] | None = None) -> list[dict]:
    """Plans with at least one visible task (of these departments, of these places), for the filter and the bar
    labels."""
    p: dict = {}
    vis = ""
    if visible_departments is not None:
        vis = (" AND EXISTS (SELECT 1 FROM tasks t JOIN task_units u ON u.task_id = t.id WHERE t.plan_id = pl.id "
               f"AND u.department_id IN ({_in_list(p, 'vd', sorted(visible_departments))}))")
    if visible_places is not None:
        vis += f" AND pl.jurisdiction_id IN ({_in_list(p, 'vp', sorted(visible_places))})"
    return [dict(r) for r in db.conn.execute(
        "SELECT pl.id, pl.title, pl.source_name, pl.jurisdiction_id, j.name AS jurisdiction "
        "FROM plans pl LEFT JOIN jurisdictions j ON j.id = pl.jurisdiction_id "
        f"WHERE 1 {vis} ORDER BY j.name, pl.id", p)]


def jurisdictions(db: sqlite_utils.Database, visible_places: frozenset[int] | None = None) -> list[dict]:
    """Jurisdictions that have a plan or a department (only these places, when given)."""
    p: dict = {}
    vis = "" if visible_places is None else f" AND j.id IN ({_in_list(p, 'vp', sorted(visible_places))})"
    return [dict(r) for r in db.conn.execute(
        "SELECT id, name FROM jurisdictions j WHERE (EXISTS (SELECT 1 FROM plans p WHERE p.jurisdiction_id = j.id) "
        f"OR EXISTS (SELECT 1 FROM departments d WHERE d.jurisdiction_id = j.id)){vis} ORDER BY id", p)]


def departments_with_tasks(db: sqlite_utils.Database, visible_departments: frozenset[int] | None,
                           visible_places: frozenset[int] | None = None) -> list[dict]:
    """Departments named on at least one task (a liaison: only its own; an account with a place: on a task of
    its places), with their jurisdiction."""
    p: dict = {}
    vis = ""
    if visible_departments is not None:
        vis = f" AND d.id IN ({_in_list(p, 'vd', sorted(visible_departments))})"
    task_place = ""
    if visible_places is not None:
        task_place = (" AND u.task_id IN (SELECT id FROM tasks WHERE jurisdiction_id IN "
                      f"({_in_list(p, 'vp', sorted(visible_places))}))")
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, d.jurisdiction_id, j.name AS jurisdiction FROM departments d "
        "LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
        f"WHERE EXISTS (SELECT 1 FROM task_units u WHERE u.department_id = d.id{task_place}){vis} "
        "ORDER BY d.jurisdiction_id, d.id", p)]


def departments(db: sqlite_utils.Database, ids: list[int]) -> list[dict]:
    """Names and jurisdictions of the given departments."""
    if not ids:
        return []
    in_list = marks(ids)
    return [dict(r) for r in db.conn.execute(
        "SELECT d.id, d.name, j.name AS jurisdiction FROM departments d "
        f"LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.id IN ({in_list})", ids)]


def place_instances(db: sqlite_utils.Database, places: frozenset[int]) -> list[dict]:
    """Deadline instances of the live tasks of these places, each with its task's place and status (what the
    on-time rate of a place reads)."""
    p: dict = {}
    return [dict(r) for r in db.conn.execute(
        "SELECT i.task_id, i.due, i.state, substr(i.closed_at, 1, 10) AS closed_on, t.status AS task_status, "
        "t.jurisdiction_id FROM instances i JOIN tasks t ON t.id = i.task_id "
        f"WHERE t.removed = 0 AND t.jurisdiction_id IN ({_in_list(p, 'vp', sorted(places))}) ORDER BY i.task_id", p)]
