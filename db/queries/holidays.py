"""The office's holiday calendar (holiday_days)."""
from __future__ import annotations

import sqlite_utils


def all_days(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.conn.execute("SELECT day, year, workday, name FROM holiday_days ORDER BY day")]


def years(db: sqlite_utils.Database) -> list[dict]:
    """Each entered year with its count of days off and make-up working days, and when it was entered."""
    return [dict(r) for r in db.conn.execute(
        "SELECT year, sum(workday = 0) AS days_off, sum(workday = 1) AS workdays, max(entered_at) AS entered_at "
        "FROM holiday_days GROUP BY year ORDER BY year")]


def replace_year(db: sqlite_utils.Database, year: int, rows: list[dict], user_id: int | None) -> None:
    db.conn.execute("DELETE FROM holiday_days WHERE year=?", [year])
    db.conn.executemany(
        "INSERT INTO holiday_days (day, year, workday, name, entered_by) VALUES (?, ?, ?, ?, ?)",
        [(r["day"], year, int(r["workday"]), r["name"], user_id) for r in rows])


def delete_year(db: sqlite_utils.Database, year: int) -> int:
    return db.conn.execute("DELETE FROM holiday_days WHERE year=?", [year]).rowcount
