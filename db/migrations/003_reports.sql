-- Progress reports: the business date each was filed, append-only guards, and reporting cycles.

-- The date (as the app sees it) a report was filed; reporting cycles count reports by it.
ALTER TABLE reports ADD COLUMN reported_on TEXT;
CREATE INDEX reports_department_reported ON reports(department_id, reported_on);
CREATE INDEX reports_supersedes ON reports(supersedes_id);
CREATE INDEX reports_instance ON reports(instance_id);
CREATE INDEX reports_task_department ON reports(task_id, department_id, id);
CREATE INDEX reports_reviewed ON reports(review_state, reviewed_at);

-- A report is never deleted and its content never changes; only the review fields are written later.
CREATE TRIGGER reports_append_only_delete BEFORE DELETE ON reports
BEGIN
    SELECT RAISE(ABORT, '进展报告只能追加,不能删除。');
END;

CREATE TRIGGER reports_append_only_update
BEFORE UPDATE OF task_id, instance_id, department_id, user_id, supersedes_id, progress_text, percent,
                 claimed_status, coordination_need, coordination_from, period, created_at, reported_on
ON reports
BEGIN
    SELECT RAISE(ABORT, '进展报告只能追加,更正请提交新版本。');
END;

CREATE TRIGGER evidence_append_only_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, '佐证材料只能追加,不能删除。');
END;

-- When departments report on a plan even if nothing falls due:
-- monthly (day: 28 -> 每月28日前), quarterly (month inside the quarter, day: 1, 20 -> 每季度第1个月20日前),
-- meeting (before each joint meeting: the dates are in report_cycle_dates).
CREATE TABLE report_cycles (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'meeting')),
    month      INTEGER,
    day        INTEGER,
    note       TEXT,
    active     INTEGER NOT NULL DEFAULT 1,
    is_demo    INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX report_cycles_plan ON report_cycles(plan_id, active);
CREATE INDEX report_cycles_active ON report_cycles(active, plan_id);

CREATE TABLE report_cycle_dates (
    cycle_id INTEGER NOT NULL REFERENCES report_cycles(id) ON DELETE CASCADE,
    due      TEXT NOT NULL,
    label    TEXT,
    PRIMARY KEY (cycle_id, due)
);

CREATE INDEX users_role ON users(role, active);
