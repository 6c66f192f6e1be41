-- Reminders for reporting cycles: departments that have not reported for a cycle's period are reminded
-- N days before its due date (report_before), on the day (report_on_day) and once N days after it
-- (report_after, the office in copy with the list of units that have not reported).
-- SQLite cannot widen a CHECK constraint, so the rules table is rebuilt with its rows and ids.

CREATE TABLE reminder_rules_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('before', 'on_day', 'overdue', 'meeting',
                                              'report_before', 'report_on_day', 'report_after')),
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    to_co       INTEGER NOT NULL DEFAULT 1,      -- co-responsible units are reminded too
    copy_office INTEGER NOT NULL DEFAULT 0,      -- the office gets a copy (催办 / who has not reported)
    channels    TEXT NOT NULL DEFAULT 'inapp,email,webhook',
    active      INTEGER NOT NULL DEFAULT 1,
    note        TEXT,
    updated_at  TEXT NOT NULL DEFAULT (datetime('now'))
);

INSERT INTO reminder_rules_new (id, kind, days, to_co, copy_office, channels, active, note, updated_at)
    SELECT id, kind, days, to_co, copy_office, channels, active, note, updated_at FROM reminder_rules;

DROP TABLE reminder_rules;

ALTER TABLE reminder_rules_new RENAME TO reminder_rules;

CREATE UNIQUE INDEX reminder_rules_kind_days ON reminder_rules(kind, days);

INSERT INTO reminder_rules (kind, days, to_co, copy_office, channels, note) VALUES
    ('report_before', 3, 1, 0, 'inapp,email,webhook', '报送截止前 3 天提醒尚未报送的单位'),
    ('report_on_day', 0, 1, 0, 'inapp,email,webhook', '报送截止当日提醒尚未报送的单位'),
    ('report_after', 1, 1, 1, 'inapp,email,webhook', '报送截止次日催报一次,抄送办公室未报送单位名单');
