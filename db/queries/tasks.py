"""Tasks, the departments answering for them, and their deadlines."""
from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from db.queries.sql import marks
from db.queries.visibility import of_departments, of_places


def insert(db: sqlite_utils.Database, **fields) -> int:
    cols = list(fields)
    return db.conn.execute(
        f"INSERT INTO tasks ({', '.join(cols)}) VALUES ({marks(cols)})",
        [fields[c] for c in cols]).lastrowid


def update(db: sqlite_utils.Database, task_id: int, **fields) -> None:
    cols = list(fields)
    db.conn.execute(f"UPDATE tasks SET {', '.join(f'{c}=?' for c in cols)}, updated_at=datetime('now') WHERE id=?",
                    [fields[c] for c in cols] + [task_id])


def set_units(db: sqlite_utils.Database, task_id: int, units: Iterable[tuple[int, str]]) -> None:
    """Replace a task's units: (department_id, 'lead'|'co') in the order written."""
    db.conn.execute("DELETE FROM task_units WHERE task_id=?", [task_id])
    db.conn.executemany("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?,?,?,?)",
                        [(task_id, d, role, i) for i, (d, role) in enumerate(units)])


def insert_deadline(db: sqlite_utils.Database, task_id: int, d: dict, position: int) -> int:
    return db.conn.execute(
        "INSERT INTO deadlines (task_id, kind, due, freq, month, day, phrase, position) VALUES (?,?,?,?,?,?,?,?)",
        [task_id, d["kind"], d.get("due"), d.get("freq"), d.get("month"), d.get("day"), d.get("phrase"), position],
    ).lastrowid


def deadlines(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT id, kind, due, freq, month, day, phrase, position FROM deadlines WHERE task_id=? ORDER BY position, id",
        [task_id])]


def delete_deadline(db: sqlite_utils.Database, deadline_id: int) -> None:
    db.conn.execute("DELETE FROM deadlines WHERE id=?", [deadline_id])


def get(db: sqlite_utils.Database, task_id: int) -> dict | None:
    row = db.conn.execute(
        "SELECT t.*, p.title AS plan_title, p.period_start, p.period_end, "
        "j.name AS jurisdiction FROM tasks t LEFT JOIN plans p ON p.id=t.plan_id "
        "LEFT JOIN jurisdictions j ON j.id=t.jurisdiction_id WHERE t.id=?", [task_id]).fetchone()
    return dict(row) if row else None


def units(db: sqlite_utils.Database, task_id: int) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT u.department_id, d.name, u.role, u.position, d.jurisdiction_id, d.liaison_name, d.liaison_phone, "
        "d.liaison_email FROM task_units u JOIN departments d ON d.id=u.department_id WHERE u.task_id=? "
        "ORDER BY u.role='co', u.position", [task_id])]


def department_ids(db: sqlite_utils.Database, task_id: int) -> set[int]:
    return {r[0] for r in db.conn.execute("SELECT department_id FROM task_units WHERE task_id=?", [task_id])}


def of_plan(db: sqlite_utils.Database, plan_id: int, include_removed: bool = False) -> list[dict]:
    sql = "SELECT * FROM tasks WHERE plan_id=?" + ("" if include_removed else " AND removed=0") + " ORDER BY seq, id"
    return [dict(r) for r in db.conn.execute(sql, [plan_id])]


def units_of_plan(db: sqlite_utils.Database, plan_id: int) -> dict[int, list[dict]]:
    """Units of every task of a plan: task id -> [{department_id, name, role}] lead first."""
    out: dict[int, list[dict]] = {}
    for r in db.conn.execute(
            "SELECT u.task_id, u.department_id, d.name, u.role FROM task_units u JOIN tasks t ON t.id=u.task_id "
            "JOIN departments d ON d.id=u.department_id WHERE t.plan_id=? ORDER BY u.task_id, u.role='co', u.position",
            [plan_id]):
        out.setdefault(r[0], []).append({"department_id": r[1], "name": r[2], "role": r[3]})
    return out


def deadlines_of_plan(db: sqlite_utils.Database, plan_id: int) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in db.conn.execute(
            "SELECT d.* FROM deadlines d JOIN tasks t ON t.id=d.task_id WHERE t.plan_id=? ORDER BY d.task_id, "
            "d.position, d.id", [plan_id]):
        out.setdefault(r["task_id"], []).append(dict(r))
    return out


