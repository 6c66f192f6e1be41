"""A small, fully known world for report, review and access tests: two cities, three departments, four tasks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from unittest import mock

from duban import security
from duban.access import SYSTEM
from duban.services import users

PASSWORD = "Duban-2026-ok"
TODAY = dt.date(2026, 11, 22)


_hashes: dict[str, str] = {}


def _hash_once(password: str) -> str:
    if password not in _hashes:
        _hashes[password] = security.hash_password(password)
    return _hashes[password]


@dataclass
class World:
    plan: int
    plan_bt: int
    a: int          # 郑州市 市民政局
    b: int          # 郑州市 市卫健委
    c: int          # 包头市 市民政局
    shared: int     # lead A, co B; one instance 2026-12-31
    only_b: int     # lead B only; overdue instance 2026-06-30
    recurring: int  # lead A only; yearly instances 2025-12-31 (overdue), 2026-12-31
    only_c: int     # 包头: lead C
    inst: dict      # task id -> [instance ids, earliest first]


def _exec(db, sql, params=()):
    return db.conn.execute(sql, params).lastrowid


def _task(db, plan, seq, title, units, dues):
    tid = _exec(db, "INSERT INTO tasks (plan_id, seq, number, title, body) VALUES (?,?,?,?,?)",
                [plan, seq, str(seq), title, f"{title}。具体要求见规划原文。"])
    for pos, (department, role) in enumerate(units):
        _exec(db, "INSERT INTO task_units (task_id, department_id, role, position) VALUES (?,?,?,?)",
              [tid, department, role, pos])
    dl = _exec(db, "INSERT INTO deadlines (task_id, kind, due, phrase) VALUES (?,?,?,?)",
               [tid, "once" if len(dues) == 1 else "recurring", dues[-1], "年底前"])
    ids = [_exec(db, "INSERT INTO instances (deadline_id, task_id, due, period_label) VALUES (?,?,?,?)",
                 [dl, tid, due, f"{due[:4]}年"]) for due in dues]
    return tid, ids


def build(db, with_users: bool = True) -> World:
    """Insert the world's rows (and its five accounts, all with password PASSWORD); the app will not seed it."""
    db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('initialised', '1')")
    zz = _exec(db, "INSERT INTO jurisdictions (name) VALUES ('郑州市')")
    bt = _exec(db, "INSERT INTO jurisdictions (name) VALUES ('包头市')")
    a = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('市民政局', ?)", [zz])
    b = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('市卫健委', ?)", [zz])
    c = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('市民政局', ?)", [bt])
    plan = _exec(db, "INSERT INTO plans (jurisdiction_id, title, period_start, period_end, source_hash) "
                     "VALUES (?, '郑州市“一老一小”整体解决方案', '2025-01-01', '2027-12-31', 'zz')", [zz])
    plan_bt = _exec(db, "INSERT INTO plans (jurisdiction_id, title, period_start, period_end, source_hash) "
                        "VALUES (?, '包头市“一老一小”整体解决方案', '2025-01-01', '2027-12-31', 'bt')", [bt])
    inst = {}
    shared, inst_shared = _task(db, plan, 1, "建设社区嵌入式养老服务设施", [(a, "lead"), (b, "co")], ["2026-12-31"])
    only_b, inst_b = _task(db, plan, 2, "推进医养结合机构建设", [(b, "lead")], ["2026-06-30"])
    recurring, inst_r = _task(db, plan, 3, "开展养老机构安全检查", [(a, "lead")], ["2025-12-31", "2026-12-31"])
    only_c, inst_c = _task(db, plan_bt, 1, "发展普惠托育服务", [(c, "lead")], ["2026-12-31"])
    inst = {shared: inst_shared, only_b: inst_b, recurring: inst_r, only_c: inst_c}
    if with_users:
        with mock.patch.object(users, "hash_password", _hash_once):  # one real argon2 hash, reused: fast tests
            users.create_user(db, None, "bangong", PASSWORD, "office")
            users.create_user(db, SYSTEM, "lingdao", PASSWORD, "leader")
            users.create_user(db, SYSTEM, "zz-minzheng", PASSWORD, "liaison", [a])
            users.create_user(db, SYSTEM, "zz-weijian", PASSWORD, "liaison", [b])
            users.create_user(db, SYSTEM, "bt-minzheng", PASSWORD, "liaison", [c])
    return World(plan, plan_bt, a, b, c, shared, only_b, recurring, only_c, inst)


def actor(db, username: str):
    """The Actor of a world account."""
    row = db.conn.execute("SELECT id FROM users WHERE username=?", [username]).fetchone()
    return users.actor_for(db, row[0])


# Minimal real files of each allowed kind, and a Windows executable.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def docx_bytes(text: str = "佐证材料") -> bytes:
    import io

    import docx

    d = docx.Document()
    d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "进展台账"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
