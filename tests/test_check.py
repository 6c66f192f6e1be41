"""The overdue scan flags each instance once, on the first day it is past due."""
from __future__ import annotations

import datetime as dt

from duban.access import SYSTEM
from duban.services import check, plan_import
from tests.test_import import sample

TODAY = dt.date(2026, 11, 22)


def test_scan_flags_past_due_open_instances_once(db):
    plan_import.import_plan(db, SYSTEM, sample(), "s.txt", b"s", TODAY)
    flagged = check.overdue_scan(db, dt.date(2025, 6, 1))
    dues = {r[0] for r in db.conn.execute(
        f"SELECT due FROM instances WHERE id IN ({','.join(map(str, flagged))})")}
    assert dues == {"2024-05-31", "2025-05-31"}
    assert check.overdue_scan(db, dt.date(2025, 6, 1)) == []
    since = {r[0] for r in db.conn.execute("SELECT overdue_since FROM instances WHERE overdue_since IS NOT NULL")}
    assert since == {"2025-06-01"}
    later = check.overdue_scan(db, dt.date(2026, 1, 1))
    assert {r[0] for r in db.conn.execute(
        f"SELECT due FROM instances WHERE id IN ({','.join(map(str, later))})")} == {"2025-12-31"}
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='逾期检查'").fetchone()[0] == 2


def test_scan_skips_done_instances_and_closed_or_removed_tasks(db):
    plan_import.import_plan(db, SYSTEM, sample(), "s.txt", b"s", TODAY)
    first, second, third = [r[0] for r in db.conn.execute("SELECT id FROM tasks ORDER BY seq")]
    db.conn.execute("UPDATE instances SET state='closed' WHERE task_id=? AND due='2024-05-31'", [first])
    db.conn.execute("UPDATE instances SET state='claimed' WHERE task_id=? AND due='2025-05-31'", [first])
    db.conn.execute("UPDATE tasks SET status='已销号' WHERE id=?", [second])
    db.conn.execute("UPDATE tasks SET removed=1 WHERE id=?", [third])
    assert check.overdue_scan(db, dt.date(2027, 1, 1)) == [
        r[0] for r in db.conn.execute("SELECT id FROM instances WHERE task_id=? AND due='2026-05-31'", [first])]


def test_scan_on_the_demo_flags_nothing_already_flagged(demo_db):
    before = demo_db.conn.execute("SELECT count(*) FROM instances WHERE overdue_since IS NOT NULL").fetchone()[0]
    assert before > 0
    flagged = check.overdue_scan(demo_db, dt.date(2026, 11, 22))
    # the plans' history was flagged day by day as it went overdue; a second scan finds nothing new
    assert not demo_db.conn.execute(
        f"SELECT count(*) FROM instances i JOIN tasks t ON t.id=i.task_id WHERE t.source='规划' "
        f"AND i.id IN ({','.join(map(str, flagged or [0]))})").fetchone()[0]
    assert check.overdue_scan(demo_db, dt.date(2026, 11, 22)) == []
    assert check.overdue_instances(demo_db, dt.date(2026, 11, 22))


def test_scan_uses_the_state_due_index(db):
    plan = " ".join(r[3] for r in db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM instances WHERE state='open' AND due<'2026-01-01' AND overdue_since IS NULL"))
    assert "INDEX" in plan and "state=? AND due<?" in plan
