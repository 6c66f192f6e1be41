"""Places in one system: the tree, what an account sees and changes, the administrator's changes, the upgrade."""
from __future__ import annotations

import sqlite3

import pytest

import db.migrations as migrations
from db import connect
from duban.access import SYSTEM, Actor
from duban.errors import AccessDenied, InputError
from duban.services import places, users
from tests.reports_world import PASSWORD, actor, build


@pytest.fixture
def world(db):
    return build(db)


@pytest.fixture
def tree(db, world):
    """河南省 > 郑州市 > 金水区 > 花园路街道, 郑州市 > 新郑市; 包头市 stays at the top."""
    ids = {r["name"]: r["id"] for r in places.tree(db)}
    henan = places.add_place(db, SYSTEM, "河南省")
    places.move_place(db, SYSTEM, ids["郑州市"], henan)
    jinshui = places.add_place(db, SYSTEM, "金水区", ids["郑州市"])
    street = places.add_place(db, SYSTEM, "花园路街道", jinshui)
    xinzheng = places.add_place(db, SYSTEM, "新郑市", ids["郑州市"])
    return {**ids, "河南省": henan, "金水区": jinshui, "花园路街道": street, "新郑市": xinzheng}


def _names(rows):
    return [r["name"] for r in rows]


def test_the_tree_reads_top_down_with_levels(db, tree):
    rows = places.tree(db)
    assert [("  " * r["depth"]) + r["name"] for r in rows] == [
        "包头市", "河南省", "  郑州市", "    新郑市", "    金水区", "      花园路街道"]
    level = {r["name"]: r["level"] for r in rows}
    assert level["河南省"] == "province" and level["金水区"] == "county" and level["花园路街道"] == "township"
    assert level["新郑市"] == "county"  # a 市 under a 市 is county-level


def test_children_ancestors_descendants(db, tree):
    assert _names(places.children(db, tree["郑州市"])) == ["新郑市", "金水区"]
    assert _names(places.children(db, None)) == ["包头市", "河南省"]
    assert _names(places.ancestors(db, tree["花园路街道"])) == ["金水区", "郑州市", "河南省"]
    assert places.ancestors(db, tree["河南省"]) == []
    assert _names(places.descendants(db, tree["河南省"])) == ["郑州市", "新郑市", "金水区", "花园路街道"]
    assert places.descendants(db, tree["花园路街道"]) == []


def _office_of(db, username, place_id):
    users.create_user(db, SYSTEM, username, PASSWORD, "office")
    account = actor(db, username)
    places.set_account_place(db, SYSTEM, account.user_id, place_id)
    return actor(db, username)  # signed in again: the account now carries its place


def test_an_office_sees_its_place_and_below(db, tree):
    zz_office = _office_of(db, "zz-office", tree["郑州市"])
    assert places.visible_places(db, zz_office) == {tree["郑州市"], tree["金水区"], tree["花园路街道"], tree["新郑市"]}
    js_office = _office_of(db, "js-office", tree["金水区"])
    assert places.visible_places(db, js_office) == {tree["金水区"], tree["花园路街道"]}


def test_accounts_without_a_place_see_what_they_saw_before(db, tree, world):
    assert places.visible_places(db, actor(db, "bangong")) is None
    assert places.visible_places(db, actor(db, "lingdao")) is None
    assert places.visible_places(db, actor(db, "bt-minzheng")) == {tree["包头市"]}  # its department's place


def test_an_office_changes_only_its_own_place(db, tree):
    zz_office = _office_of(db, "zz-office", tree["郑州市"])
    assert places.can_change(db, zz_office, tree["郑州市"])
    assert not places.can_change(db, zz_office, tree["金水区"])  # sees it, does not change it
    assert not places.can_change(db, zz_office, tree["河南省"])
    assert places.can_change(db, actor(db, "bangong"), tree["金水区"])  # whole-database office, as before
    assert not places.can_change(db, actor(db, "lingdao"), tree["郑州市"])
    assert not places.can_change(db, actor(db, "zz-minzheng"), tree["郑州市"])


