"""Dated deadline instances: what falls due when, and which went overdue."""
from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from db.queries.visibility import of_departments


def insert_many(db: sqlite_utils.Database, rows: Iterable[tuple[int | None, int, str, str]]) -> None:
    """Rows of (deadline_id, task_id, due ISO date, period label)."""
    db.conn.executemany("INSERT INTO instances (deadline_id, task_id, due, period_label) VALUES (?,?,?,?)", rows)


def of_task(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT i.id, i.deadline_id, i.due, i.period_label, i.state, i.closed_at, i.overdue_since, d.phrase, d.kind "
        "FROM instances i LEFT JOIN deadlines d ON d.id=i.deadline_id WHERE i.task_id=? ORDER BY i.due, i.id",
        [task_id])]


def get(db: sqlite_utils.Database, instance_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM instances WHERE id=?", [instance_id]).fetchone()
    return dict(row) if row else None


def summary(db: sqlite_utils.Database, today: str, visible_departments: Iterable[int] | None = None) -> dict[int, tuple]:
    """Per task: (earliest open due, last finished due, open instances past due, next open due from today on),
    read from one index."""
    sql = ("SELECT task_id, min(CASE WHEN state='open' THEN due END), max(CASE WHEN state!='open' THEN due END), "
           "sum(state='open' AND due<?), min(CASE WHEN state='open' AND due>=? THEN due END) FROM instances")
    args: list = [today, today]
    if visible_departments is not None:
        sql += " WHERE " + of_departments("task_id", visible_departments, args)
    sql += " GROUP BY task_id"
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in db.conn.execute(sql, args)}


def set_state(db: sqlite_utils.Database, instance_id: int, state: str, closed_at: str | None = None) -> None:
    db.conn.execute("UPDATE instances SET state=?, closed_at=? WHERE id=?", [state, closed_at, instance_id])


def repoint(db: sqlite_utils.Database, instance_id: int, deadline_id: int | None, period_label: str | None) -> None:
    db.conn.execute("UPDATE instances SET deadline_id=?, period_label=coalesce(?, period_label) WHERE id=?",
                    [deadline_id, period_label, instance_id])


def delete(db: sqlite_utils.Database, instance_id: int) -> None:
    db.conn.execute("DELETE FROM instances WHERE id=?", [instance_id])


def is_referenced(db: sqlite_utils.Database, instance_id: int) -> bool:
    """Whether a report or a status change names this instance (then it is kept as history)."""
    return bool(db.conn.execute(
        "SELECT EXISTS(SELECT 1 FROM reports WHERE instance_id=?) OR EXISTS(SELECT 1 FROM status_history "
        "WHERE instance_id=?)", [instance_id, instance_id]).fetchone()[0])


def flag_overdue(db: sqlite_utils.Database, today: str) -> list[int]:
    """Mark open instances past due (of live tasks not yet closed) as overdue since today; return their ids."""
    rows = db.conn.execute(
        "UPDATE instances SET overdue_since=? WHERE state='open' AND due<? AND overdue_since IS NULL "
        "AND task_id IN (SELECT id FROM tasks WHERE removed=0 AND status!='已销号') RETURNING id",
        [today, today]).fetchall()
    return sorted(r[0] for r in rows)


def overdue(db: sqlite_utils.Database, today: str, limit: int | None = None,
            visible_departments: Iterable[int] | None = None) -> list[dict]:
    """Open instances past due of live tasks, oldest first (only tasks of these departments, when given)."""
    sql = ("SELECT i.id, i.task_id, i.due, i.period_label, i.overdue_since, t.title, t.status FROM instances i "
           "JOIN tasks t ON t.id=i.task_id WHERE i.state='open' AND i.due<? AND t.removed=0 AND t.status!='已销号' ")
    args: list = [today]
    if visible_departments is not None:
        sql += "AND " + of_departments("i.task_id", visible_departments, args) + " "
    sql += "ORDER BY i.due, i.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) for r in db.conn.execute(sql, args)]


def due_between(db: sqlite_utils.Database, start: str, end: str) -> list[dict]:
    """Open instances of live tasks falling due in [start, end]."""
    return [dict(r) for r in db.conn.execute(
        "SELECT i.id, i.task_id, i.due, i.period_label, t.title, t.status FROM instances i JOIN tasks t "
        "ON t.id=i.task_id WHERE i.state='open' AND i.due BETWEEN ? AND ? AND t.removed=0 ORDER BY i.due, i.id",
        [start, end])]
