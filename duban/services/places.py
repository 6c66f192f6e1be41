"""Places in one system: the tree of offices' places, what an account sees and changes, and managing both.

An account with a place sees that place and every place below it and changes only its own place's plans; an
account with no place is the whole-database office every account was before places existed. Places and the
accounts' places are managed by a system administrator: a sysadmin account, the system itself, or that
whole-database office (so an upgraded database is never left without one).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import places as q
from db.queries import plans as plan_q
from db.queries import users as users_q
from duban.access import Actor
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules.places import LEVELS, level_of, lower_level, place_chain
from duban.services import departments
from duban.services.textinput import clean

NAME_LIMIT = 40


@dataclass(frozen=True)
class Proposal:
    """A place the plans suggest, and the place above it (either may not be stored yet)."""

    name: str
    place_id: int | None
    parent: str
    parent_id: int | None
    level: str | None
    parent_level: str | None


def children(db: sqlite_utils.Database, place_id: int | None) -> list[dict]:
    """The places directly below one place (None: the places at the top)."""
    return q.children(db, place_id)


def ancestors(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    """The places above one place, its parent first."""
    return q.ancestors(db, place_id)


def descendants(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    """Every place below one place, nearest first."""
    return q.descendants(db, place_id)


def tree(db: sqlite_utils.Database) -> list[dict]:
    """Every place in reading order (each followed by those below it), with its depth from the top (0)."""
    rows = q.all_places(db)
    below: dict[int | None, list[dict]] = {}
    for row in rows:
        below.setdefault(row["parent_id"], []).append(row)
    out: list[dict] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for row in below.get(parent, []):
            if row["id"] not in seen:
                seen.add(row["id"])
                out.append({**row, "depth": depth})
                walk(row["id"], depth + 1)

    walk(None, 0)
    return out


def actor_place(db: sqlite_utils.Database, actor: Actor) -> int | None:
    """The place the actor's account belongs to (None: the whole database)."""
    if actor.place_id is not None:
        return actor.place_id
    return q.account_place(db, actor.user_id) if actor.user_id is not None else None


def is_system_administrator(db: sqlite_utils.Database, actor: Actor) -> bool:
    """Whether the actor manages places and accounts (sysadmin, the system, or the whole-database office)."""
    if actor.role in ("sysadmin", "system"):
        return True
    return actor.role == "office" and actor_place(db, actor) is None


def require_system_administrator(db: sqlite_utils.Database, actor: Actor) -> None:
    """Refuse anyone who is not a system administrator."""
    if not is_system_administrator(db, actor):
        raise AccessDenied("只有系统管理员可以管理地区和账号所属地区。")


def visible_places(db: sqlite_utils.Database, actor: Actor) -> frozenset[int] | None:
    """The places whose plans the actor sees (None: every place), as a set to test against.

    The rule itself is departments.visible_jurisdictions: an office or leader its place and every place below
    (every place without one), a liaison the places of its own departments.
    """
    before = departments.visible_jurisdictions(db, actor)
    return None if before is None else frozenset(before)


def can_change(db: sqlite_utils.Database, actor: Actor, place_id: int | None) -> bool:
    """Whether the actor may change the plans of a place: an office account, of its own place only."""
    if actor.role == "system":
        return True
    return actor.role == "office" and actor.owns_place(place_id)


def _place(db: sqlite_utils.Database, place_id: int) -> dict:
    found = q.by_id(db, place_id)
    if found is None:
        raise NotFound("地区不存在。")
    return found


def _check_name(db: sqlite_utils.Database, name: str, parent_id: int | None, place_id: int | None = None) -> str:
    """A clean name no other place under the same parent already has (市中区 may be in many cities)."""
    name = clean(name, "地区名称", NAME_LIMIT, required=True)
    for sibling in q.children(db, parent_id):
        if sibling["name"] == name and sibling["id"] != place_id:
            above = q.by_id(db, parent_id)["name"] if parent_id is not None else "最上一级"
            raise InputError(f"“{above}”下已有名为“{name}”的地区。")
    return name


def _check_level(level: str | None) -> str | None:
    if level is not None and level not in LEVELS:
        raise InputError(f"未知的地区级别:{level}")
    return level


