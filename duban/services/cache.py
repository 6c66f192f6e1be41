"""Results computed once per state of the database, for pages that rerun many times between writes.

The key of a state is SQLite's `PRAGMA data_version` (it changes when another connection, in this process or
another, commits) together with the asking connection's own writes (db.connection.data_version; in the app a
connection that never writes watches the file, since each script run has a connection of its own). It is read
on every call, so no time-based expiry: a report filed in another worker or an import from the command line is
seen on the next page run. The cache lives on the Database object, so in the app it is one per server process.
"""
from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlite_utils

from db import connection

T = TypeVar("T")
MAX_ENTRIES = 256
_lock = threading.Lock()


def data_version(db: sqlite_utils.Database) -> tuple:
    """A value that differs after any committed write to the database (and after this connection's own writes)."""
    return connection.data_version(db)


def _store(db: sqlite_utils.Database) -> dict:
    store = getattr(db, "_duban_results", None)
    if store is None:
        store = {"version": None, "entries": OrderedDict()}
        try:
            db._duban_results = store
        except AttributeError:  # a database object that takes no attributes: nothing is kept
            pass
    return store


def remember(db: sqlite_utils.Database, key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s result for key in the current state of db; each caller gets its own copy to change."""
    version = data_version(db)
    with _lock:
        store = _store(db)
        if store["version"] != version:
            store["version"] = version
            store["entries"].clear()
        blob = store["entries"].get(key)
        if blob is not None:
            store["entries"].move_to_end(key)
    if blob is None:
        result = compute()
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with _lock:
            if store["version"] == version and data_version(db) == version:
                store["entries"][key] = blob
                while len(store["entries"]) > MAX_ENTRIES:
                    store["entries"].popitem(last=False)
        return result
    return pickle.loads(blob)


def actor_key(actor: Any) -> tuple:
    """What of an actor changes what it may see."""
    places = getattr(actor, "places", None)
    return (actor.user_id, actor.role, tuple(sorted(actor.department_ids)),
            None if places is None else tuple(sorted(places)))
