-- Joint meetings (联席会议 / 领导小组例会), the plans and member units they cover, the update requests
-- sent before them, and the reporting periods a meeting pack locks.

-- kind: 联席会议, 领导小组例会, 其他. A meeting proposed from a plan's recurring deadline keeps that deadline.
CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('联席会议', '领导小组例会', '其他')),
    title        TEXT NOT NULL,
    date         TEXT NOT NULL,
    remind_days  INTEGER NOT NULL DEFAULT 7 CHECK (remind_days >= 0),
    deadline_id  INTEGER REFERENCES deadlines(id) ON DELETE SET NULL,
    period_label TEXT,               -- the deadline period it answers, e.g. 2026年第4季度
    notes        TEXT,
    is_demo      INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX meetings_date ON meetings(date);
CREATE INDEX meetings_deadline ON meetings(deadline_id, period_label);

CREATE TABLE meeting_plans (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    plan_id    INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, plan_id)
);
CREATE INDEX meeting_plans_plan ON meeting_plans(plan_id);

CREATE TABLE meeting_units (
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (meeting_id, department_id)
);
CREATE INDEX meeting_units_department ON meeting_units(department_id);

-- Each member unit is asked for its update once per meeting; channel says how (queued / inapp).
CREATE TABLE meeting_requests (
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    sent_on       TEXT NOT NULL,
    channel       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, department_id)
);

-- A reporting period runs from start to end; building a meeting pack locks the open one.
-- snapshot: JSON {scope: pack data} — the figures each pack of the period was built from.
CREATE TABLE report_periods (
    id        INTEGER PRIMARY KEY,
    label     TEXT NOT NULL UNIQUE,
    start     TEXT NOT NULL,
    end       TEXT,
    locked_at TEXT,
    locked_by INTEGER REFERENCES users(id),
    snapshot  TEXT
);
CREATE UNIQUE INDEX report_periods_open ON report_periods((locked_at IS NULL)) WHERE locked_at IS NULL;
CREATE INDEX report_periods_start ON report_periods(start);

-- The pack and the assessment read reports by period and by department and date.
CREATE INDEX reports_period ON reports(period);
CREATE INDEX reports_department_review ON reports(department_id, review_state);
