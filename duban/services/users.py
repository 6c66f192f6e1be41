"""Accounts: creating them, logging in, and turning a user into the Actor every service checks."""
from __future__ import annotations

import os
import re

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import users as q
from duban.access import ROLE_LABELS, Actor, require_office
from duban.errors import InputError
from duban.security import hash_password, verify_password
from duban.services.textinput import clean

MIN_PASSWORD = 8
MAX_PASSWORD = 256
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_SESSION_MINUTES = 30
SESSION_SETTING = "session_minutes"
# verifying against this when the username is unknown keeps the answer as slow as for a wrong password
_DUMMY_HASH = hash_password("duban-no-such-user")


def actor_for(db: sqlite_utils.Database, user_id: int) -> Actor | None:
    """The Actor of an active user, with the departments it answers for; None if gone or disabled."""
    row = q.by_id(db, user_id)
    if not row or not row["active"]:
        return None
    return Actor(user_id=row["id"], username=row["username"], role=row["role"],
                 department_ids=frozenset(q.department_ids(db, row["id"])))


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> Actor | None:
    """The Actor for a correct username and password, else None (the caller says why in one message)."""
    if len(password or "") > MAX_PASSWORD:  # never spend a hash on a megabyte of typing
        return None
    row = q.by_username(db, (username or "").strip())
    if not row:
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not verify_password(row["password_hash"], password or "") or not row["active"]:
        return None
    return actor_for(db, row["id"])


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"密码至少需要 {MIN_PASSWORD} 个字符。")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"密码不能超过 {MAX_PASSWORD} 个字符。")


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
    if role != "liaison" and department_ids:
        raise InputError("只有部门联络员账号关联部门;办公室和领导账号可查看全部任务。")
    if len(username) > 64 or any(c.isspace() or not c.isprintable() for c in username):
        raise InputError("用户名不能包含空格,且不超过 64 个字符。")
    display_name = clean(display_name, "姓名", 64) or None
    email = clean(email, "电子邮箱", 254) or None
    if email and not EMAIL_RE.match(email):
        raise InputError(f"电子邮箱格式不正确:{email}")
    for department_id in department_ids or []:
        if not q.department_exists(db, department_id):
            raise InputError(f"没有编号为 {department_id} 的部门。")
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


def _account(db: sqlite_utils.Database, username: str) -> dict:
    """The account of this user name, or a clear error when there is none."""
    row = q.by_username(db, username)
    if not row:
        raise InputError(f"没有用户名为“{username}”的账号。")
    return row


def change_password(db: sqlite_utils.Database, actor: Actor, username: str, password: str) -> None:
    """Set a new password: the office for anyone, a user for themself."""
    _check_password(password)
    with transaction(db):
        row = _account(db, username)
        if actor.user_id != row["id"]:
            require_office(actor)
        q.set_password_hash(db, row["id"], hash_password(password))
        audit.record(db, actor, "修改密码", "user", row["id"], {"username": username})


def set_active(db: sqlite_utils.Database, actor: Actor, username: str, active: bool) -> None:
    """Disable an account (it can no longer log in; its reports stay) or enable it again; office only."""
    require_office(actor)
    with transaction(db):
        row = _account(db, username)
        if not active and row["id"] == actor.user_id:
            raise InputError("不能停用自己正在使用的账号。")
        q.set_active(db, row["id"], active)
        audit.record(db, actor, "启用账号" if active else "停用账号", "user", row["id"], {"username": username})


def list_users(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every account with its role label and departments (never its password hash); office only."""
    require_office(actor)
    order = ["office", "leader", "liaison"]
    rows = sorted(q.users_with_departments(db),
                  key=lambda u: (order.index(u["role"]) if u["role"] in order else 9, u["username"]))
    return [{**u, "role_label": ROLE_LABELS.get(u["role"], u["role"])} for u in rows]


def list_departments(db: sqlite_utils.Database) -> list[dict]:
    """Departments a liaison account can be attached to, each with a "jurisdiction/name" label."""
    return [{**d, "label": f"{d['jurisdiction']}/{d['name']}" if d["jurisdiction"] else d["name"]}
            for d in q.departments(db)]


def resolve_department(db: sqlite_utils.Database, spec: str) -> int:
    """A department from its id or "jurisdiction/name" (e.g. 郑州市/市民政局); a bare name must be unambiguous."""
    spec = (spec or "").strip()
    if spec.isdigit():
        if not q.department_exists(db, int(spec)):
            raise InputError(f"没有编号为 {spec} 的部门。")
        return int(spec)
    jurisdiction, _, name = spec.rpartition("/")
    ids = q.department_ids_named(db, jurisdiction.strip() or None, name.strip())
    if not ids:
        raise InputError(f"找不到部门“{spec}”,请写成“地区/部门名”,例如 郑州市/市民政局,或使用部门编号。")
    if len(ids) > 1:
        raise InputError(f"部门“{spec}”在多个地区都有,请写成“地区/部门名”,例如 郑州市/{name.strip()}。")
    return ids[0]


def session_minutes(db: sqlite_utils.Database) -> float:
    """Minutes of inactivity after which a login ends: $DUBAN_SESSION_MINUTES, else the office's setting, else 30."""
    for value in (os.environ.get("DUBAN_SESSION_MINUTES"), q.setting(db, SESSION_SETTING)):
        try:
            if value and float(value) > 0:
                return float(value)
        except ValueError:
            continue
    return DEFAULT_SESSION_MINUTES


def set_session_minutes(db: sqlite_utils.Database, actor: Actor, minutes: int) -> None:
    """The office sets how long an idle login lasts."""
    require_office(actor)
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise InputError("自动退出时间应为 1 到 1440 分钟之间的整数。")
    with transaction(db):
        q.set_setting(db, SESSION_SETTING, str(minutes))
        audit.record(db, actor, "修改设置", "settings", None, {SESSION_SETTING: minutes})
