"""First start: five plans, demo liaisons and accounts, and a history that makes the dashboard come alive."""
from __future__ import annotations

import datetime as dt
import json

from db.queries.demo import get_meta
from duban import demo
from duban.access import SYSTEM
from duban.services import plans, setup, users

TODAY = dt.date(2026, 11, 22)
JURISDICTIONS = {"钦州市", "随州市", "巫溪县", "郑州市", "包头市"}


def test_demo_has_the_five_jurisdictions_and_plans(demo_db):
    rows = plans.list_plans(demo_db, SYSTEM)
    assert {p["jurisdiction"] for p in rows} == JURISDICTIONS
    assert len(rows) == 5 and all(p["tasks"] > 10 for p in rows) and all(p["is_demo"] for p in rows)
    assert setup.is_demo(demo_db) and get_meta(demo_db, "initialised") == "1"


def test_demo_accounts_log_in_with_the_demo_password(demo_db):
    spec = json.loads((demo.ACCOUNTS_FILE).read_text(encoding="utf-8"))
    names = {a["username"] for a in spec["accounts"]}
    assert {"bangong", "lingdao", "zz-minzheng", "zz-weijian", "bt-minzheng", "sz-minzheng", "qz-minzheng",
            "wx-minzheng"} <= names
    for username in names:
        actor = users.authenticate(demo_db, username, "duban2026")
        assert actor is not None, username
    assert users.authenticate(demo_db, "bangong", "wrong-password") is None
    stored = demo_db.conn.execute("SELECT password_hash FROM users WHERE username='bangong'").fetchone()[0]
    assert stored.startswith("$argon2")


def test_liaison_accounts_answer_for_the_right_department(demo_db):
    expected = {"zz-minzheng": ("郑州市", "民政"), "zz-weijian": ("郑州市", "卫"), "bt-minzheng": ("包头市", "民政"),
                "sz-minzheng": ("随州市", "民政"), "qz-minzheng": ("钦州市", "民政"), "wx-minzheng": ("巫溪县", "民政")}
    for username, (place, word) in expected.items():
        row = demo_db.conn.execute(
            "SELECT d.name, j.name, d.liaison_email FROM users u JOIN user_departments ud ON ud.user_id=u.id "
            "JOIN departments d ON d.id=ud.department_id JOIN jurisdictions j ON j.id=d.jurisdiction_id "
            "WHERE u.username=?", [username]).fetchone()
        assert row[1] == place and word in row[0], username
        assert row[2].endswith(".example.gov.cn")
    assert demo_db.conn.execute("SELECT liaison_email FROM departments d JOIN jurisdictions j ON j.id=d.jurisdiction_id "
                                "WHERE j.name='郑州市' AND d.name='市民政局'").fetchone()[0] == \
        "minzheng@zhengzhou.example.gov.cn"


def test_every_named_department_has_a_liaison(demo_db):
    missing = demo_db.conn.execute(
        "SELECT name FROM departments WHERE liaison_email IS NULL AND name NOT LIKE '各%' "
        "AND name NOT LIKE '%有关部门%'").fetchall()
    assert missing == []
    emails = [r[0] for r in demo_db.conn.execute("SELECT liaison_email FROM departments WHERE liaison_email IS NOT NULL")]
    assert len(emails) == len(set(emails))


def test_demo_reports_cover_every_review_state(demo_db):
    states = dict(demo_db.conn.execute("SELECT review_state, count(*) FROM reports WHERE is_demo=1 GROUP BY 1"))
    assert set(states) == {"待审核", "已采纳", "已退回"}
    returned = demo_db.conn.execute("SELECT review_note FROM reports WHERE review_state='已退回'").fetchall()
    assert all(r[0] for r in returned)
    need = demo_db.conn.execute("SELECT coordination_need, coordination_from FROM reports "
                                "WHERE claimed_status='需协调'").fetchall()
    assert need and all(a and b for a, b in need)
    assert demo_db.conn.execute("SELECT max(created_at) FROM reports").fetchone()[0] < TODAY.isoformat()


def test_demo_statuses_include_closed_and_coordination(demo_db):
    statuses = dict(demo_db.conn.execute("SELECT status, count(*) FROM tasks GROUP BY 1"))
    assert {"已销号", "推进中", "已完成(待审核)", "需协调"} <= set(statuses)
    assert demo_db.conn.execute("SELECT count(*) FROM status_history WHERE at <= ?",
                                [TODAY.isoformat() + " 23:59:59"]).fetchone()[0] > 100


def test_demo_is_deterministic(tmp_path):
    from db import connect

    digests = []
    for name in ("a.db", "b.db"):
        db = connect(tmp_path / name)
        demo.init(db, today=TODAY)
        digests.append(db.conn.execute(
            "SELECT group_concat(task_id || review_state || percent || created_at, ';') FROM "
            "(SELECT * FROM reports ORDER BY id)").fetchone()[0])
        db.conn.close()
    assert digests[0] == digests[1]


def test_no_demo_imports_the_plans_only(db):
    result = demo.init(db, demo=False, today=TODAY)
    assert len(result["plans"]) == 5
    assert get_meta(db, "initialised") == "1" and not setup.is_demo(db)
    assert db.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM plans WHERE is_demo=1").fetchone()[0] == 0
    again = demo.init(db, today=TODAY)
    assert again["already"] and not setup.is_demo(db)
