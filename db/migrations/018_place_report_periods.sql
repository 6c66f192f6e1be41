-- Each place's office keeps its own reporting periods (报送期): building its meeting pack locks its place's open
-- period only, so one district's pack never moves another city's reports into the next period. jurisdiction_id
-- NULL: the whole database's periods, as every period was before (existing rows keep NULL). A label is unique
-- within a place, and each place has at most one open period. SQLite cannot drop the column's UNIQUE in place,
-- so the table is rebuilt with every column it had (foreign keys are off meanwhile; the ids stay the same).
CREATE TABLE report_periods_rebuilt (
    id              INTEGER PRIMARY KEY,
    label           TEXT NOT NULL,
    start           TEXT NOT NULL,
    end             TEXT,
    locked_at       TEXT,
    locked_by       INTEGER REFERENCES users(id),
    snapshot        TEXT,
    jurisdiction_id INTEGER REFERENCES jurisdictions(id)
);
INSERT INTO report_periods_rebuilt (id, label, start, end, locked_at, locked_by, snapshot)
SELECT id, label, start, end, locked_at, locked_by, snapshot FROM report_periods;
DROP TABLE report_periods;
ALTER TABLE report_periods_rebuilt RENAME TO report_periods;
CREATE UNIQUE INDEX report_periods_label ON report_periods(coalesce(jurisdiction_id, 0), label);
CREATE UNIQUE INDEX report_periods_open ON report_periods(coalesce(jurisdiction_id, 0)) WHERE locked_at IS NULL;
CREATE INDEX report_periods_start ON report_periods(start);

-- A report names the period it was filed in by id too: labels repeat across places (each city has its own
-- 2026年第1期), and a place follows the periods of the place above it (or the whole database's) until its own
-- office first locks one, so the label and the task's place alone cannot tell which period a report is in.
-- Every existing period is the whole database's, so existing reports find theirs by label.
ALTER TABLE reports ADD COLUMN period_id INTEGER REFERENCES report_periods(id);
UPDATE reports SET period_id = (SELECT p.id FROM report_periods p WHERE p.label = reports.period)
WHERE period IS NOT NULL;
CREATE INDEX reports_period_id ON reports(period_id);
