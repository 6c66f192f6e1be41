-- Plans, their structure, the departments that answer for tasks, and the tasks' deadlines.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE jurisdictions (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER REFERENCES jurisdictions(id),
    title           TEXT,
    issuer          TEXT,
    doc_number      TEXT,
    published       TEXT,
    period_start    TEXT,
    period_end      TEXT,
    source_name     TEXT,
    source_hash     TEXT,
    extraction      TEXT,            -- the reviewed extraction JSON as saved
    version         INTEGER NOT NULL DEFAULT 1,
    is_demo         INTEGER NOT NULL DEFAULT 0,
    imported_at     TEXT NOT NULL DEFAULT (datetime('now')),
    imported_by     INTEGER
);
CREATE UNIQUE INDEX plans_source_hash ON plans(source_hash);
CREATE INDEX plans_jurisdiction ON plans(jurisdiction_id);

CREATE TABLE sections (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES sections(id),
    level     INTEGER NOT NULL,
    title     TEXT NOT NULL,
    position  INTEGER NOT NULL
);
CREATE INDEX sections_plan ON sections(plan_id, position);

-- A department belongs to one jurisdiction: 郑州's 市民政局 is not 包头's.
CREATE TABLE departments (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    jurisdiction_id INTEGER REFERENCES jurisdictions(id),
    liaison_name    TEXT,
    liaison_phone   TEXT,
    liaison_email   TEXT
);
CREATE UNIQUE INDEX departments_name ON departments(coalesce(jurisdiction_id, 0), name);
CREATE INDEX departments_jurisdiction ON departments(jurisdiction_id);

-- Other names a jurisdiction's documents use for one of its departments (市卫生健康委员会 -> 市卫健委).
CREATE TABLE department_aliases (
    jurisdiction_id INTEGER,
    alias           TEXT NOT NULL,
    department_id   INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    PRIMARY KEY (jurisdiction_id, alias)
);
CREATE INDEX department_aliases_department ON department_aliases(department_id);

-- source: 规划 (from a plan), 议定事项 (a meeting decision), 领导批示, 上级交办, 其他
CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER REFERENCES plans(id) ON DELETE CASCADE,
    section_id    INTEGER REFERENCES sections(id),
    seq           INTEGER,
    number        TEXT,
    title         TEXT NOT NULL,
    body          TEXT,
    path          TEXT,             -- JSON list of headings, outermost first
    lead_explicit INTEGER NOT NULL DEFAULT 1,
    ongoing       INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT '未开始',
    progress      INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL DEFAULT '规划',
    source_note   TEXT,
    meeting_id    INTEGER,
    removed       INTEGER NOT NULL DEFAULT 0,   -- dropped by a revised plan; kept for its history
    created_at    TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX tasks_plan ON tasks(plan_id, seq);
CREATE INDEX tasks_status ON tasks(status);
CREATE INDEX tasks_meeting ON tasks(meeting_id);

CREATE TABLE task_units (
    task_id       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    role          TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    position      INTEGER NOT NULL,
    PRIMARY KEY (task_id, department_id)
);
CREATE INDEX task_units_department ON task_units(department_id, role);

-- kind: once (due set), recurring (freq, month, day), ongoing (no date)
CREATE TABLE deadlines (
    id       INTEGER PRIMARY KEY,
    task_id  INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('once', 'recurring', 'ongoing', 'plan_end')),
    due      TEXT,
    freq     TEXT,
    month    INTEGER,
    day      INTEGER,
    phrase   TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deadlines_task ON deadlines(task_id);

-- One dated occurrence of a deadline; a recurring deadline has one per period.
CREATE TABLE instances (
    id           INTEGER PRIMARY KEY,
    deadline_id  INTEGER REFERENCES deadlines(id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    due          TEXT NOT NULL,
    period_label TEXT,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'closed')),
    closed_at    TEXT,
    overdue_since TEXT
);
CREATE INDEX instances_due ON instances(state, due);
CREATE INDEX instances_task ON instances(task_id, due);

CREATE TABLE status_history (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    instance_id INTEGER REFERENCES instances(id),
    old_status  TEXT,
    new_status  TEXT NOT NULL,
    user_id     INTEGER,
    note        TEXT,
    at          TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX status_history_task ON status_history(task_id, at);

-- Accounts. role: office (办公室), liaison (部门联络员), leader (领导)
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('office', 'liaison', 'leader')),
    email         TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    is_demo       INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE user_departments (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (user_id, department_id)
);
CREATE INDEX user_departments_department ON user_departments(department_id);

-- Reports are append-only: a correction is a new row whose supersedes_id names the old one.
CREATE TABLE reports (
    id                 INTEGER PRIMARY KEY,
    task_id            INTEGER NOT NULL REFERENCES tasks(id),
    instance_id        INTEGER REFERENCES instances(id),
    department_id      INTEGER NOT NULL REFERENCES departments(id),
    user_id            INTEGER REFERENCES users(id),
    supersedes_id      INTEGER REFERENCES reports(id),
    progress_text      TEXT NOT NULL,
    percent            INTEGER,
    claimed_status     TEXT NOT NULL,
    coordination_need  TEXT,
    coordination_from  TEXT,
    review_state       TEXT NOT NULL DEFAULT '待审核',
    reviewed_by        INTEGER REFERENCES users(id),
    reviewed_at        TEXT,
    review_note        TEXT,
    period             TEXT,
    is_demo            INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX reports_task ON reports(task_id, created_at);
CREATE INDEX reports_department ON reports(department_id, created_at);
CREATE INDEX reports_review ON reports(review_state, created_at);

CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports(id),
    filename   TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX evidence_report ON evidence(report_id);
CREATE INDEX evidence_sha ON evidence(sha256);

CREATE TABLE indicators (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    table_name      TEXT,
    category        TEXT,
    number          TEXT,
    name            TEXT NOT NULL,
    measure_unit    TEXT,
    baseline        TEXT,
    baseline_year   INTEGER,
    target          TEXT,
    target_year     INTEGER,
    comparison      TEXT,
    nature          TEXT,
    position        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX indicators_plan ON indicators(plan_id, position);

CREATE TABLE indicator_units (
    indicator_id  INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (indicator_id, department_id)
);
CREATE INDEX indicator_units_department ON indicator_units(department_id);

-- Reported actual values; append-only.
CREATE TABLE indicator_actuals (
    id            INTEGER PRIMARY KEY,
    indicator_id  INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    value         TEXT NOT NULL,
    source_note   TEXT,
    department_id INTEGER REFERENCES departments(id),
    user_id       INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX indicator_actuals_indicator ON indicator_actuals(indicator_id, year, created_at);

-- The in-app inbox.
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER REFERENCES users(id),
    department_id INTEGER REFERENCES departments(id),
    kind          TEXT NOT NULL DEFAULT 'info',
    title         TEXT NOT NULL,
    body          TEXT,
    link          TEXT,
    created_at    TEXT NOT NULL DEFAULT (datetime('now')),
    read_at       TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_department ON notifications(department_id, read_at);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL DEFAULT (datetime('now')),
    user_id   INTEGER,
    username  TEXT,
    action    TEXT NOT NULL,
    entity    TEXT,
    entity_id INTEGER,
    detail    TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
