"""Results kept per database state: a page rerun reuses them, and any committed write, from this connection,
another connection or another process, is seen on the next call."""
from __future__ import annotations

import subprocess
import sys

from db import connect, transaction
from duban.services import cache, overview, users
from tests.conftest import DEMO_TODAY, ROOT


def _office(db):
    return users.actor_for(db, db.conn.execute("SELECT id FROM users WHERE username='bangong'").fetchone()[0])


def _close_one_task(db_path) -> None:
    """Another process marks one unfinished task closed, as an import or a review on another worker would."""
    code = ("import sys; from db import connect, transaction\n"
            "db = connect(sys.argv[1])\n"
            "with transaction(db):\n"
            "    db.conn.execute(\"UPDATE tasks SET status='已销号' WHERE id = (SELECT min(id) FROM tasks "
            "WHERE status != '已销号' AND removed = 0)\")\n")
    subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, check=True)


def test_a_rerun_reuses_the_overview_and_a_write_in_another_process_is_seen(demo_db, demo_db_path):
    office = _office(demo_db)
    first = overview.overview(demo_db, office, DEMO_TODAY)
    calls = []
    original = overview._overview
    overview._overview = lambda *a: calls.append(a) or original(*a)
    try:
        again = overview.overview(demo_db, office, DEMO_TODAY)
        assert calls == [] and again == first  # nothing changed: nothing computed
        again["by_status"]["已销号"] = -1  # a caller changing its copy changes nothing kept
        assert overview.overview(demo_db, office, DEMO_TODAY) == first

        _close_one_task(demo_db_path)
        after = overview.overview(demo_db, office, DEMO_TODAY)
        assert len(calls) == 1
        assert after["by_status"]["已销号"] == first["by_status"]["已销号"] + 1
    finally:
        overview._overview = original


def test_a_write_through_the_same_connection_is_seen(demo_db):
    office = _office(demo_db)
    before = overview.overview(demo_db, office, DEMO_TODAY)
    version = cache.data_version(demo_db)
    with transaction(demo_db):
        demo_db.conn.execute("UPDATE tasks SET status='已销号' WHERE id = (SELECT min(id) FROM tasks "
                             "WHERE status != '已销号' AND removed = 0)")
    assert cache.data_version(demo_db) != version
    after = overview.overview(demo_db, office, DEMO_TODAY)
    assert after["by_status"]["已销号"] == before["by_status"]["已销号"] + 1


def test_a_write_through_another_connection_in_this_process_is_seen(demo_db, demo_db_path):
    office = _office(demo_db)
    before = overview.overview(demo_db, office, DEMO_TODAY)
    other = connect(demo_db_path)
    try:
        with transaction(other):
            other.conn.execute("UPDATE tasks SET removed = 1 WHERE id = (SELECT min(id) FROM tasks WHERE removed = 0)")
    finally:
        other.conn.close()
    assert overview.overview(demo_db, office, DEMO_TODAY)["total"] == before["total"] - 1


def test_a_liaison_never_gets_the_office_s_figures(demo_db):
    office = _office(demo_db)
    liaison = users.actor_for(demo_db, demo_db.conn.execute(
        "SELECT id FROM users WHERE username='zz-minzheng'").fetchone()[0])
    everything = overview.overview(demo_db, office, DEMO_TODAY)
    own = overview.overview(demo_db, liaison, DEMO_TODAY)
    assert 0 < own["total"] < everything["total"]
