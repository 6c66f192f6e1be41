-- Reminders: the office's rules, the outbox of messages, the log that makes each reminder go out once,
-- chat robots, the lease that keeps two processes from running one job, the record of job runs,
-- and the numbered 催办单 / 督办单.

-- kind: before (N days before due), on_day, overdue (every N days while overdue), meeting (N days before a meeting)
CREATE TABLE reminder_rules (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('before', 'on_day', 'overdue', 'meeting')),
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    to_co       INTEGER NOT NULL DEFAULT 1,      -- co-responsible units are reminded too
    copy_office INTEGER NOT NULL DEFAULT 0,      -- the office gets a copy (催办)
    channels    TEXT NOT NULL DEFAULT 'inapp,email,webhook',
    active      INTEGER NOT NULL DEFAULT 1,
    note        TEXT,
    updated_at  TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE UNIQUE INDEX reminder_rules_kind_days ON reminder_rules(kind, days);

-- One message to one recipient on one channel. status: pending, sending, sent, failed (retried), abandoned.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,               -- digest, office, message, test
    channel         TEXT NOT NULL CHECK (channel IN ('inapp', 'email', 'webhook')),
    recipient       TEXT NOT NULL,               -- user:ID, an e-mail address, webhook:ID
    user_id         INTEGER REFERENCES users(id),
    department_id   INTEGER REFERENCES departments(id),
    day             TEXT NOT NULL,               -- the working day the message belongs to
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    payload         TEXT,                        -- JSON: the items, for webhooks and rebuilding
    ref             TEXT NOT NULL DEFAULT '',    -- a caller's key (queue_message), else ''
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'abandoned')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT (datetime('now')),
    last_error      TEXT,
    claimed_by      TEXT,
    claimed_at      TEXT,
    created_at      TEXT NOT NULL DEFAULT (datetime('now')),
    sent_at         TEXT
);
-- one digest per recipient, channel and day; a caller's message once per recipient and channel
CREATE UNIQUE INDEX outbox_once ON outbox(kind, channel, recipient, day, ref);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_recent ON outbox(created_at);

-- What was reminded: (deadline instance, rule, recipient, channel, date) at most once.
-- date is the reminder's scheduled date; a caller's keyed message has instance 0, rule 0, its key in ref.
CREATE TABLE notification_log (
    id          INTEGER PRIMARY KEY,
    instance_id INTEGER NOT NULL DEFAULT 0,
    rule_id     INTEGER NOT NULL DEFAULT 0,
    ref         TEXT NOT NULL DEFAULT '',
    recipient   TEXT NOT NULL,
    channel     TEXT NOT NULL,
    day         TEXT NOT NULL,
    outbox_id   INTEGER REFERENCES outbox(id),
    created_at  TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (instance_id, rule_id, ref, recipient, channel, day)
);
CREATE INDEX notification_log_outbox ON notification_log(outbox_id);
CREATE INDEX notification_log_ref ON notification_log(ref) WHERE ref <> '';

-- 企业微信 / 钉钉 group robots and generic JSON endpoints. department_id NULL: all units' reminders.
CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'json')),
    url           TEXT NOT NULL,
    secret        TEXT,
    department_id INTEGER REFERENCES departments(id),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX webhooks_department ON webhooks(department_id, active);

-- Who may run a job right now; a holder whose lease expired loses it.
CREATE TABLE job_leases (
    job         TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  REAL NOT NULL                    -- unix time
);

CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    day         TEXT NOT NULL,
    holder      TEXT,
    started_at  TEXT NOT NULL DEFAULT (datetime('now')),
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'error', 'skipped')),
    detail      TEXT
);
CREATE INDEX job_runs_job_day ON job_runs(job, day, status);
CREATE INDEX job_runs_started ON job_runs(started_at);

-- 提醒单 / 催办单 / 督办单, numbered per word and year (督办〔2026〕第3号).
CREATE TABLE notices (
    id            INTEGER PRIMARY KEY,
    word          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    day           TEXT NOT NULL,
    reply_by      TEXT NOT NULL,
    items         TEXT NOT NULL,
    created_by    INTEGER,
    created_at    TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (word, year, seq)
);
CREATE INDEX notices_department ON notices(department_id, created_at);

-- The inbox: a user's messages and their department's shared ones, newest first.
CREATE INDEX notifications_user_created ON notifications(user_id, created_at);
CREATE INDEX notifications_department_created ON notifications(department_id, created_at);

-- The default rules: 30, 7 and 1 days before, on the day, weekly while overdue with the office in copy,
-- and the request for updates 7 days before a meeting.
INSERT INTO reminder_rules (kind, days, to_co, copy_office, channels, note) VALUES
    ('before', 30, 1, 0, 'inapp,email,webhook', '到期前 30 天提醒'),
    ('before', 7, 1, 0, 'inapp,email,webhook', '到期前 7 天提醒'),
    ('before', 1, 1, 0, 'inapp,email,webhook', '到期前 1 天提醒'),
    ('on_day', 0, 1, 0, 'inapp,email,webhook', '到期当日提醒'),
    ('overdue', 7, 1, 1, 'inapp,email,webhook', '逾期后每 7 天催办,抄送办公室'),
    ('meeting', 7, 1, 0, 'inapp,email', '会议前 7 天请成员单位报送进展');
