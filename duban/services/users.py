"""Accounts: creating them, logging in, and turning a user into the Actor every service checks."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import places as places_q
from db.queries import sessions as session_q
from db.queries import settings as settings_q
from db.queries import users as q
from duban.access import ROLE_LABELS, Actor, require_account_manager
from duban.errors import AccessDenied, DubanError, InputError
from duban.security import hash_password, verify_password
from duban.services import places
from duban.services.textinput import clean

MIN_PASSWORD = 10
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "common_passwords.txt"
# throttling: failures after an account's (or an address's) last success within the window count
THROTTLE_WINDOW = 3600.0
ACCOUNT_FREE_TRIES = 5      # then 1, 2, 4, … seconds between tries
ACCOUNT_LOCK_AFTER = 10     # then the account is locked until the office lifts the lock
ADDRESS_FREE_TRIES = 20     # one address trying many accounts: growing delays, no lock (offices share addresses)
MAX_DELAY = 300.0
MAX_PASSWORD = 256
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_SESSION_MINUTES = 30
SESSION_SETTING = "session_minutes"
# verifying against this when the username is unknown keeps the answer as slow as for a wrong password
_DUMMY_HASH = hash_password("duban-no-such-user")


def actor_for(db: sqlite_utils.Database, user_id: int) -> Actor | None:
    """The Actor of an active user, with the departments it answers for and the places it sees; None if gone."""
    row = q.by_id(db, user_id)
    if not row or not row["active"]:
        return None
    place_id = row.get("jurisdiction_id") if row["role"] in ("office", "leader") else None
    places = None if place_id is None else frozenset(
        [place_id, *(r["id"] for r in places_q.descendants(db, place_id))])
    return Actor(user_id=row["id"], username=row["username"], role=row["role"],
                 department_ids=frozenset(q.department_ids(db, row["id"])), place_id=place_id, places=places)


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> Actor | None:
    """The Actor for a correct username and password, else None (the caller says why in one message)."""
    if len(password or "") > MAX_PASSWORD:  # never spend a hash on a megabyte of typing
        return None
    row = q.by_username(db, (username or "").strip())
    if not row:
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not verify_password(row["password_hash"], password or "") or not row["active"] or row.get("locked_at"):
        return None
    return actor_for(db, row["id"])


class LoginRefused(DubanError):
    """A login attempt refused: wrong password, too many tries, or a locked account (one message each)."""


WRONG = "用户名或密码不正确。"
LOCKED = "该账号因多次输入错误密码已被锁定,请联系办公室解锁。"


def _delay(failures: int, free: int) -> float:
    return 0.0 if failures < free else min(MAX_DELAY, 2.0 ** (failures - free))


def log_in(db: sqlite_utils.Database, username: str, password: str, address: str | None = None,
           now: float | None = None) -> Actor:
    """Check a login attempt against the password and the throttles; the Actor, or LoginRefused saying why.

    Failed tries after an account's last success slow it down (1, 2, 4 … s after the fifth) and lock it after
    the tenth; failed tries from one client address slow that address down after the twentieth. A refused
    early try is not checked at all, so guessing costs the attacker time, not the server hashes.
    """
    now = time.time() if now is None else now
    name = (username or "").strip()[:64]
    since = now - THROTTLE_WINDOW
    row = q.by_username(db, name)
    n_user, last_user = session_q.failures_since_success(db, "username", name, since)
    if (row and row.get("locked_at")) or n_user >= ACCOUNT_LOCK_AFTER:
        raise LoginRefused(LOCKED)
    waits = [last_user + _delay(n_user, ACCOUNT_FREE_TRIES) - now if n_user >= ACCOUNT_FREE_TRIES else 0.0]
    if address:
        n_addr, last_addr = session_q.failures_since_success(db, "address", address, since)
        if n_addr >= ADDRESS_FREE_TRIES:
            waits.append(last_addr + _delay(n_addr, ADDRESS_FREE_TRIES) - now)
    wait = max(waits)
    if wait > 0:
        raise LoginRefused(f"登录尝试过于频繁,请 {int(wait) + 1} 秒后再试。")
    actor = authenticate(db, name, password)
    with transaction(db):
        session_q.record_attempt(db, name, address, now, actor is not None)
        if actor is None and row and n_user + 1 >= ACCOUNT_LOCK_AFTER and row["active"]:
            session_q.set_locked(db, row["id"], True)
            audit.record(db, None, "锁定账号", "user", row["id"],
                         {"username": name, "failures": n_user + 1, "address": address})
    if actor is None:
        raise LoginRefused(LOCKED if n_user + 1 >= ACCOUNT_LOCK_AFTER else WRONG)
    return actor


def manages(db: sqlite_utils.Database, actor: Actor, account: dict) -> bool:
    """Whether the office manages an account: a whole-database office every account; an office with a place the
    accounts of its own place (its offices and leaders, the liaisons of its own departments only)."""
    if actor.place_id is None:
        return True
    if account["role"] == "liaison":
        found = q.department_places(db, q.department_ids(db, account["id"]))
        return bool(found) and all(p == actor.place_id for p in found)
    return account["role"] in ("office", "leader") and account.get("jurisdiction_id") == actor.place_id


def _require_manages(db: sqlite_utils.Database, actor: Actor, account: dict) -> None:
    if not manages(db, actor, account):
        raise AccessDenied("只能管理本地区的账号。")


def unlock(db: sqlite_utils.Database, actor: Actor, username: str) -> None:
    """Lift a lock set by too many wrong passwords (and forgive the failed tries); office only."""
    require_account_manager(actor)
    with transaction(db):
        row = _account(db, username)
        _require_manages(db, actor, row)
        session_q.set_locked(db, row["id"], False)
        session_q.record_attempt(db, row["username"], None, time.time(), True)
        audit.record(db, actor, "解除锁定", "user", row["id"], {"username": row["username"]})


def must_change_password(db: sqlite_utils.Database, user_id: int) -> bool:
    """True for an account that must choose its own password before using the app (demo accounts)."""
    row = q.by_id(db, user_id)
    return bool(row and row.get("must_change_password"))


def is_demo_account(db: sqlite_utils.Database, user_id: int) -> bool:
    row = q.by_id(db, user_id)
    return bool(row and row.get("is_demo"))


def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def _check_password(password: str, username: str | None = None) -> None:
    """Refuse a password that is short, common, or contains the user name."""
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"密码至少需要 {MIN_PASSWORD} 个字符。")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"密码不能超过 {MAX_PASSWORD} 个字符。")
    if password.lower() in _common_passwords() or len(set(password)) <= 2:
        raise InputError("该密码过于常见、容易被猜中,请换一个。")
    if username and len(username.strip()) >= 3 and username.strip().lower() in password.lower():
        raise InputError("密码不能包含用户名。")


def create_user(db: sqlite_utils.Database, actor: Actor | None, username: str, password: str, role: str,
                department_ids: list[int] | None = None, display_name: str | None = None,
                email: str | None = None, is_demo: bool = False, must_change: bool = False) -> int:
    """Create an account; the first account of an empty database needs no actor and must be the office.

    `must_change`: the password was handed out by the office, so its owner sets their own at first login.
    An office with a place creates accounts of its own place: offices and leaders placed there, liaisons of its
    own departments.
    """
    username = (username or "").strip()
    if not username:
        raise InputError("用户名不能为空。")
    if role not in ROLE_LABELS:
        raise InputError(f"角色应为 office(办公室)、liaison(部门联络员)或 leader(领导),而不是 {role!r}。")
    if not is_demo:  # demo accounts keep their published password and must change it at first login
        _check_password(password, username)
    elif not password:
        raise InputError("密码不能为空。")
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
            require_account_manager(actor)
            if role == "sysadmin":  # a system administrator is made only by another one
                places.require_system_administrator(db, actor)
            if actor.place_id is not None and any(
                    p != actor.place_id for p in q.department_places(db, list(department_ids or []))):
                raise AccessDenied("只能为本地区的部门创建联络员账号。")
        if q.by_username(db, username):
            raise InputError(f"用户名“{username}”已存在。")
        user_id = q.insert(db, username, hash_password(password), role, display_name, email, is_demo)
        q.set_departments(db, user_id, list(department_ids or []))
        if actor is not None and actor.place_id is not None and role in ("office", "leader"):
            places_q.set_account_place(db, user_id, actor.place_id)
        if is_demo or must_change:
            session_q.set_must_change(db, user_id, True)
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
    """Set a new password: the office for anyone, a user for themself; the account's other logins end."""
    _check_password(password, username)
    with transaction(db):
        row = _account(db, username)
        if actor.user_id != row["id"]:
            require_account_manager(actor)
            _require_manages(db, actor, row)
        elif actor.session_id is not None and verify_password(row["password_hash"], password):
            raise InputError("新密码不能与当前密码相同。")
        q.set_password_hash(db, row["id"], hash_password(password))
        session_q.set_must_change(db, row["id"], False)
        session_q.revoke_user(db, row["id"], time.time(), "password",
                              keep=actor.session_id if actor.user_id == row["id"] else None)
        audit.record(db, actor, "修改密码", "user", row["id"], {"username": username})


