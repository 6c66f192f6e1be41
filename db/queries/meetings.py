"""Meetings, their plans and member units, update requests, reporting periods, and the meeting pack's data."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks
from db.queries.visibility import of_places


def _rows(db: sqlite_utils.Database, sql: str, params: list | tuple | dict = ()) -> list[dict]:
    return [dict(r) for r in db.conn.execute(sql, params)]


def _one(db: sqlite_utils.Database, sql: str, params: list | tuple | dict = ()) -> dict | None:
    row = db.conn.execute(sql, params).fetchone()
    return dict(row) if row else None


def _marks(values) -> str:
    """An IN list that is never empty: no values match nothing."""
    return marks(values) or "NULL"


# ---------------------------------------------------------------- meetings

def insert_meeting(db: sqlite_utils.Database, *, kind: str, title: str, date: str, remind_days: int,
                   deadline_id: int | None, period_label: str | None, notes: str | None, is_demo: bool,
                   created_by: int | None, jurisdiction_id: int | None = None) -> int:
    """Store a meeting of a place (the office's that holds it); its id."""
    return db.conn.execute(
        "INSERT INTO meetings (kind, title, date, remind_days, deadline_id, period_label, notes, is_demo, created_by, "
        "jurisdiction_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [kind, title, date, remind_days, deadline_id, period_label, notes, int(is_demo), created_by,
         jurisdiction_id]).lastrowid


def set_meeting_plans(db: sqlite_utils.Database, meeting_id: int, plan_ids: list[int]) -> None:
    db.conn.execute("DELETE FROM meeting_plans WHERE meeting_id=?", [meeting_id])
    db.conn.executemany("INSERT INTO meeting_plans (meeting_id, plan_id) VALUES (?,?)",
                        [(meeting_id, p) for p in dict.fromkeys(plan_ids)])


def set_meeting_units(db: sqlite_utils.Database, meeting_id: int, department_ids: list[int]) -> None:
    db.conn.execute("DELETE FROM meeting_units WHERE meeting_id=?", [meeting_id])
    db.conn.executemany("INSERT INTO meeting_units (meeting_id, department_id) VALUES (?,?)",
                        [(meeting_id, d) for d in dict.fromkeys(department_ids)])


def meeting(db: sqlite_utils.Database, meeting_id: int) -> dict | None:
    return _one(db, "SELECT * FROM meetings WHERE id=?", [meeting_id])