def add_place(db: sqlite_utils.Database, actor: Actor, name: str, parent_id: int | None = None,
              level: str | None = None) -> int:
    """Add a place under a parent (None: at the top); its level is read from its name when not given."""
    require_system_administrator(db, actor)
    with transaction(db):
        parent = _place(db, parent_id) if parent_id is not None else None
        name = _check_name(db, name, parent_id)
        level = _check_level(level) or level_of(name, parent and (parent["level"] or level_of(parent["name"])))
        place_id = q.insert(db, name, parent_id, level)
        audit.record(db, actor, "新增地区", "place", place_id,
                     {"name": name, "parent": parent["name"] if parent else None, "level": level})
    return place_id


def rename_place(db: sqlite_utils.Database, actor: Actor, place_id: int, name: str) -> None:
    """Give a place a new name (unique under its parent)."""
    require_system_administrator(db, actor)
    with transaction(db):
        place = _place(db, place_id)
        name = _check_name(db, name, place["parent_id"], place_id)
        q.rename(db, place_id, name)
        audit.record(db, actor, "重命名地区", "place", place_id, {"from": place["name"], "to": name})


def move_place(db: sqlite_utils.Database, actor: Actor, place_id: int, parent_id: int | None) -> None:
    """Put a place (with everything below it) under another parent (None: at the top)."""
    require_system_administrator(db, actor)
    with transaction(db):
        place = _place(db, place_id)
        parent = _place(db, parent_id) if parent_id is not None else None
        if parent_id == place_id:
            raise InputError(f"不能把“{place['name']}”移到它自己之下。")
        if parent_id is not None and parent_id in {r["id"] for r in q.descendants(db, place_id)}:
            raise InputError(f"不能把“{place['name']}”移到它的下级“{parent['name']}”之下,这会形成循环。")
        _check_name(db, place["name"], parent_id, place_id)
        old = q.by_id(db, place["parent_id"]) if place["parent_id"] is not None else None
        q.set_parent(db, place_id, parent_id)
        audit.record(db, actor, "移动地区", "place", place_id,
                     {"name": place["name"], "from": old["name"] if old else None,
                      "to": parent["name"] if parent else None})


def set_account_place(db: sqlite_utils.Database, actor: Actor, user_id: int, place_id: int | None) -> None:
    """Say which place an account belongs to (None: the whole database, as before places existed)."""
    require_system_administrator(db, actor)
    with transaction(db):
        account = users_q.by_id(db, user_id)
        if account is None:
            raise NotFound("账号不存在。")
        place = _place(db, place_id) if place_id is not None else None
        if actor.user_id == user_id and place_id is not None and actor.role != "sysadmin":
            raise InputError("不能给自己设置所属地区:设置后您将不再是系统管理员。请由其他系统管理员操作。")
        q.set_account_place(db, user_id, place_id)
        audit.record(db, actor, "设置账号所属地区", "user", user_id,
                     {"username": account["username"], "place": place["name"] if place else None})


