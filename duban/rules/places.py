"""Places as a tree (省 → 市 → 县区 → 乡镇): the level a name or a group unit names, and what lies below what.

Pure: names in, levels and answers out. The words themselves live in duban.extract.vocabulary.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from duban.extract.vocabulary import (
    GROUP_GOVERNMENT_ENDS,
    GROUP_START_LEVELS,
    LEVEL_CHARS,
    MUNICIPALITIES,
    PLACE_LEVEL_ENDINGS,
    alternation,
)

# levels top down; a place's children are one or more levels lower
LEVELS = ("province", "city", "county", "township")
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县区", "township": "乡镇"}

_WIDTH = str.maketrans("()", "()")
_ENDINGS = sorted(((e, level) for level, ends in PLACE_LEVEL_ENDINGS.items() for e in ends),
                  key=lambda pair: len(pair[0]), reverse=True)
_ENDING_CHARS = {e[0] for e, _ in _ENDINGS} | set(LEVEL_CHARS)
# what may follow a group's level words: 政府, 人民政府, 管委会, 办事处
_GROUP_TAIL = re.compile(rf"(?:人民)?(?:{alternation(GROUP_GOVERNMENT_ENDS)})$")
_GROUP_BODY = re.compile(rf"^(?:[{LEVEL_CHARS}()、]|街道|自治)+$")


def level_of(name: str, parent_level: str | None = None) -> str | None:
    """The level a place's name says (郑州市 -> city, 金水区 -> county); a 市 under a 市 is a county."""
    name = (name or "").strip()
    if name in MUNICIPALITIES:
        return "province"
    for ending, level in _ENDINGS:
        if len(name) > len(ending) and name.endswith(ending):
            if level == "city" and parent_level == "city" and ending == "市":
                return "county"  # 县级市 such as 新郑市
            return level
    return None


def group_level(unit: str) -> str | None:
    """The lower level a group unit names (各县(市)区政府 -> county, 各乡镇(街道) -> township), else None."""
    text = (unit or "").strip().translate(_WIDTH)
    if not text.startswith("各"):
        return None
    body = _GROUP_TAIL.sub("", text[1:])
    if not body or not _GROUP_BODY.match(body):
        return None
    for start in sorted(GROUP_START_LEVELS, key=len, reverse=True):
        if body.startswith(start):
            return GROUP_START_LEVELS[start]
    return None


def place_chain(name: str, known: Iterable[str] = ()) -> list[str]:
    """A compound place name split top down (河南省郑州市金水区 -> 河南省, 郑州市, 金水区).

    Names already known are taken whole first (济南市 + 市中区); otherwise the shortest leading name with a
    level ending is cut off, unless what follows starts with a level character (郑州|市 is not a cut).
    A name that does not split is returned alone.
    """
    name = (name or "").strip()
    known_names = sorted({k for k in known if k and k != name}, key=len, reverse=True)
    return _chain(name, known_names) or [name]


def _chain(name: str, known: list[str]) -> list[str] | None:
    if not name:
        return []
    for k in known:
        if name.startswith(k) and len(name) > len(k):
            rest = _chain(name[len(k):], known)
            if rest:
                return [k, *rest]
    for cut in range(2, len(name) - 1):
        head, tail = name[:cut], name[cut:]
        if level_of(head) and tail[0] not in _ENDING_CHARS:
            rest = _chain(tail, known)
            if rest:
                return [head, *rest]
    return [name] if len(name) >= 2 and level_of(name) else None


def is_below(tree: Mapping[int, int | None], a: int, b: int) -> bool:
    """Whether place a lies somewhere below place b, in a tree given as {place: its parent}."""
    seen: set[int] = set()
    current = tree.get(a)
    while current is not None and current not in seen:
        if current == b:
            return True
        seen.add(current)
        current = tree.get(current)
    return False


def below_or_same(tree: Mapping[int, int | None], a: int, b: int) -> bool:
    """Whether place a is place b or lies below it."""
    return a == b or is_below(tree, a, b)


def lower_level(level: str | None, other: str | None) -> bool:
    """Whether level `level` is lower than `other` (county below city); unknown levels compare as not lower."""
    if level not in LEVELS or other not in LEVELS:
        return False
    return LEVELS.index(level) > LEVELS.index(other)


def place_names(rows: Iterable[Mapping], blank: str = "") -> list[str]:
    """The places (地区) a list of rows covers, in order, a row without one counted under `blank`."""
    return sorted({r["jurisdiction"] or blank for r in rows})


def in_place(rows: Iterable[Mapping], place: str | None, blank: str = "") -> list:
    """The rows of one place (None: all of them), a row without one belonging to `blank`."""
    return [r for r in rows if place is None or (r["jurisdiction"] or blank) == place]
