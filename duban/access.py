"""Who is acting, and what they may see and change. Every service takes an Actor and checks it here."""
from __future__ import annotations

from dataclasses import dataclass, field

from duban.errors import AccessDenied

ROLE_LABELS = {"office": "办公室", "liaison": "部门联络员", "leader": "领导", "sysadmin": "系统管理员"}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str  # office | liaison | leader | sysadmin | system
    department_ids: frozenset[int] = field(default_factory=frozenset)
    # the server-side login this actor acts through; every audited write and file read checks it is still live
    session_id: int | None = None

    @property
    def sees_all(self) -> bool:
        return self.role in ("office", "leader", "system")

    @property
    def is_office(self) -> bool:
        return self.role in ("office", "system")

    @property
    def can_write(self) -> bool:
        return self.role in ("office", "liaison", "system")


SYSTEM = Actor(user_id=None, username="system", role="system")


def require_office(actor: Actor) -> None:
    """Refuse anyone but the office (or the system itself)."""
    if not actor.is_office:
        raise AccessDenied("只有办公室人员可以执行此操作。")


def require_writer(actor: Actor) -> None:
    """Refuse read-only users (leaders)."""
    if not actor.can_write:
        raise AccessDenied("领导账号为只读,不能修改数据。")


def require_department(actor: Actor, department_ids: set[int] | frozenset[int]) -> None:
    """Refuse a liaison who answers for none of these departments."""
    if actor.sees_all:
        return
    if not (set(department_ids) & actor.department_ids):
        raise AccessDenied()
