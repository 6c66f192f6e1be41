"""What `duban status` reads about the installation itself: job runs, the outbox, office-entered holidays."""
from __future__ import annotations

import sqlite_utils


def last_run_per_job(db: sqlite_utils.Database) -> list[dict]:
    """The latest run of every scheduled job."""
    return [dict(r) for r in db.conn.execute(
        "SELECT job, day, status, started_at, finished_at, detail FROM job_runs "
        "WHERE id IN (SELECT max(id) FROM job_runs GROUP BY job) ORDER BY job")]


def queued_messages(db: sqlite_utils.Database) -> dict[str, int]:
    """Messages still to go out, by status (pending, sending, failed)."""
    return {r[0]: r[1] for r in db.conn.execute(
        "SELECT status, count(*) FROM outbox WHERE status IN ('pending', 'sending', 'failed') GROUP BY status")}


def holiday_years(db: sqlite_utils.Database) -> list[int]:
    """Years covered by holidays the office entered itself, when the database has such a table."""
    years: set[int] = set()
    tables = [r[0] for r in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%holiday%'")]
    for table in tables:
        columns = [r[1] for r in db.conn.execute(f'PRAGMA table_info("{table}")')]
        column = next((c for c in ("day", "date", "start", "start_day", "year") if c in columns), None)
        if column is None:
            continue
        for (value,) in db.conn.execute(f'SELECT DISTINCT substr("{column}", 1, 4) FROM "{table}"'):
            if value and str(value).isdigit():
                years.add(int(value))
    return sorted(years)