def test_only_a_system_administrator_manages_places(db, tree):
    zz_office = _office_of(db, "zz-office", tree["郑州市"])
    with pytest.raises(AccessDenied, match="系统管理员"):
        places.add_place(db, zz_office, "惠济区", tree["郑州市"])
    with pytest.raises(AccessDenied):
        places.set_account_place(db, actor(db, "lingdao"), zz_office.user_id, None)
    users.create_user(db, SYSTEM, "admin", PASSWORD, "sysadmin")
    admin = actor(db, "admin")
    assert admin.role == "sysadmin" and places.is_system_administrator(db, admin)
    assert places.is_system_administrator(db, actor(db, "bangong"))
    assert not places.is_system_administrator(db, zz_office)
    places.add_place(db, admin, "惠济区", tree["郑州市"])
    assert "惠济区" in _names(places.children(db, tree["郑州市"]))


def test_moving_a_place_under_its_own_descendant_is_refused(db, tree):
    with pytest.raises(InputError, match="下级“花园路街道”之下,这会形成循环"):
        places.move_place(db, SYSTEM, tree["郑州市"], tree["花园路街道"])
    with pytest.raises(InputError, match="自己之下"):
        places.move_place(db, SYSTEM, tree["郑州市"], tree["郑州市"])
    assert _names(places.ancestors(db, tree["郑州市"])) == ["河南省"]  # nothing changed


def test_duplicate_names_are_refused_under_one_parent(db, tree):
    with pytest.raises(InputError, match="“郑州市”下已有名为“金水区”的地区"):
        places.add_place(db, SYSTEM, "金水区", tree["郑州市"])
    assert places.add_place(db, SYSTEM, "金水区", tree["包头市"]) != tree["金水区"]  # another city's own
    with pytest.raises(InputError, match="“郑州市”下已有名为“新郑市”"):
        places.rename_place(db, SYSTEM, tree["金水区"], "新郑市")
    with pytest.raises(InputError, match="请填写地区名称"):
        places.add_place(db, SYSTEM, "  ")


def test_rename_and_move_are_audited(db, tree):
    bangong = actor(db, "bangong")
    places.rename_place(db, bangong, tree["金水区"], "金水新区")
    places.move_place(db, bangong, tree["新郑市"], None)
    rows = db.conn.execute("SELECT username, action, entity, entity_id, detail FROM audit_log "
                           "WHERE entity='place' ORDER BY id DESC LIMIT 2").fetchall()
    assert [tuple(r)[:4] for r in rows] == [("bangong", "移动地区", "place", tree["新郑市"]),
                                            ("bangong", "重命名地区", "place", tree["金水区"])]
    assert '"to": "金水新区"' in rows[1]["detail"] and '"from": "郑州市"' in rows[0]["detail"]
    assert _names(places.children(db, None)) == ["包头市", "新郑市", "河南省"]


def test_setting_an_account_place_is_audited_and_an_office_cannot_demote_itself(db, tree):
    bangong = actor(db, "bangong")
    lingdao = actor(db, "lingdao")
    places.set_account_place(db, bangong, lingdao.user_id, tree["郑州市"])
    assert places.actor_place(db, lingdao) == tree["郑州市"]
    row = db.conn.execute("SELECT action, detail FROM audit_log WHERE entity='user' AND entity_id=? "
                          "ORDER BY id DESC", [lingdao.user_id]).fetchone()
    assert row["action"] == "设置账号所属地区" and "郑州市" in row["detail"]
    with pytest.raises(InputError, match="不能给自己设置所属地区"):
        places.set_account_place(db, bangong, bangong.user_id, tree["郑州市"])
    assert places.actor_place(db, bangong) is None


def test_a_failed_change_leaves_no_audit_row(db, tree):
    before = db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(InputError):
        places.move_place(db, SYSTEM, tree["河南省"], tree["金水区"])
    assert db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_places_proposed_from_plans(db, world):
    zz = db.conn.execute("SELECT id FROM jurisdictions WHERE name='郑州市'").fetchone()[0]
    js = db.conn.execute("INSERT INTO jurisdictions (name) VALUES ('郑州市金水区')").lastrowid
    db.conn.execute("INSERT INTO plans (jurisdiction_id, title, issuer, source_hash) "
                    "VALUES (?, '金水区规划', '郑州市金水区人民政府', 'js')", [js])
    db.conn.execute("UPDATE plans SET issuer='河南省郑州市人民政府' WHERE jurisdiction_id=?", [zz])
    db.conn.execute("UPDATE plans SET issuer='包头市人民政府' WHERE source_hash='bt'")
    found = {p.name: p for p in places.places_from_plans(db)}
    assert set(found) == {"郑州市金水区", "郑州市"}  # 包头市 names nothing above it
    assert (found["郑州市金水区"].parent, found["郑州市金水区"].parent_id, found["郑州市金水区"].level) == (
        "郑州市", zz, "county")
    assert (found["郑州市"].parent, found["郑州市"].parent_id, found["郑州市"].level) == ("河南省", None, "city")
    assert places.adopt(db, SYSTEM, list(found.values())) == 2
    assert _names(places.ancestors(db, js)) == ["郑州市", "河南省"]
    assert places.places_from_plans(db) == []  # nothing left to propose


