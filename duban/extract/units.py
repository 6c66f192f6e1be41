"""Responsible units: splitting a clause's list into whole names, restoring level prefixes, aliases.

The alias and naming data live in seed/department_aliases.json so the office can extend them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from duban.extract.normalize import split_top, unit_form
from duban.extract.vocabulary import (
    DEPARTMENT_ENDINGS,
    ETC_TAIL,
    GROUP_ADMIN_WORDS,
    GROUP_GOVERNMENT_ENDS,
    GROUP_LEVEL_STARTS,
    GROUP_MARK,
    LEAD_ROLE_WORDS,
    LEVEL_CHARS,
    LEVEL_WORDS,
    NAME_JOINS,
    NOBODY_NAMES,
    NOT_LEVEL_WORDS,
    PARTY_OFFICE_ENDINGS,
    PRINCIPAL_JOINS,
    PROPER_NAME_ENDINGS,
    REGION_WORDS,
    ROLE_TAILS,
    UNIT_ENDINGS,
    alternation,
)

ALIAS_FILE = Path(__file__).resolve().parents[2] / "seed" / "department_aliases.json"

_ROLE_WORDS = re.compile(rf"({alternation(ROLE_TAILS + PRINCIPAL_JOINS)})(?!单位|部门)")
_ROLE_TAIL_END = re.compile(rf"(?:{alternation(ROLE_TAILS)})$")
_LEAD_MARK = re.compile(r"\((?:牵头|牵头单位|主责)\)|为牵头单位|作为牵头单位")
_TAIL_ETC = re.compile(ETC_TAIL)
_LEADING_JUNK = re.compile(rf"^(?:由|请|分别由|{alternation(NAME_JOINS)}|并|、|,|;|\s)+")
_ADMIN_ONLY = re.compile(rf"^各?(?:[{LEVEL_CHARS}]|{alternation(GROUP_ADMIN_WORDS)}|、)+$")
_UNIT_END = re.compile(rf"(?:{alternation(UNIT_ENDINGS)})$")
_DEPARTMENT_END = re.compile(rf"(?:{alternation(DEPARTMENT_ENDINGS)})$")
_PROPER_END = re.compile(rf"(?:{alternation(PROPER_NAME_ENDINGS)})$")
_REGION = re.compile(alternation(REGION_WORDS))
_LEVEL_CHARS = re.compile(f"[{LEVEL_CHARS}]|{alternation(LEVEL_WORDS)}")
_GOVERNMENT_GROUP = re.compile(
    rf"^(?:{alternation(GROUP_LEVEL_STARTS)})[^、]*(?:{alternation(GROUP_GOVERNMENT_ENDS)})$")
_NOT_LEVEL_WORDS = re.compile(alternation(NOT_LEVEL_WORDS))
_CONJUNCTION = re.compile(f"({alternation(NAME_JOINS)})")
_PARTY_OFFICE = re.compile(rf"(?:{alternation(PARTY_OFFICE_ENDINGS)})$")
_ALWAYS_SPLIT = {"以及", "等和", "等及"}


@dataclass
class NameRules:
    """Naming data: equivalence groups of department stems and what counts as a level prefix."""

    groups: list[list[str]]
    prefixes: list[str]
    not_prefix: list[str]
    whole_starts: list[str]
    whole_contains: list[str]

    @property
    def stem_group(self) -> dict[str, int]:
        return {stem: i for i, group in enumerate(self.groups) for stem in group}


@lru_cache(maxsize=1)
def name_rules() -> NameRules:
    """The naming data from seed/department_aliases.json (read once)."""
    data = json.loads(ALIAS_FILE.read_text(encoding="utf-8"))
    return NameRules(
        groups=data.get("equivalent", []),
        prefixes=sorted(data.get("level_prefixes", []), key=len, reverse=True),
        not_prefix=data.get("not_a_prefix", []),
        whole_starts=data.get("whole_name_starts", []),
        whole_contains=data.get("whole_name_contains", []),
    )


@lru_cache(maxsize=1)
def _stem_groups() -> dict[str, int]:
    return name_rules().stem_group


@lru_cache(maxsize=4096)
def level_prefix(name: str) -> str:
    """The level prefix a name is written with ("市", "县委", …) or "" when it has none."""
    rules = name_rules()
    if any(name.startswith(x) for x in rules.not_prefix):
        return ""
    for p in rules.prefixes:
        if name.startswith(p) and len(name) > len(p):
            return p
    return ""


def is_unit_like(name: str) -> bool:
    """Whether a fragment reads as the name of an office, government or group of them."""
    return bool(name) and len(name) <= 40 and bool(_UNIT_END.search(name))


def is_department_like(name: str) -> bool:
    """Stricter than is_unit_like: ends the way departments and governments are named."""
    return bool(name) and 2 <= len(name) <= 40 and bool(_DEPARTMENT_END.search(name))


@lru_cache(maxsize=4096)
def _needs_prefix(name: str, place_stems: tuple[str, ...]) -> bool:
    rules = name_rules()
    if level_prefix(name) or not is_unit_like(name):
        return False
    if any(name.startswith(s) for s in rules.whole_starts) or any(s in name for s in rules.whole_contains):
        return False
    if _PROPER_END.search(name) or _REGION.search(name):
        return False
    if _LEVEL_CHARS.search(_NOT_LEVEL_WORDS.sub("", name)):
        return False
    return not any(stem and stem in name for stem in place_stems)


def restore_prefixes(names: list[str], place_stems: tuple[str, ...] = ()) -> list[str]:
    """Give names written without their level inside a list that has it the level of their neighbours."""
    prefixes = [level_prefix(n) for n in names]
    if not any(prefixes):
        return list(names)
    out = []
    for i, name in enumerate(names):
        if _needs_prefix(name, place_stems):
            before = [p for p in prefixes[:i] if p]
            after = [p for p in prefixes[i + 1:] if p]
            prefix = before[-1] if before else after[0]
            party = prefix.endswith("委") and _PARTY_OFFICE.search(name)
            name = (prefix if party else prefix[:1]) + name
        out.append(name)
    for i in range(1, len(out)):
        if out[i - 1].startswith(GROUP_MARK) and not out[i].startswith(GROUP_MARK) and _GOVERNMENT_GROUP.match(out[i]):
            out[i] = GROUP_MARK + out[i]
    return out


def is_group(name: str) -> bool:
    """Whether a unit's name stands for several units ("各县区政府", "各乡镇(街道)", "县级有关部门"), so that no
    one office answers for it: written with the group mark, or ending in a name that names no one."""
    return name.startswith(GROUP_MARK) or name.endswith(NOBODY_NAMES)


def clean_name(name: str) -> str:
    """A name in stored form: ASCII brackets, no blanks, no leading 由 or trailing 等相关部门."""
    name = unit_form(name)
    name = _LEADING_JUNK.sub("", name)
    name = re.sub(r"[、,;:。\s]+$", "", name)
    while _ROLE_TAIL_END.search(name) and len(_ROLE_TAIL_END.sub("", name)) >= 2:
        name = _ROLE_TAIL_END.sub("", name)  # "市民政局按职责分工负责": the role is not part of the name
    stripped = _TAIL_ETC.sub("", name)
    if stripped and stripped != name and len(stripped) >= 2:
        name = stripped
    return name


def split_names(text: str) -> list[str]:
    """Split a run of names on 、 , ; and conjunctions, keeping groups such as 各县、市、区政府 whole."""
    pieces: list[str] = []
    for frag in split_top(text, "、,;"):
        pieces.extend(_split_conjunctions(frag))
    merged: list[str] = []
    i = 0
    while i < len(pieces):
        cur = unit_form(pieces[i])
        while _ADMIN_ONLY.match(cur or "-") and i + 1 < len(pieces) and cur:
            i += 1
            cur = cur + "、" + unit_form(pieces[i])
        merged.append(cur)
        i += 1
    names = [clean_name(n) for n in merged]
    return [n for n in names if len(n) >= 2 and not _ROLE_WORDS.fullmatch(n)]


def _split_conjunctions(frag: str) -> list[str]:
    frag = frag.strip()
    for m in _CONJUNCTION.finditer(frag):
        left, right = frag[:m.start()].strip(), frag[m.end():].strip()
        if m.group(1) in _ALWAYS_SPLIT and left and right:
            return [left, *_split_conjunctions(right)]
        if is_unit_like(unit_form(left)) and (level_prefix(right) or right.startswith("各")) and is_unit_like(
                unit_form(right.split("、")[0])):
            return [left, *_split_conjunctions(right)]
    return [frag] if frag else []


def split_roles(text: str) -> list[tuple[str, str]]:
    """Names with the role the words after them give: 'lead' before 牵头 or 会同, otherwise 'co'.

    "A、B会同有关部门负责": A and B are the principals; a bare 有关部门 after 会同 names no one and is dropped."""
    text = _LEAD_MARK.sub("牵头,", text)
    out: list[tuple[str, str]] = []
    pos = 0
    after_join = False
    for m in _ROLE_WORDS.finditer(text):
        word = m.group(1)
        role = "lead" if any(w in word for w in LEAD_ROLE_WORDS + PRINCIPAL_JOINS) else "co"
        out.extend((n, role) for n in split_names(text[pos:m.start()]) if not (after_join and n in NOBODY_NAMES))
        after_join = word in PRINCIPAL_JOINS
        pos = m.end()
    out.extend((n, "co") for n in split_names(text[pos:]) if not (after_join and n in NOBODY_NAMES))
    return out


# ---- aliases ----------------------------------------------------------------------------

def _stem(name: str) -> tuple[str, str]:
    p = level_prefix(name)
    level = p[:1]
    stem = name[len(p):]
    if p.endswith("委") and len(p) == 2:
        stem = "委" + stem
    return level, stem


def same_department(a: str, b: str) -> bool:
    """Whether two names of one jurisdiction are the same department written differently."""
    a, b = unit_form(a), unit_form(b)
    if a == b:
        return True
    (la, sa), (lb, sb) = _stem(a), _stem(b)
    if la and lb and la != lb:
        return False
    groups = _stem_groups()
    return sa in groups and groups.get(sa) == groups.get(sb)


def canonical_department(name: str, known_names: list[str]) -> str:
    """The known department a name stands for (卫健委 = 卫生健康委员会 = 卫生健康委), else the name itself."""
    form = unit_form(name)
    if form in known_names:
        return form
    matches = [k for k in known_names if same_department(form, k)]
    if len(matches) == 1 or (matches and len(set(matches)) == 1):
        return matches[0]
    if matches:
        level = _stem(form)[0]
        same_level = [k for k in matches if _stem(k)[0] == level]
        if same_level:
            return same_level[0]
    return form
