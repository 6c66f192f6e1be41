"""Shared fixtures: a fresh SQLite file per test, a seeded demo database, a fixed 'today'."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from db import connect

ROOT = Path(__file__).resolve().parent.parent
DEMO_TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A fresh database file, also named in $DUBAN_DB for code that opens it itself."""
    path = tmp_path / "duban.db"
    monkeypatch.setenv("DUBAN_DB", str(path))
    monkeypatch.setenv("DUBAN_DATA_DIR", str(tmp_path / "files"))
    return path


@pytest.fixture
def db(db_path):
    database = connect(db_path)
    yield database
    database.conn.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory):
    """The demo database is built once per test run, then copied for each test that wants it."""
    from duban import demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = connect(path)
    demo.init(database, today=DEMO_TODAY)
    # the tests use the demo accounts as if each had already replaced its published password at first login
    database.conn.execute("UPDATE users SET must_change_password = 0")
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()
    return path


@pytest.fixture
def demo_db_path(_demo_template, db_path):
    shutil.copy(_demo_template, db_path)
    return db_path


@pytest.fixture
def demo_db(demo_db_path):
    database = connect(demo_db_path)
    yield database
    database.conn.close()


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """AppTest runs share the process: no cached connection or data may leak between tests."""
    yield
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:
        pass
    from duban.services import setup

    setup._ready.clear()


@pytest.fixture
def patient_expect():
    """Playwright's expect() waits 5 s by default; a busy machine needs longer for a page's first run."""
    from playwright.sync_api import expect

    expect.set_options(timeout=90_000)
    yield
    expect.set_options(timeout=5_000)