def accounts(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every account with its place, for the system administrator."""
    require_system_administrator(db, actor)
    return q.accounts(db)


def places_from_plans(db: sqlite_utils.Database) -> list[Proposal]:
    """Parents the plans suggest: 郑州市金水区 under 郑州市, and 河南省 above 郑州市 when a plan names it so.

    Each plan's place name and its issuers' leading place names (河南省郑州市人民政府) are split into their
    places top down; every place there that has no parent yet is proposed under the one before it.
    """
    known = {r["name"]: r for r in q.all_places(db)}
    proposals: dict[str, Proposal] = {}
    for row in q.plan_names(db):
        chains = [_leading_places(row["name"], known)]
        for issuer in (row["issuers"] or "").split(","):
            chain = _leading_places(issuer, known)
            if chain and chain[-1] == row["name"]:  # an issuer of this place's plan, not of another
                chains.append(chain)
        for chain in chains:
            for upper, lower in pairwise([*chain[:-1], row["name"]]):
                here = known.get(lower)
                if lower in proposals or (here is not None and here["parent_id"] is not None):
                    continue
                parent = known.get(upper)
                parent_level = (parent or {}).get("level") or level_of(upper)
                proposals[lower] = Proposal(
                    name=lower, place_id=here["id"] if here else None, parent=upper,
                    parent_id=parent["id"] if parent else None,
                    level=(here or {}).get("level") or level_of(chain[-1] if lower == row["name"] else lower,
                                                                parent_level),
                    parent_level=parent_level)
    return list(proposals.values())


def _leading_places(text: str, known: dict[str, dict]) -> list[str]:
    """The places a name or an issuer starts with, top down (河南省郑州市人民政府 -> 河南省, 郑州市)."""
    text = (text or "").strip()
    for tail in ("人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "政府"):
        if text.endswith(tail):
            text = text[: -len(tail)]
            break
    chain = place_chain(text, known)
    return chain if all(level_of(part) or part in known for part in chain) else []


def adopt(db: sqlite_utils.Database, actor: Actor, proposals: list[Proposal]) -> int:
    """Store proposed places and parents (creating the places not stored yet); how many places changed."""
    require_system_administrator(db, actor)
    changed = 0
    with transaction(db):
        for p in proposals:
            # the ids the proposal was read with first: a name alone may be ambiguous (市中区 in many cities)
            parent = q.by_id(db, p.parent_id) if p.parent_id is not None else q.by_name(db, p.parent)
            parent_id = parent["id"] if parent else add_place(db, actor, p.parent, None, p.parent_level)
            here = q.by_id(db, p.place_id) if p.place_id is not None else q.by_name(db, p.name)
            if here is None:
                add_place(db, actor, p.name, parent_id, p.level)
            elif here["parent_id"] is None:
                move_place(db, actor, here["id"], parent_id)
                if here["level"] is None and p.level:
                    q.set_level(db, here["id"], p.level)
            else:
                continue
            changed += 1
    return changed


def place_of_plan(db: sqlite_utils.Database, actor: Actor, name: str) -> dict | None:
    """The stored place a plan naming `name` belongs to when this actor imports it (None: a place to be made).

    A whole-database office imports any place's plan, found by name as before. An office with a place imports
    plans of its own place and the places below it: the name is looked for there first; a place of the same or a
    higher level than the office's own (包头市 for 郑州's office), or one above or beside it, is refused plainly.
    """
    name = (name or "").strip()
    if actor.place_id is None:
        found = plan_q.jurisdiction_by_name(db, name)
        return q.by_id(db, found) if found is not None else None
    own = _place(db, actor.place_id)
    if name == own["name"]:
        return own
    others = q.named(db, name)
    below = [p for p in others if p["id"] in (actor.places or ())]
    if below:
        return below[0]
    own_level = own["level"] or level_of(own["name"])
    if others:  # stored elsewhere: taken only if each is of a lower level (市中区 of another city), by its own level
        refused = not all(lower_level(p["level"] or level_of(p["name"]), own_level) for p in others)
    else:  # a new name: refused when its level is known and not lower (a 市 under a 市 reads as a 县级市)
        level = level_of(name, own_level)
        refused = level is not None and own_level is not None and not lower_level(level, own_level)
    if refused:
        raise AccessDenied(f"只能导入本地区({own['name']})及下级地区的规划;“{name}”不是{own['name']}的下级地区,"
                           "请由该地区的办公室导入。")
    return None


def settle_plan_place(db: sqlite_utils.Database, actor: Actor, name: str) -> int:
    """The place a plan being imported is stored under: found as place_of_plan finds it, else made (or an empty
    place with no parent yet adopted) under the importing office's place, so 郑州's import of a 金水区 plan puts
    金水区 under 郑州市. Runs inside the import's transaction."""
    found = place_of_plan(db, actor, name)
    if found is not None:
        return found["id"]
    name = (name or "").strip()
    if actor.place_id is None:
        named = q.named(db, name)
        if len(named) > 1 and all(p["parent_id"] is not None for p in named):
            uppers = "、".join(f"{q.by_id(db, p['parent_id'])['name']}{name}" for p in named)
            raise InputError(f"有多个名为“{name}”的地区({uppers}),无法确定这份规划属于哪一个。"
                             "请由该地区所属上级的办公室导入,或先在“地区”页面区分名称。")
        return plan_q.ensure_jurisdiction(db, name)
    own = _place(db, actor.place_id)
    level = level_of(name, own["level"] or level_of(own["name"]))
    above = {p["id"] for p in q.ancestors(db, own["id"])}
    # only an empty place is adopted: one holding another office's work stays where the administrator put it
    loose = next((p for p in q.named(db, name) if p["parent_id"] is None and p["id"] not in above
                  and not q.holds_anything(db, p["id"])), None)
    if loose is not None:
        q.set_parent(db, loose["id"], own["id"])
        if loose["level"] is None and level:
            q.set_level(db, loose["id"], level)
        audit.record(db, actor, "移动地区", "place", loose["id"],
                     {"name": name, "from": None, "to": own["name"], "by": "导入规划"})
        return loose["id"]
    name = _check_name(db, name, own["id"])
    place_id = q.insert(db, name, own["id"], level)
    audit.record(db, actor, "新增地区", "place", place_id,
                 {"name": name, "parent": own["name"], "level": level, "by": "导入规划"})
    return place_id
