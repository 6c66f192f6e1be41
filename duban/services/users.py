"""Accounts: creating them, logging in, and turning a user into the Actor every service checks."""
from __future__ import annotations

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import users as q
from duban.access import ROLE_LABELS, Actor, require_office
from duban.errors import InputError
from duban.security import hash_password, verify_password

MIN_PASSWORD = 8


def actor_for(db: sqlite_utils.Database, user_id: int) -> Actor | None:
    """The Actor of an active user, with the departments it answers for; None if gone or disabled."""
    row = q.by_id(db, user_id)
    if not row or not row["active"]:
        return None
    return Actor(user_id=row["id"], username=row["username"], role=row["role"],
                 department_ids=frozenset(q.department_ids(db, row["id"])))


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> Actor | None:
    """The Actor for a correct username and password, else None (the caller says why in one message)."""
    row = q.by_username(db, (username or "").strip())
    if not row or not row["active"] or not verify_password(row["password_hash"], password or ""):
        return None
    return actor_for(db, row["id"])


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"密码至少需要 {MIN_PASSWORD} 个字符。")


def create_user(db: sqlite_utils.Database, actor: Actor | None, username: str, password: str, role: str,
                department_ids: list[int] | None = None, display_name: str | None = None,
                email: str | None = None, is_demo: bool = False) -> int:
    """Create an account; the first account of an empty database needs no actor and must be the office."""
    username = (username or "").strip()
    if not username:
        raise InputError("用户名不能为空。")
    if role not in ROLE_LABELS:
        raise InputError(f"角色应为 office(办公室)、liaison(部门联络员)或 leader(领导),而不是 {role!r}。")
    _check_password(password)
    if role == "liaison" and not department_ids:
        raise InputError("部门联络员账号至少要关联一个部门。")
    with transaction(db):
        if actor is None:
            if q.count(db) > 0:
                raise InputError("系统已有账号,请由办公室人员创建新账号。")
            if role != "office":
                raise InputError("第一个账号必须是办公室管理员。")
        else:
            require_office(actor)
        if q.by_username(db, username):
            raise InputError(f"用户名“{username}”已存在。")
        user_id = q.insert(db, username, hash_password(password), role, display_name, email, is_demo)
        q.set_departments(db, user_id, list(department_ids or []))
        audit.record(db, actor, "创建账号", "user", user_id,
                     {"username": username, "role": role, "departments": list(department_ids or [])})
    return user_id


def change_password(db: sqlite_utils.Database, actor: Actor, username: str, password: str) -> None:
    """Set a new password: the office for anyone, a user for themself."""
    _check_password(password)
    with transaction(db):
        row = q.by_username(db, username)
        if not row:
            raise InputError(f"没有用户名为“{username}”的账号。")
        if actor.user_id != row["id"]:
            require_office(actor)
        q.set_password_hash(db, row["id"], hash_password(password))
        audit.record(db, actor, "修改密码", "user", row["id"], {"username": username})