def _columns(conn, table):
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def test_an_existing_database_is_upgraded_and_keeps_its_accounts(db_path, monkeypatch):
    every = migrations.migration_files()
    assert every[-1].stem == "015_places" or "015_places" in {p.stem for p in every}
    with monkeypatch.context() as before:  # the program as it was before places
        before.setattr(migrations, "migration_files", lambda: [p for p in every if p.stem < "015"])
        old = connect(db_path)
        world = build(old)
        liaison = actor(old, "zz-minzheng")
        old.conn.execute("UPDATE users SET locked_at='2026-11-01', must_change_password=1 WHERE username='lingdao'")
        old.conn.execute("INSERT INTO sessions (user_id, token_hash, created_at, last_seen, idle_until, expires_at) "
                         "VALUES (?, 'h', 1, 1, 2, 3)", [liaison.user_id])
        old_users = [tuple(r) for r in old.conn.execute("SELECT * FROM users ORDER BY id")]
        old_columns = _columns(old.conn, "users")
        links = old.conn.execute("SELECT count(*) FROM user_departments").fetchone()[0]
        old.conn.close()

    upgraded = connect(db_path)
    try:
        conn = upgraded.conn
        assert _columns(conn, "users") == [*old_columns, "jurisdiction_id"]
        assert [tuple(r)[:-1] for r in conn.execute("SELECT * FROM users ORDER BY id")] == old_users
        assert {r[0] for r in conn.execute("SELECT jurisdiction_id FROM users")} == {None}
        assert conn.execute("SELECT count(*) FROM user_departments").fetchone()[0] == links  # no cascade
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on after the rebuild
        assert {"parent_id", "level"} <= set(_columns(conn, "jurisdictions"))
        assert {r[1] for r in conn.execute("PRAGMA index_list(users)")} >= {"users_role", "users_jurisdiction"}
        assert users.authenticate(upgraded, "zz-minzheng", PASSWORD).department_ids == {world.a}
        assert places.visible_places(upgraded, actor(upgraded, "bangong")) is None  # today's behaviour
        users.create_user(upgraded, SYSTEM, "admin", PASSWORD, "sysadmin")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE users SET role='boss' WHERE username='admin'")
        with pytest.raises(sqlite3.IntegrityError):  # references are enforced again
            conn.execute("UPDATE users SET jurisdiction_id=999 WHERE username='admin'")
    finally:
        upgraded.conn.close()


def test_a_migration_that_would_leave_broken_references_is_undone(db_path, tmp_path, monkeypatch):
    bad = tmp_path / "999_bad.sql"
    bad.write_text("INSERT INTO user_departments (user_id, department_id) VALUES (12345, 67890);\n", encoding="utf-8")
    every = migrations.migration_files()
    monkeypatch.setattr(migrations, "migration_files", lambda: [*every, bad])
    with pytest.raises(Exception, match="无效的引用"):
        connect(db_path)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM user_departments").fetchone()[0] == 0
        assert "999_bad" not in {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    finally:
        conn.close()


def test_an_actor_with_no_account_has_no_place(db):
    assert places.actor_place(db, Actor(user_id=None, username="x", role="office")) is None


def test_only_a_system_administrator_creates_a_sysadmin_account(db, tree):
    zz_office = _office_of(db, "zz-office", tree["郑州市"])
    with pytest.raises(AccessDenied, match="系统管理员"):
        users.create_user(db, zz_office, "admin", PASSWORD, "sysadmin")
    department = db.conn.execute("SELECT id FROM departments LIMIT 1").fetchone()[0]
    users.create_user(db, zz_office, "js-liaison", PASSWORD, "liaison", [department])  # other accounts as before
    users.create_user(db, actor(db, "bangong"), "admin", PASSWORD, "sysadmin")
    assert actor(db, "admin").role == "sysadmin"