def set_active(db: sqlite_utils.Database, actor: Actor, username: str, active: bool) -> None:
    """Disable an account (it can no longer log in; its reports stay) or enable it again; office only."""
    require_account_manager(actor)
    with transaction(db):
        row = _account(db, username)
        _require_manages(db, actor, row)
        if not active and row["id"] == actor.user_id:
            raise InputError("不能停用自己正在使用的账号。")
        q.set_active(db, row["id"], active)
        if not active:
            session_q.revoke_user(db, row["id"], time.time(), "disabled")
        audit.record(db, actor, "启用账号" if active else "停用账号", "user", row["id"], {"username": username})


def list_users(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every account the office manages with its role label and departments (never its password hash)."""
    require_account_manager(actor)
    order = ["sysadmin", "office", "leader", "liaison"]
    rows = sorted((u for u in q.users_with_departments(db) if manages(db, actor, u)),
                  key=lambda u: (order.index(u["role"]) if u["role"] in order else 9, u["username"]))
    return [{**u, "role_label": ROLE_LABELS.get(u["role"], u["role"])} for u in rows]


def usernames(db: sqlite_utils.Database) -> set[str]:
    """Every account's user name, of every place (a name is unique across the system, so a new one must avoid all)."""
    return {u["username"] for u in q.all_users(db)}


def list_departments(db: sqlite_utils.Database, actor: Actor | None = None) -> list[dict]:
    """Departments a liaison account can be attached to (an office with a place: its own place's), each with a
    "jurisdiction/name" label."""
    rows = q.departments(db) if actor is None or actor.place_id is None else q.departments_of_places(
        db, [actor.place_id])
    return [{**d, "label": f"{d['jurisdiction']}/{d['name']}" if d["jurisdiction"] else d["name"]} for d in rows]


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
    for value in (os.environ.get("DUBAN_SESSION_MINUTES"), settings_q.setting(db, SESSION_SETTING)):
        try:
            if value and float(value) > 0:
                return float(value)
        except ValueError:
            continue
    return DEFAULT_SESSION_MINUTES


def set_session_minutes(db: sqlite_utils.Database, actor: Actor, minutes: int) -> None:
    """The office sets how long an idle login lasts (a setting of the whole system: not an office with a place)."""
    require_account_manager(actor)
    if actor.place_id is not None:
        raise AccessDenied("自动退出时间是全系统的设置,只能由全库办公室或系统管理员修改。")
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise InputError("自动退出时间应为 1 到 1440 分钟之间的整数。")
    with transaction(db):
        settings_q.set_setting(db, SESSION_SETTING, str(minutes))
        audit.record(db, actor, "修改设置", "settings", None, {SESSION_SETTING: minutes})
