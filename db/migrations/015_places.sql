-- Places form a tree (省 → 市 → 县区 → 乡镇): each jurisdiction may name the place above it and its level.
ALTER TABLE jurisdictions ADD COLUMN parent_id INTEGER REFERENCES jurisdictions(id);
ALTER TABLE jurisdictions ADD COLUMN level TEXT CHECK (level IN ('province', 'city', 'county', 'township'));
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);

-- An account may belong to one place (NULL: the whole database, as every office account did before), and a
-- system administrator (sysadmin) manages places and accounts. SQLite cannot widen a CHECK in place, so the
-- users table is rebuilt with every column it had; the runner turns foreign keys off while it is rebuilt.
CREATE TABLE users_rebuilt (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('office', 'liaison', 'leader', 'sysadmin')),
    email                TEXT,
    active               INTEGER NOT NULL DEFAULT 1,
    is_demo              INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL DEFAULT (datetime('now')),
    locked_at            TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    jurisdiction_id      INTEGER REFERENCES jurisdictions(id)
);
INSERT INTO users_rebuilt (id, username, display_name, password_hash, role, email, active, is_demo, created_at,
                           locked_at, must_change_password)
SELECT id, username, display_name, password_hash, role, email, active, is_demo, created_at,
       locked_at, must_change_password FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE INDEX users_role ON users(role, active);
CREATE INDEX users_jurisdiction ON users(jurisdiction_id);
