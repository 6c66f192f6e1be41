-- Logins kept on the server: one row per login, found by the SHA-256 of the token the browser holds in a
-- cookie. A write or a file read checks its row in the same transaction: not revoked, not idle past
-- idle_until, not older than expires_at, and the account still active. Logout revokes the row.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    address     TEXT,
    created_at  REAL NOT NULL,            -- unix seconds
    last_seen   REAL NOT NULL,
    idle_until  REAL NOT NULL,            -- last_seen + the idle limit in force when last seen
    expires_at  REAL NOT NULL,            -- created_at + the absolute lifetime
    revoked_at  REAL,
    revoked_why TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every login attempt, for throttling by account and by client address.
CREATE TABLE login_attempts (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    address   TEXT,
    at        REAL NOT NULL,
    ok        INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);

-- A locked account cannot log in until the office lifts the lock; demo accounts change their password first.
ALTER TABLE users ADD COLUMN locked_at TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
