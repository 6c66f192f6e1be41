"""Server-side logins and login attempts."""
from __future__ import annotations

import sqlite_utils


def insert(db: sqlite_utils.Database, user_id: int, token_hash: str, address: str | None, now: float,
           idle_seconds: float, max_seconds: float) -> int:
    cur = db.conn.execute(
        "INSERT INTO sessions (user_id, token_hash, address, created_at, last_seen, idle_until, expires_at) "
        "VALUES (?,?,?,?,?,?,?)", [user_id, token_hash, address, now, now, now + idle_seconds, now + max_seconds])
    return cur.lastrowid


def by_token_hash(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    row = db.conn.execute("SELECT * FROM sessions WHERE token_hash=?", [token_hash]).fetchone()
    return dict(row) if row else None


def by_id(db: sqlite_utils.Database, session_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM sessions WHERE id=?", [session_id]).fetchone()
    return dict(row) if row else None


def live_reason(db: sqlite_utils.Database, session_id: int, now: float) -> str | None:
    """None while the login is live; else why it ended: revoked, idle, expired, disabled or gone."""
    row = db.conn.execute(
        "SELECT s.revoked_at, s.revoked_why, s.idle_until, s.expires_at, u.active, u.locked_at "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id=?", [session_id]).fetchone()
    if row is None:
        return "gone"
    if row["revoked_at"] is not None:
        return row["revoked_why"] or "revoked"
    if not row["active"] or row["locked_at"]:
        return "disabled"
    if now >= row["expires_at"]:
        return "expired"
    if now >= row["idle_until"]:
        return "idle"
    return None


def touch(db: sqlite_utils.Database, session_id: int, now: float, idle_seconds: float) -> None:
    db.conn.execute("UPDATE sessions SET last_seen=?, idle_until=? WHERE id=? AND revoked_at IS NULL",
                    [now, now + idle_seconds, session_id])


def revoke(db: sqlite_utils.Database, session_id: int, now: float, why: str) -> None:
    db.conn.execute("UPDATE sessions SET revoked_at=?, revoked_why=? WHERE id=? AND revoked_at IS NULL",
                    [now, why, session_id])


def revoke_user(db: sqlite_utils.Database, user_id: int, now: float, why: str, keep: int | None = None) -> int:
    """End every live login of an account (but `keep`); the number ended."""
    return db.conn.execute(
        "UPDATE sessions SET revoked_at=?, revoked_why=? WHERE user_id=? AND revoked_at IS NULL AND id IS NOT ?",
        [now, why, user_id, keep]).rowcount


def record_attempt(db: sqlite_utils.Database, username: str, address: str | None, now: float, ok: bool) -> None:
    db.conn.execute("INSERT INTO login_attempts (username, address, at, ok) VALUES (?,?,?,?)",
                    [username, address, now, int(ok)])


def failures_since_success(db: sqlite_utils.Database, column: str, value: str, since: float) -> tuple[int, float]:
    """(failed attempts after the last success and after `since`, time of the latest) for a username or address."""
    assert column in ("username", "address")
    row = db.conn.execute(
        f"SELECT count(*), max(at) FROM login_attempts WHERE {column}=? AND ok=0 AND at > max(?, "
        f"coalesce((SELECT max(at) FROM login_attempts WHERE {column}=? AND ok=1), 0))",
        [value, since, value]).fetchone()
    return row[0], row[1] or 0.0


def set_locked(db: sqlite_utils.Database, user_id: int, locked: bool) -> None:
    db.conn.execute("UPDATE users SET locked_at = CASE WHEN ? THEN datetime('now') END WHERE id=?",
                    [int(locked), user_id])


def set_must_change(db: sqlite_utils.Database, user_id: int, must: bool) -> None:
    db.conn.execute("UPDATE users SET must_change_password=? WHERE id=?", [int(must), user_id])
