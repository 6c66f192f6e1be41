"""The departments that answer for tasks, per jurisdiction, with their liaisons and aliases."""
from __future__ import annotations

import re

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import departments as q
from db.queries import plans as plan_q
from duban.access import Actor, require_office, require_own_place
from duban.errors import AccessDenied, InputError, NotFound
from duban.extract.units import canonical_department
from duban.rules.records import Department, from_row

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def visible_jurisdictions(db: sqlite_utils.Database, actor: Actor) -> set[int] | None:
    """The places an actor may read: an office or leader its place and those below (None: every place, for an
    account of the whole database), a liaison its own departments' places."""
    if actor.sees_all:
        return None if actor.places is None else set(actor.places)
    return q.jurisdiction_ids(db, sorted(actor.department_ids))


def _require_visible(db: sqlite_utils.Database, actor: Actor, department: dict) -> None:
    allowed = visible_jurisdictions(db, actor)
    if allowed is not None and department["jurisdiction_id"] not in allowed:
        raise AccessDenied("只能查看本地区的部门。")


def list_departments(db: sqlite_utils.Database, actor: Actor, jurisdiction_id: int | None = None) -> list[Department]:
    """Departments (name, jurisdiction, liaison and contact details, lead/co task counts), by jurisdiction;
    a liaison gets its own jurisdiction's only."""
    allowed = visible_jurisdictions(db, actor)
    return [from_row(Department, r) for r in q.list_all(db, jurisdiction_id)
            if allowed is None or r["jurisdiction_id"] in allowed]


def list_jurisdictions(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """The jurisdictions (id, name) the actor sees, in the order first imported."""
    rows = plan_q.jurisdictions(db)
    allowed = visible_jurisdictions(db, actor)
    return rows if allowed is None else [r for r in rows if r["id"] in allowed]


def get_department(db: sqlite_utils.Database, actor: Actor, department_id: int) -> Department:
    """One department with its liaison's contact details and its aliases (a liaison: of its own jurisdiction)."""
    row = q.get(db, department_id)
    if row is None:
        raise NotFound("部门不存在。")
    _require_visible(db, actor, row)
    return from_row(Department, row, aliases=tuple(q.aliases(db, department_id)))


def canonical_name(name: str, known_names: list[str] | None = None) -> str:
    """The known department a name stands for (市卫生健康委员会 = 市卫健委) by the extraction's alias rules,
    else the name as written."""
    name = (name or "").strip()
    try:
        result = canonical_department(name, list(known_names or []))
    except Exception:  # noqa: BLE001 - an alias rule that cannot decide leaves the name as written
        return name
    return (result or name).strip()


def ensure_department(db: sqlite_utils.Database, jurisdiction_id: int | None, name: str) -> int:
    """The department a document means by `name` in this jurisdiction, created if new; aliases remembered."""
    raw = (name or "").strip()
    if not raw:
        raise InputError("责任单位名称不能为空。")
    found = q.resolve(db, jurisdiction_id, raw)
    if found is not None:
        return found
    canon = canonical_name(raw, q.names(db, jurisdiction_id))
    found = q.resolve(db, jurisdiction_id, canon)
    if found is None:
        found = q.insert(db, jurisdiction_id, canon)
    if canon != raw:
        q.add_alias(db, jurisdiction_id, raw, found)
    return found


def resolve(db: sqlite_utils.Database, jurisdiction_id: int | None, name: str) -> int | None:
    """The stored department a jurisdiction's document means by `name`, without creating one."""
    found = q.resolve(db, jurisdiction_id, (name or "").strip())
    if found is None:
        found = q.resolve(db, jurisdiction_id, canonical_name(name, q.names(db, jurisdiction_id)))
    return found


def set_liaison(db: sqlite_utils.Database, actor: Actor, department_id: int, name: str | None,
                phone: str | None, email: str | None) -> None:
    """The office records who a department's liaison is and how to reach them (a department of its own place)."""
    require_office(actor)
    email = (email or "").strip() or None
    if email and not _EMAIL.match(email):
        raise InputError(f"电子邮箱格式不正确:{email}")
    with transaction(db):
        department = q.get(db, department_id)
        if department is None:
            raise NotFound("部门不存在。")
        require_own_place(actor, department["jurisdiction_id"])
        q.set_liaison(db, department_id, (name or "").strip() or None, (phone or "").strip() or None, email)
        audit.record(db, actor, "修改联络员", "department", department_id,
                     {"liaison_name": name, "liaison_phone": phone, "liaison_email": email})


def add_alias(db: sqlite_utils.Database, actor: Actor, department_id: int, alias: str) -> None:
    """Teach duban another name documents use for a department (of the office's own place)."""
    require_office(actor)
    alias = (alias or "").strip()
    if not alias:
        raise InputError("别名不能为空。")
    with transaction(db):
        department = q.get(db, department_id)
        if department is None:
            raise NotFound("部门不存在。")
        require_own_place(actor, department["jurisdiction_id"])
        other = q.resolve(db, department["jurisdiction_id"], alias)
        if other is not None and other != department_id:
            raise InputError(f"“{alias}”已是本地区另一个部门的名称或别名。")
        q.add_alias(db, department["jurisdiction_id"], alias, department_id)
        audit.record(db, actor, "添加部门别名", "department", department_id, {"alias": alias})


def users_of(db: sqlite_utils.Database, actor: Actor, department_id: int) -> list[dict]:
    """Active accounts answering for a department, with their e-mail (a liaison: of its own jurisdiction)."""
    row = q.get(db, department_id)
    if row is None:
        raise NotFound("部门不存在。")
    _require_visible(db, actor, row)
    return q.users_of(db, department_id)
