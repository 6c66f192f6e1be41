"""Evidence files attached to reports: their names, content hashes and sizes (the bytes live on disk)."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks


def insert(db: sqlite_utils.Database, report_id: int, filename: str, sha256: str, size: int, mime: str) -> int:
    cur = db.conn.execute("INSERT INTO evidence (report_id, filename, sha256, size, mime) VALUES (?,?,?,?,?)",
                          [report_id, filename, sha256, size, mime])
    return cur.lastrowid


def for_reports(db: sqlite_utils.Database, report_ids: list[int]) -> list[dict]:
    """The files of these reports, in the order they were attached."""
    if not report_ids:
        return []
    in_list = marks(report_ids)
    return [dict(r) for r in db.conn.execute(
        f"SELECT id, report_id, filename, sha256, size, mime, created_at FROM evidence "
        f"WHERE report_id IN ({in_list}) ORDER BY id", list(report_ids))]


def item(db: sqlite_utils.Database, evidence_id: int) -> dict | None:
    """One evidence file with the task and department of the report it belongs to."""
    row = db.conn.execute("SELECT e.*, r.task_id, r.department_id FROM evidence e JOIN reports r ON r.id = e.report_id "
                          "WHERE e.id=?", [evidence_id]).fetchone()
    return dict(row) if row else None


def all_files(db: sqlite_utils.Database) -> list[dict]:
    """Every evidence file recorded, for checking a restored installation."""
    return [dict(r) for r in db.conn.execute("SELECT id, report_id, filename, sha256, size FROM evidence ORDER BY id")]
