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
    # the place the account belongs to, and the places it sees (its own and every place below);
    # None for both: the whole database, as every account was before places existed
    place_id: int | None = None
    places: frozenset[int] | None = None

    def sees_place(self, place_id: int | None) -> bool:
        """Whether the actor may read the work of a place (a task with no place: only a whole-database account)."""
        return self.places is None or place_id in self.places

    def owns_place(self, place_id: int | None) -> bool:
        """Whether the actor's office changes this place's work: its own place only (a lower place's is read-only)."""
        return self.place_id is None or self.place_id == place_id

    @property
    def manages_system(self) -> bool:
        """Whether the actor changes what applies to every place (reminder rules, channels, holidays, backups):
        the system administrator and the whole database's office, never the office of one place."""
        return self.role in ("sysadmin", "system") or (self.role == "office" and self.place_id is None)

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


def require_account_manager(actor: Actor) -> None:
    """Refuse anyone but those who manage accounts: the office (of its own place) and the system administrator."""
    if not (actor.is_office or actor.role == "sysadmin"):
        raise AccessDenied("只有办公室人员或系统管理员可以管理账号。")


SYSTEM_WIDE = "全系统设置,由系统管理员或全库办公室修改"


def require_settings_viewer(actor: Actor) -> None:
    """Refuse anyone but the office (of any place) and the system administrator, who read the system's settings."""
    if not (actor.is_office or actor.role == "sysadmin"):
        raise AccessDenied("只有办公室人员或系统管理员可以查看系统设置。")


def require_system_manager(actor: Actor) -> None:
    """Refuse changing what applies to every place to anyone but the system administrator and the whole
    database's office: the office of one place reads these settings and changes none of them."""
    require_settings_viewer(actor)
    if not actor.manages_system:
        raise AccessDenied(f"这是{SYSTEM_WIDE};本地区办公室只能查看。")


def require_overseer(actor: Actor, what: str) -> None:
    """Refuse anyone but the office and leaders, who oversee every unit (liaisons see their own only)."""
    if not actor.sees_all:
        raise AccessDenied(f"只有办公室和领导可以查看{what}。")


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


def require_place(actor: Actor, place_id: int | None) -> None:
    """Refuse an account whose place neither is nor lies above this place (a sibling place's work is unseen)."""
    if not actor.sees_place(place_id):
        raise AccessDenied("这项工作属于其他地区,您无权查看。")


def require_own_place(actor: Actor, place_id: int | None) -> None:
    """Refuse changing another place's work: a lower place's own work is read-only to the office above it."""
    require_place(actor, place_id)
    if not actor.owns_place(place_id):
        raise AccessDenied("这是下级地区的工作,只能查看;请由该地区的办公室修改。")
