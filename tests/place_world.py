"""Places for scope tests: 郑州市 with its districts 金水区 and 二七区, and its sibling 包头市, each with an office.

Built on reports_world (郑州's plan of three tasks, 包头's of one); adds a 金水区 plan of its own, a 郑州 task
given to 各县(市)区政府 (to be dispatched), and one office, leader and liaison account per place.
"""
from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

from duban.access import SYSTEM
from duban.services import places, users
from tests.reports_world import PASSWORD, World, _exec, _hash_once, _task, actor, build

__all__ = ["PASSWORD", "PlaceWorld", "actor", "build_places"]


@dataclass
class PlaceWorld:
    base: World
    zz: int           # 郑州市
    bt: int           # 包头市
    js: int           # 金水区, below 郑州市
    eq: int           # 二七区, below 郑州市
    js_plan: int      # 金水区's own plan
    js_dept: int      # 金水区民政局
    eq_dept: int      # 二七区民政局
    js_task: int      # 金水区's own task, lead 金水区民政局
    group_task: int   # 郑州's task given to 各县(市)区政府, co 市民政局
    group_unit: int   # the department 各县(市)区政府 of 郑州市


def build_places(db) -> PlaceWorld:
    """The world, the tree, and accounts zz-office / zz-leader (郑州市), bt-office / bt-leader (包头市),
    js-office / js-leader / js-minzheng (金水区), eq-office (二七区), xitong (sysadmin); password PASSWORD."""
    base = build(db)
    ids = {r["name"]: r["id"] for r in places.tree(db)}
    zz, bt = ids["郑州市"], ids["包头市"]
    js = places.add_place(db, SYSTEM, "金水区", zz)
    eq = places.add_place(db, SYSTEM, "二七区", zz)
    js_dept = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('区民政局', ?)", [js])
    eq_dept = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('区民政局', ?)", [eq])
    group_unit = _exec(db, "INSERT INTO departments (name, jurisdiction_id) VALUES ('各县(市)区政府', ?)", [zz])
    js_plan = _exec(db, "INSERT INTO plans (jurisdiction_id, title, period_start, period_end, source_hash) "
                        "VALUES (?, '金水区养老服务体系建设实施方案', '2025-01-01', '2027-12-31', 'js')", [js])
    js_task, _ = _task(db, js_plan, 1, "新建街道综合养老服务中心", [(js_dept, "lead")], ["2026-12-31"])
    group_task, _ = _task(db, base.plan, 4, "推进县区养老服务中心全覆盖",
                          [(group_unit, "lead"), (base.a, "co")], ["2026-12-31"])
    with mock.patch.object(users, "hash_password", _hash_once):
        for username, role, place, departments in [
                ("zz-office", "office", zz, []), ("zz-leader", "leader", zz, []),
                ("bt-office", "office", bt, []), ("bt-leader", "leader", bt, []),
                ("js-office", "office", js, []), ("js-leader", "leader", js, []),
                ("js-minzheng", "liaison", None, [js_dept]), ("eq-office", "office", eq, []),
                ("xitong", "sysadmin", None, [])]:
            users.create_user(db, SYSTEM, username, PASSWORD, role, departments)
            if place is not None:
                places.set_account_place(db, SYSTEM, actor(db, username).user_id, place)
    return PlaceWorld(base, zz, bt, js, eq, js_plan, js_dept, eq_dept, js_task, group_task, group_unit)
