"""The office's settings: one key, one text value (office_name, warn_days, smtp_host …)."""
from __future__ import annotations

import sqlite_utils


def setting(db: sqlite_utils.Database, key: str) -> str | None:
    """The stored value of a setting, or None when it was never set."""
    row = db.conn.execute("SELECT value FROM settings WHERE key=?", [key]).fetchone()
    return row[0] if row else None


def settings_with_prefix(db: sqlite_utils.Database, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with `prefix` (smtp_ …), by key."""
    rows = db.conn.execute("SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'",
                           [prefix.replace("_", "\\_") + "%"])
    return {r[0]: r[1] for r in rows}


def set_setting(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    """Store a setting; None removes it, so the default applies again."""
    if value is None:
        db.conn.execute("DELETE FROM settings WHERE key=?", [key])
    else:
        db.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value", [key, value])