def _where(filters: dict, args: list) -> str:
    """SQL conditions for the task list's filters (values bound through args)."""
    cond = []
    if not filters.get("include_removed"):
        cond.append("t.removed=0")
    if filters.get("visible_departments") is not None:
        cond.append(of_departments("t.id", filters["visible_departments"], args))
    if filters.get("department_id") is not None:
        if filters.get("role"):
            cond.append("t.id IN (SELECT task_id FROM task_units WHERE department_id=? AND role=?)")
            args.extend([filters["department_id"], filters["role"]])
        else:
            cond.append("t.id IN (SELECT task_id FROM task_units WHERE department_id=?)")
            args.append(filters["department_id"])
    if filters.get("plan_id") is not None:
        cond.append("t.plan_id=?")
        args.append(filters["plan_id"])
    if filters.get("jurisdiction_id") is not None:
        cond.append("t.jurisdiction_id=?")
        args.append(filters["jurisdiction_id"])
    if "visible_places" in filters:
        cond.append(of_places("t.jurisdiction_id", filters["visible_places"], args))
    if filters.get("jurisdiction"):
        cond.append("j.name=?")
        args.append(filters["jurisdiction"])
    if filters.get("statuses"):
        cond.append(f"t.status IN ({marks(filters['statuses'])})")
        args.extend(filters["statuses"])
    if filters.get("source"):
        cond.append("t.source=?")
        args.append(filters["source"])
    if filters.get("meeting_id") is not None:
        cond.append("t.meeting_id=?")
        args.append(filters["meeting_id"])
    if filters.get("task_ids") is not None:
        ids = list(filters["task_ids"]) or [-1]
        cond.append(f"t.id IN ({marks(ids)})")
        args.extend(ids)
    if filters.get("q"):
        like = f"%{filters['q']}%"
        cond.append("(t.title LIKE ? OR t.body LIKE ? OR t.number LIKE ? OR t.id IN "
                    "(SELECT u.task_id FROM task_units u JOIN departments d ON d.id=u.department_id WHERE d.name LIKE ?))")
        args.extend([like, like, like, like])
    return (" WHERE " + " AND ".join(cond)) if cond else ""


def listing(db: sqlite_utils.Database, filters: dict) -> tuple[list[tuple], dict[int, list[tuple]]]:
    """Tasks (tuples: id, plan_id, plan title, period_start, jurisdiction_id and name, seq, number, title, status,
    progress, source, source_note, meeting_id, ongoing, removed, created_at) and their units: task id -> [(department_id, role, name,
    jurisdiction_id)] lead first, in the order written. Two queries whatever the number of tasks."""
    args: list = []
    where = _where(filters, args)
    sql = ("SELECT t.id, t.plan_id, p.title, p.period_start, t.jurisdiction_id, j.name, t.seq, t.number, t.title, "
           "t.status, t.progress, t.source, t.source_note, t.meeting_id, t.ongoing, t.removed, t.created_at "
           "FROM tasks t LEFT JOIN plans p ON p.id=t.plan_id LEFT JOIN jurisdictions j ON j.id=t.jurisdiction_id"
           + where + " ORDER BY t.plan_id IS NULL, t.plan_id, t.seq, t.id")
    cur = db.conn.cursor()
    cur.row_factory = None
    rows = cur.execute(sql, args).fetchall()
    if len(rows) > 500 or not rows:
        department_rows = cur.execute(
            "SELECT tu.task_id, tu.department_id, tu.role, d.name, d.jurisdiction_id FROM task_units tu "
            "JOIN departments d ON d.id=tu.department_id ORDER BY tu.task_id, tu.role DESC, tu.position").fetchall()
    else:
        ids = [r[0] for r in rows]
        department_rows = cur.execute(
            "SELECT tu.task_id, tu.department_id, tu.role, d.name, d.jurisdiction_id FROM task_units tu "
            f"JOIN departments d ON d.id=tu.department_id WHERE tu.task_id IN ({marks(ids)}) "
            "ORDER BY tu.task_id, tu.role DESC, tu.position", ids).fetchall()
    departments: dict[int, list[tuple]] = {}
    for task_id, dep, role, name, jur in department_rows:
        departments.setdefault(task_id, []).append((dep, role, name, jur))
    return rows, departments


def matching_ids(db: sqlite_utils.Database, filters: dict) -> set[int]:
    """Ids of the tasks the list's filters select."""
    args: list = []
    where = _where(filters, args)
    return {r[0] for r in db.conn.execute(
        "SELECT t.id FROM tasks t LEFT JOIN plans p ON p.id=t.plan_id LEFT JOIN jurisdictions j "
        "ON j.id=t.jurisdiction_id" + where, args)}


def count(db: sqlite_utils.Database) -> int:
    return db.conn.execute("SELECT count(*) FROM tasks WHERE removed=0").fetchone()[0]


def max_seq(db: sqlite_utils.Database, plan_id: int | None) -> int:
    row = db.conn.execute("SELECT max(seq) FROM tasks WHERE plan_id IS ?", [plan_id]).fetchone()
    return row[0] or 0


def mark_removed(db: sqlite_utils.Database, task_id: int) -> None:
    db.conn.execute("UPDATE tasks SET removed=1, updated_at=datetime('now') WHERE id=?", [task_id])


def meeting_exists(db: sqlite_utils.Database, meeting_id: int) -> bool:
    return db.conn.execute("SELECT 1 FROM meetings WHERE id=?", [meeting_id]).fetchone() is not None