def meetings(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> list[dict]:
    """Every meeting (of these places; None: all), latest first, with how many plans, member units and
    decisions it has."""
    args: list = []
    cond = of_places("m.jurisdiction_id", places, args)
    return _rows(db, f"""
        SELECT m.*,
               (SELECT count(*) FROM meeting_plans mp WHERE mp.meeting_id = m.id) AS plan_count,
               (SELECT count(*) FROM meeting_units mu WHERE mu.meeting_id = m.id) AS unit_count,
               (SELECT count(*) FROM tasks t WHERE t.meeting_id = m.id AND t.removed = 0) AS decision_count
        FROM meetings m WHERE {cond} ORDER BY m.date DESC, m.id DESC""", args)


def meeting_plans(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    return _rows(db, "SELECT p.id, p.title, j.name AS jurisdiction FROM meeting_plans mp "
                     "JOIN plans p ON p.id = mp.plan_id LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id "
                     "WHERE mp.meeting_id=? ORDER BY p.id", [meeting_id])


def meeting_units(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    return _rows(db, "SELECT d.id, d.name, j.name AS jurisdiction FROM meeting_units mu "
                     "JOIN departments d ON d.id = mu.department_id LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id "
                     "WHERE mu.meeting_id=? ORDER BY d.jurisdiction_id, d.id", [meeting_id])


def deadline_plan(db: sqlite_utils.Database, deadline_id: int) -> int | None:
    """The plan a deadline's task belongs to (0 for a task outside any plan); None if there is no such deadline."""
    row = db.conn.execute("SELECT coalesce(t.plan_id, 0) FROM deadlines d JOIN tasks t ON t.id = d.task_id "
                          "WHERE d.id=?", [deadline_id]).fetchone()
    return row[0] if row else None


def meeting_for_deadline(db: sqlite_utils.Database, deadline_id: int, period_label: str) -> dict | None:
    """A meeting already set up for this deadline's period (so it is not proposed again)."""
    return _one(db, "SELECT * FROM meetings WHERE deadline_id=? AND period_label=? LIMIT 1", [deadline_id, period_label])


def meeting_deadlines(db: sqlite_utils.Database, plan_id: int) -> list[dict]:
    """A plan's recurring deadlines, with the text of the task they are written in."""
    return _rows(db, "SELECT d.id, d.task_id, d.freq, d.month, d.day, d.phrase, t.body, t.title, t.plan_id "
                     "FROM deadlines d JOIN tasks t ON t.id = d.task_id "
                     "WHERE t.plan_id=? AND t.removed=0 AND d.kind='recurring' ORDER BY t.seq, d.position, d.id",
                 [plan_id])


def plan_departments(db: sqlite_utils.Database, plan_ids: list[int]) -> list[int]:
    """Every department answering for a live task of these plans (their member units)."""
    return [r[0] for r in db.conn.execute(
        f"SELECT DISTINCT u.department_id FROM task_units u JOIN tasks t ON t.id = u.task_id "
        f"WHERE t.removed = 0 AND t.plan_id IN ({_marks(plan_ids)}) ORDER BY u.department_id", list(plan_ids))]


def plans(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> list[dict]:
    """The plans (of these places; None: all) with their place."""
    args: list = []
    cond = of_places("p.jurisdiction_id", places, args)
    return _rows(db, "SELECT p.id, p.title, p.period_start, p.period_end, p.jurisdiction_id, j.name AS jurisdiction "
                     f"FROM plans p LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id WHERE {cond} ORDER BY p.id",
                 args)


def plan(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    return _one(db, "SELECT p.id, p.title, p.period_start, p.period_end, p.jurisdiction_id, j.name AS jurisdiction "
                    "FROM plans p "
                    "LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id WHERE p.id=?", [plan_id])


def departments(db: sqlite_utils.Database, ids: list[int] | None = None,
                places: frozenset[int] | None = None) -> list[dict]:
    """Departments with their place: these ids (None: all), of these places (None: any)."""
    args: list = []
    cond = of_places("d.jurisdiction_id", places, args)
    sql = ("SELECT d.id, d.name, d.jurisdiction_id, j.name AS jurisdiction FROM departments d "
           f"LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE {cond}")
    if ids is None:
        return _rows(db, sql + " ORDER BY d.jurisdiction_id, d.id", args)
    return _rows(db, sql + f" AND d.id IN ({_marks(ids)}) ORDER BY d.jurisdiction_id, d.id", args + list(ids))


def decision_tasks(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    """The tasks a meeting's decisions became."""
    return _rows(db, "SELECT t.id, t.title, t.status, t.progress, t.source, t.source_note, "
                     "(SELECT group_concat(d.name, '、') FROM task_units u JOIN departments d ON d.id = u.department_id "
                     " WHERE u.task_id = t.id) AS units, "
                     "(SELECT min(i.due) FROM instances i WHERE i.task_id = t.id) AS due "
                     "FROM tasks t WHERE t.meeting_id=? AND t.removed=0 ORDER BY t.id", [meeting_id])


def assigned_tasks(db: sqlite_utils.Database, limit: int = 200, places: frozenset[int] | None = None) -> list[dict]:
    """交办任务: tasks entered from 领导批示, 上级交办 or 其他 rather than a plan (of these places), newest first."""
    args: list = []
    cond = of_places("t.jurisdiction_id", places, args)
    return _rows(db, "SELECT t.id, t.title, t.status, t.source, t.source_note, t.created_at, "
                     "(SELECT group_concat(d.name, '、') FROM task_units u JOIN departments d ON d.id = u.department_id "
                     " WHERE u.task_id = t.id) AS units, "
                     "(SELECT min(i.due) FROM instances i WHERE i.task_id = t.id) AS due "
                     "FROM tasks t WHERE t.source IN ('领导批示', '上级交办', '其他') AND t.removed=0 "
                     f"AND {cond} ORDER BY t.id DESC LIMIT ?", [*args, limit])


# ---------------------------------------------------------------- update requests

def insert_request(db: sqlite_utils.Database, meeting_id: int, department_id: int, sent_on: str, channel: str) -> bool:
    cur = db.conn.execute("INSERT OR IGNORE INTO meeting_requests (meeting_id, department_id, sent_on, channel) "
                          "VALUES (?,?,?,?)", [meeting_id, department_id, sent_on, channel])
    return cur.rowcount > 0


def requests(db: sqlite_utils.Database, meeting_id: int) -> dict[int, dict]:
    return {r["department_id"]: r for r in _rows(db, "SELECT * FROM meeting_requests WHERE meeting_id=?", [meeting_id])}


def meetings_between(db: sqlite_utils.Database, start: str, end: str,
                     places: frozenset[int] | None = None) -> list[dict]:
    """Meetings (of these places; None: all) dated in [start, end], soonest first."""
    args: list = [start, end]
    cond = of_places("jurisdiction_id", places, args)
    return _rows(db, f"SELECT * FROM meetings WHERE date BETWEEN ? AND ? AND {cond} ORDER BY date, id", args)


def unit_users(db: sqlite_utils.Database, department_id: int) -> list[int]:
    return [r[0] for r in db.conn.execute(
        "SELECT u.id FROM users u JOIN user_departments ud ON ud.user_id = u.id "
        "WHERE ud.department_id=? AND u.active=1 ORDER BY u.id", [department_id])]


def insert_notification(db: sqlite_utils.Database, user_id: int | None, department_id: int | None, kind: str,
                        title: str, body: str, link: str | None) -> None:
    db.conn.execute("INSERT INTO notifications (user_id, department_id, kind, title, body, link) VALUES (?,?,?,?,?,?)",
                    [user_id, department_id, kind, title, body, link])


# ---------------------------------------------------------------- reporting periods
# Each place keeps its own periods (jurisdiction_id; NULL: the whole database's). `place` below is that id.

_PLACE = "coalesce(jurisdiction_id, 0) = coalesce(?, 0)"


def open_period(db: sqlite_utils.Database, place: int | None = None) -> dict | None:
    return _one(db, f"SELECT * FROM report_periods WHERE locked_at IS NULL AND {_PLACE}", [place])


def last_locked(db: sqlite_utils.Database, place: int | None = None) -> dict | None:
    return _one(db, f"SELECT * FROM report_periods WHERE locked_at IS NOT NULL AND {_PLACE} ORDER BY id DESC LIMIT 1",
                [place])


def periods(db: sqlite_utils.Database, place: int | None = None) -> list[dict]:
    """Every reporting period of a place, the open one last."""
    return _rows(db, "SELECT id, label, start, end, locked_at, locked_by, snapshot IS NOT NULL AS has_snapshot, "
                     f"jurisdiction_id FROM report_periods WHERE {_PLACE} ORDER BY id", [place])


def period(db: sqlite_utils.Database, label: str, place: int | None = None) -> dict | None:
    return _one(db, f"SELECT * FROM report_periods WHERE label=? AND {_PLACE}", [label, place])


def period_on(db: sqlite_utils.Database, day: str, place: int | None = None) -> dict | None:
    """The locked period of a place a date falls in."""
    return _one(db, "SELECT * FROM report_periods WHERE locked_at IS NOT NULL AND start <= ? AND end >= ? "
                    f"AND {_PLACE} ORDER BY id LIMIT 1", [day, day, place])


def labels_starting(db: sqlite_utils.Database, prefix: str, place: int | None = None) -> int:
    return db.conn.execute(f"SELECT count(*) FROM report_periods WHERE label LIKE ? AND {_PLACE}",
                           [prefix + "%", place]).fetchone()[0]


def period_place(db: sqlite_utils.Database, place: int | None) -> int | None:
    """The place whose periods a place's reports fall in: the nearest of the place and those above it that
    keeps periods of its own, else None (the whole database's)."""
    if place is None:
        return None
    row = db.conn.execute("""
        WITH RECURSIVE chain(id, depth) AS (
            SELECT ?, 0
            UNION ALL SELECT j.parent_id, c.depth + 1 FROM jurisdictions j JOIN chain c ON j.id = c.id
            WHERE j.parent_id IS NOT NULL AND c.depth < 32)
        SELECT c.id FROM chain c WHERE EXISTS (SELECT 1 FROM report_periods p WHERE p.jurisdiction_id = c.id)
        ORDER BY c.depth LIMIT 1""", [place]).fetchone()
    return row[0] if row else None


def first_report_day(db: sqlite_utils.Database, place: int | None = None) -> str | None:
    """The day of the first report (on a task of `place`, when given)."""
    sql = "SELECT min(coalesce(r.reported_on, substr(r.created_at, 1, 10))) FROM reports r"
    if place is None:
        return db.conn.execute(sql).fetchone()[0]
    return db.conn.execute(sql + " JOIN tasks t ON t.id = r.task_id WHERE t.jurisdiction_id = ?", [place]).fetchone()[0]


def insert_period(db: sqlite_utils.Database, label: str, start: str, place: int | None = None) -> int:
    return db.conn.execute("INSERT INTO report_periods (label, start, jurisdiction_id) VALUES (?,?,?)",
                           [label, start, place]).lastrowid


def set_period_start(db: sqlite_utils.Database, period_id: int, start: str) -> None:
    db.conn.execute("UPDATE report_periods SET start=? WHERE id=?", [start, period_id])


def lock_period(db: sqlite_utils.Database, period_id: int, end: str, locked_at: str, locked_by: int | None) -> None:
    db.conn.execute("UPDATE report_periods SET end=?, locked_at=?, locked_by=? WHERE id=?",
                    [end, locked_at, locked_by, period_id])


def set_snapshot(db: sqlite_utils.Database, period_id: int, snapshot: str) -> None:
    db.conn.execute("UPDATE report_periods SET snapshot=? WHERE id=?", [snapshot, period_id])


def report_window(upto: dict | None, after: dict | None = None, alias: str = "r") -> tuple[str, list]:
    """SQL condition for the reports of a range of one place's periods: filed in period `upto` or before
    (None: any time) and after period `after` (None: from the start). A report filed in a period of that place
    counts by its period; any other report (filed in another place's period, or naming none) belongs to the
    first period it was dated within and filed before the lock of."""

    def upto_cond(p: dict) -> tuple[str, list]:
        place = p.get("jurisdiction_id")
        return (f"(coalesce({alias}.period_id, 0) IN (SELECT id FROM report_periods WHERE id <= ? AND locked_at IS NOT NULL "
                f"AND {_PLACE}) OR (coalesce({alias}.period_id, 0) NOT IN (SELECT id FROM report_periods "
                f"WHERE {_PLACE}) AND coalesce({alias}.reported_on, substr({alias}.created_at, 1, 10)) <= ? "
                f"AND {alias}.created_at <= ?))",
                [p["id"], place, place, p["end"], p["locked_at"]])

    conds, params = [], []
    if upto is not None and upto.get("locked_at"):
        c, p = upto_cond(upto)
        conds.append(c)
        params += p
    if after is not None and after.get("locked_at"):
        c, p = upto_cond(after)
        conds.append(f"NOT {c}")
        params += p
    return (" AND ".join(conds) or "1"), params


def unit_report_stats(db: sqlite_utils.Database, department_ids: list[int], plan_ids: list[int] | None,
                      window: tuple[str, list], until: str | None = None) -> dict[int, dict]:
    """Per department: how many reports it filed in the window (on the given plans' tasks) and the latest date."""
    cond, params = window
    sql = (f"SELECT r.department_id, count(*) AS n, max(coalesce(r.reported_on, substr(r.created_at, 1, 10))) AS last "
           f"FROM reports r JOIN tasks t ON t.id = r.task_id WHERE r.department_id IN ({_marks(department_ids)}) "
           f"AND {cond}")
    args = list(department_ids) + list(params)
    if plan_ids is not None:
        sql += f" AND (t.plan_id IN ({_marks(plan_ids)}) OR t.plan_id IS NULL)"
        args += list(plan_ids)
    if until:
        sql += " AND coalesce(r.reported_on, substr(r.created_at, 1, 10)) <= ?"
        args.append(until)
    return {r["department_id"]: r for r in _rows(db, sql + " GROUP BY r.department_id", args)}


# ---------------------------------------------------------------- the pack's data

def _scope(plan_id: int | None, alias: str = "t") -> tuple[str, list]:
    if plan_id is None:
        return f"{alias}.removed = 0", []
    return (f"{alias}.removed = 0 AND ({alias}.plan_id = ? OR {alias}.meeting_id IN "
            f"(SELECT meeting_id FROM meeting_plans WHERE plan_id = ?))", [plan_id, plan_id])


def scope_tasks(db: sqlite_utils.Database, plan_id: int | None) -> list[dict]:
    """The live tasks of one plan (with the decisions of meetings about it), or of all plans and sources."""
    cond, params = _scope(plan_id)
    return _rows(db, f"""
        SELECT t.id, t.plan_id, t.seq, t.number, t.title, t.status, t.progress, t.source, t.source_note,
               t.meeting_id, t.ongoing, substr(t.created_at, 1, 10) AS created_on,
               p.title AS plan_title, p.period_start, p.period_end, j.name AS jurisdiction,
               m.title AS meeting_title, m.date AS meeting_date
        FROM tasks t LEFT JOIN plans p ON p.id = t.plan_id
        LEFT JOIN jurisdictions j ON j.id = p.jurisdiction_id
        LEFT JOIN meetings m ON m.id = t.meeting_id
        WHERE {cond}
        ORDER BY t.plan_id IS NULL, t.plan_id, t.seq, t.id""", params)


def scope_units(db: sqlite_utils.Database, plan_id: int | None) -> list[dict]:
    cond, params = _scope(plan_id)
    return _rows(db, f"""
        SELECT u.task_id, u.department_id, u.role, u.position, d.name, d.jurisdiction_id, j.name AS jurisdiction
        FROM task_units u JOIN tasks t ON t.id = u.task_id JOIN departments d ON d.id = u.department_id
        LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id
        WHERE {cond} ORDER BY u.task_id, u.role = 'co', u.position""", params)


def scope_deadlines(db: sqlite_utils.Database, plan_id: int | None) -> list[dict]:
    cond, params = _scope(plan_id)
    return _rows(db, f"""
        SELECT dl.id, dl.task_id, dl.kind, dl.due, dl.freq, dl.month, dl.day, dl.phrase, dl.position
        FROM deadlines dl JOIN tasks t ON t.id = dl.task_id WHERE {cond} ORDER BY dl.task_id, dl.position, dl.id""",
                 params)


def scope_instances(db: sqlite_utils.Database, plan_id: int | None) -> list[dict]:
    cond, params = _scope(plan_id)
    return _rows(db, f"""
        SELECT i.id, i.task_id, i.deadline_id, i.due, i.period_label, i.state, substr(i.closed_at, 1, 10) AS closed_on,
               i.overdue_since
        FROM instances i JOIN tasks t ON t.id = i.task_id WHERE {cond} ORDER BY i.task_id, i.due, i.id""", params)


def scope_latest_reports(db: sqlite_utils.Database, plan_id: int | None, window: tuple[str, list]) -> list[dict]:
    """The newest report of each (task, department) in the window that was not returned (退回), else the newest."""
    cond, params = _scope(plan_id)
    wcond, wparams = window
    return _rows(db, f"""
        SELECT r.id, r.task_id, r.department_id, r.progress_text, r.percent, r.claimed_status,
               r.coordination_need, r.coordination_from, r.review_state,
               coalesce(r.reported_on, substr(r.created_at, 1, 10)) AS reported_on
        FROM reports r WHERE r.id IN (
            SELECT coalesce(max(CASE WHEN r.review_state <> '已退回' THEN r.id END), max(r.id))
            FROM reports r JOIN tasks t ON t.id = r.task_id
            WHERE {cond} AND {wcond} GROUP BY r.task_id, r.department_id)
        ORDER BY r.task_id, r.id""", params + wparams)


def department_last_reports(db: sqlite_utils.Database, department_ids: list[int], window: tuple[str, list]) -> dict[int, str]:
    """The date of each department's newest report in the window (any task)."""
    wcond, wparams = window
    rows = db.conn.execute(
        f"SELECT r.department_id, max(coalesce(r.reported_on, substr(r.created_at, 1, 10))) FROM reports r "
        f"WHERE r.department_id IN ({_marks(department_ids)}) AND {wcond} GROUP BY r.department_id",
        list(department_ids) + wparams)
    return {r[0]: r[1] for r in rows}


# ---------------------------------------------------------------- a department's year (duty report)

def department_tasks(db: sqlite_utils.Database, department_id: int) -> list[dict]:
    """The live tasks a department answers for, with its role, plan and first and last deadline."""
    return _rows(db, """
        SELECT t.id, t.plan_id, t.seq, t.number, t.title, t.status, t.progress, t.source, u.role,
               p.title AS plan_title,
               (SELECT group_concat(d.name, '、') FROM task_units x JOIN departments d ON d.id = x.department_id
                WHERE x.task_id = t.id AND x.role = 'lead') AS lead
        FROM task_units u JOIN tasks t ON t.id = u.task_id LEFT JOIN plans p ON p.id = t.plan_id
        WHERE u.department_id = ? AND t.removed = 0 ORDER BY u.role = 'co', t.plan_id, t.seq, t.id""", [department_id])


def department_reports(db: sqlite_utils.Database, department_id: int, start: str, end: str) -> list[dict]:
    """A department's reports dated within [start, end], oldest first."""
    return _rows(db, """
        SELECT r.id, r.task_id, r.progress_text, r.percent, r.claimed_status, r.coordination_need,
               r.coordination_from, r.review_state, coalesce(r.reported_on, substr(r.created_at, 1, 10)) AS reported_on
        FROM reports r WHERE r.department_id = ?
        AND coalesce(r.reported_on, substr(r.created_at, 1, 10)) BETWEEN ? AND ? ORDER BY reported_on, r.id""",
                 [department_id, start, end])


def department_instances(db: sqlite_utils.Database, department_id: int) -> list[dict]:
    return _rows(db, """
        SELECT i.id, i.task_id, i.due, i.period_label, i.state, substr(i.closed_at, 1, 10) AS closed_on, u.role
        FROM instances i JOIN task_units u ON u.task_id = i.task_id JOIN tasks t ON t.id = i.task_id
        WHERE u.department_id = ? AND t.removed = 0 ORDER BY i.due, i.id""", [department_id])
