"""Places (the jurisdictions table) as a tree, and the place each account belongs to."""
from __future__ import annotations

import sqlite_utils

_PLACE = "SELECT id, name, parent_id, level FROM jurisdictions"


def all_places(db: sqlite_utils.Database) -> list[dict]:
    """Every place with its parent and level, by name within each parent."""
    return [dict(r) for r in db.conn.execute(f"{_PLACE} ORDER BY coalesce(parent_id, 0), name, id")]


def by_id(db: sqlite_utils.Database, place_id: int) -> dict | None:
    """One place, or None."""
    row = db.conn.execute(f"{_PLACE} WHERE id=?", [place_id]).fetchone()
    return dict(row) if row else None


def by_name(db: sqlite_utils.Database, name: str) -> dict | None:
    """The one place with this name, or None when there is none or several (市中区 is in many cities)."""
    rows = named(db, name)
    return rows[0] if len(rows) == 1 else None


def named(db: sqlite_utils.Database, name: str) -> list[dict]:
    """Every place with this name (names are unique under one parent only), top-level ones first."""
    return [dict(r) for r in db.conn.execute(f"{_PLACE} WHERE name=? ORDER BY parent_id IS NOT NULL, id", [name])]


def holds_anything(db: sqlite_utils.Database, place_id: int) -> bool:
    """Whether a place holds any work or people: places below it, plans, tasks, meetings, departments, accounts."""
    return db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM jurisdictions WHERE parent_id=:p) OR EXISTS (SELECT 1 FROM plans "
        "WHERE jurisdiction_id=:p) OR EXISTS (SELECT 1 FROM tasks WHERE jurisdiction_id=:p) OR EXISTS (SELECT 1 "
        "FROM meetings WHERE jurisdiction_id=:p) OR EXISTS (SELECT 1 FROM departments WHERE jurisdiction_id=:p) "
        "OR EXISTS (SELECT 1 FROM users WHERE jurisdiction_id=:p)", {"p": place_id}).fetchone()[0] == 1


def children(db: sqlite_utils.Database, place_id: int | None) -> list[dict]:
    """The places directly below one place (None: the places at the top)."""
    return [dict(r) for r in db.conn.execute(
        f"{_PLACE} WHERE parent_id IS ? ORDER BY name, id", [place_id])]


def descendants(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    """Every place below one place, nearest first, each with its depth below it (children are 1)."""
    return [dict(r) for r in db.conn.execute(
        "WITH RECURSIVE below(id, depth) AS ("
        " SELECT id, 1 FROM jurisdictions WHERE parent_id=?"
        " UNION SELECT j.id, below.depth + 1 FROM jurisdictions j JOIN below ON j.parent_id=below.id"
        " WHERE below.depth < 64)"
        " SELECT j.id, j.name, j.parent_id, j.level, min(below.depth) AS depth FROM below"
        " JOIN jurisdictions j ON j.id=below.id GROUP BY j.id ORDER BY depth, j.name, j.id", [place_id])]


def ancestors(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    """The places above one place, nearest first (its parent, then the parent's parent…)."""
    return [dict(r) for r in db.conn.execute(
        "WITH RECURSIVE above(id, depth) AS ("
        " SELECT parent_id, 1 FROM jurisdictions WHERE id=? AND parent_id IS NOT NULL"
        " UNION SELECT j.parent_id, above.depth + 1 FROM jurisdictions j JOIN above ON j.id=above.id"
        " WHERE j.parent_id IS NOT NULL AND above.depth < 64)"
        " SELECT j.id, j.name, j.parent_id, j.level, min(above.depth) AS depth FROM above"
        " JOIN jurisdictions j ON j.id=above.id GROUP BY j.id ORDER BY depth", [place_id])]


def insert(db: sqlite_utils.Database, name: str, parent_id: int | None, level: str | None) -> int:
    """Store a new place; its id."""
    return db.conn.execute("INSERT INTO jurisdictions (name, parent_id, level) VALUES (?,?,?)",
                           [name, parent_id, level]).lastrowid


def rename(db: sqlite_utils.Database, place_id: int, name: str) -> None:
    db.conn.execute("UPDATE jurisdictions SET name=? WHERE id=?", [name, place_id])


def set_parent(db: sqlite_utils.Database, place_id: int, parent_id: int | None) -> None:
    db.conn.execute("UPDATE jurisdictions SET parent_id=? WHERE id=?", [parent_id, place_id])


def set_level(db: sqlite_utils.Database, place_id: int, level: str | None) -> None:
    db.conn.execute("UPDATE jurisdictions SET level=? WHERE id=?", [level, place_id])


def account_place(db: sqlite_utils.Database, user_id: int) -> int | None:
    """The place an account belongs to (None: the whole database, or no such account)."""
    row = db.conn.execute("SELECT jurisdiction_id FROM users WHERE id=?", [user_id]).fetchone()
    return row[0] if row else None


def set_account_place(db: sqlite_utils.Database, user_id: int, place_id: int | None) -> None:
    db.conn.execute("UPDATE users SET jurisdiction_id=? WHERE id=?", [place_id, user_id])


def accounts(db: sqlite_utils.Database) -> list[dict]:
    """Every account with its role and place name (None: the whole database)."""
    return [dict(r) for r in db.conn.execute(
        "SELECT u.id, u.username, u.display_name, u.role, u.active, u.jurisdiction_id, j.name AS place "
        "FROM users u LEFT JOIN jurisdictions j ON j.id=u.jurisdiction_id ORDER BY u.username")]


def plan_names(db: sqlite_utils.Database) -> list[dict]:
    """Each place that has plans, with its plans' issuers (they may name the places above it)."""
    return [dict(r) for r in db.conn.execute(
        "SELECT j.id, j.name, group_concat(DISTINCT p.issuer) AS issuers FROM jurisdictions j "
        "JOIN plans p ON p.jurisdiction_id=j.id GROUP BY j.id ORDER BY j.id")]
