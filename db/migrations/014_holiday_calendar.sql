-- The office's own holiday calendar, for years the bundled calendar does not know yet.
CREATE TABLE holiday_days (
    day         TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,
    workday     INTEGER NOT NULL CHECK (workday IN (0, 1)),
    name        TEXT NOT NULL,
    entered_by  INTEGER REFERENCES users(id),
    entered_at  TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX holiday_days_year ON holiday_days(year);
