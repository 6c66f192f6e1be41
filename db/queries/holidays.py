"""The office's holiday calendar (holiday_days)."""
from __future__ import annotations

import sqlite_utils


def all_days(db: sqlite_utils.Database) -> list[dict]:
    """Every day the office entered (a day off, or a make-up working day), in date order."""
    return list(db["holiday_days"].rows_where(select="day, year, workday, name", order_by="day"))


def years(db: sqlite_utils.Database) -> list[dict]:
    """Each entered year with its count of days off and make-up working days, and when it was entered."""
    return [dict(r) for r in db.conn.execute(
        "SELECT year, sum(workday = 0) AS days_off, sum(workday = 1) AS workdays, max(entered_at) AS entered_at "
        "FROM holiday_days GROUP BY year ORDER BY year")]


def replace_year(db: sqlite_utils.Database, year: int, rows: list[dict], user_id: int | None) -> None:
    """A year's days as entered now, in place of what was entered for that year before."""
    table = db["holiday_days"]
    table.delete_where("year = ?", [year])
    table.insert_all({"day": r["day"], "year": year, "workday": int(r["workday"]), "name": r["name"],
                      "entered_by": user_id} for r in rows)


def delete_year(db: sqlite_utils.Database, year: int) -> int:
    """Forget what was entered for a year; how many days that was."""
    return db.conn.execute("DELETE FROM holiday_days WHERE year=?", [year]).rowcount
