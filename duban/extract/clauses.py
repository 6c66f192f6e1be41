"""Responsibility clauses: the bracketed or labelled lists of units that make a paragraph a task.

Forms: (责任单位:…), (牵头单位:…;责任单位:…), (X牵头,Y、Z按职责分工负责,…负责),
(X、Y按职责分工负责), 〔…〕, a trailing or standalone 责任单位:… line, before or after the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.document_rules import strip_rule_notes
from duban.extract.normalize import split_top
from duban.extract.units import is_department_like, level_prefix, split_names, split_roles
from duban.extract.vocabulary import (
    ALL_LABELS,
    CLAUSE_TIME_MARKS,
    CO_LABELS,
    LABEL_QUALIFIERS,
    LEAD_LABELS,
    OTHER_FIELD_LABELS,
    RESPONSIBLE_LABELS,
    ROLE_TAILS,
    TIME_LABELS,
    alternation,
)

_LABEL_WORDS = alternation(ALL_LABELS)
_QUALIFIER = alternation(LABEL_QUALIFIERS)
_LABEL = re.compile(rf"(?:{_QUALIFIER})?({_LABEL_WORDS})\s*(?::|\s)\s*")
_BRACKET_LABEL = re.compile(rf"\(\s*(?:{_QUALIFIER})?(?:{_LABEL_WORDS})\s*\)")
_UNLABELLED_END = re.compile(rf"({alternation(ROLE_TAILS)})$")
_TRAILING_LABELLED = re.compile(
    rf"(?:^|(?<=[。;!?]))\s*((?:{_QUALIFIER})?(?:{alternation(LEAD_LABELS + RESPONSIBLE_LABELS)})\s*(?::|\s)[^。]*?)[。;]?\s*$"
)
_TIME_WORDS = re.compile(rf"(?:19|20)\d{{2}}年|{alternation(CLAUSE_TIME_MARKS)}")


@dataclass
class Clause:
    """One responsibility clause: where it sits in its paragraph and what it says."""

    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    lead_explicit: bool = False
    time_text: str = ""


def open_bracket_labels(norm: str) -> str:
    """"(牵头单位)市民政局 (责任单位)…" (from 【牵头单位】…) read as "牵头单位:…"; same length, so offsets hold."""
    if "(" not in norm:
        return norm
    return _BRACKET_LABEL.sub(lambda m: " " + m.group(0)[1:-1] + ":", norm)


def _matching_close(text: str, i: int) -> int:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _at_sentence_end(norm: str, j: int) -> bool:
    rest = norm[j + 1:].lstrip()
    return not rest or rest[0] in "。;(" or rest.startswith(("\u2460", "\u2461", "\u2462", "\u2463", "\u2464"))


def find_clauses(norm: str) -> list[Clause]:
    """Every responsibility clause in a normalised paragraph, in order."""
    found: list[Clause] = []
    i = 0
    while True:
        i = norm.find("(", i)
        if i < 0:
            break
        j = _matching_close(norm, i)
        if j < 0:
            break
        clause = parse_clause(norm[i + 1:j])
        if clause is None and _at_sentence_end(norm, j):
            clause = parse_unit_list(norm[i + 1:j])
        if clause is not None:
            clause.start, clause.end = i, j + 1
            found.append(clause)
            i = j + 1
        else:
            i += 1
    m = _TRAILING_LABELLED.search(norm)
    if m and (not found or found[-1].start >= m.start(1)):
        clause = parse_clause(m.group(1))
        if clause is not None:
            # a bracket inside the trailing list ("(市民政局为牵头单位)") belongs to it
            found = [c for c in found if c.start < m.start(1)]
            clause.start, clause.end = m.start(1), len(norm.rstrip())
            found.append(clause)
    return found


_LEAD_NOTE = re.compile(r"\(([^()]{2,60}?)(?:为|是|作为)牵头(?:单位|部门)\)")


def parse_clause(body: str) -> Clause | None:
    """Read a clause's lead, units and time limit; None when the text is not a responsibility clause."""
    body = strip_rule_notes(body.strip())
    if not body or "。" in body.rstrip("。") or len(body) > 400:
        return None
    note = _LEAD_NOTE.search(body)
    if note:  # "责任单位:X、Y(X为牵头单位)": the note names the lead among the listed units
        clause = parse_clause(body[:note.start()] + body[note.end():])
        if clause is not None:
            named = [n for n in split_names(note.group(1)) if n in clause.units]
            if named:
                clause.lead, clause.lead_explicit = named, True
        return clause
    labels = list(_LABEL.finditer(body))
    if labels and labels[0].start() == 0:
        return _labelled(body, labels)
    core = re.sub(r"[。;,\s]+$", "", body)
    segments = split_top(core, ";,")
    trailing_times = []
    while len(segments) > 1 and _TIME_WORDS.search(segments[-1]):
        trailing_times.insert(0, segments.pop().strip())
    core = re.sub(r"[。;,\s]+$", "", core[:sum(len(x) + 1 for x in segments) - 1])
    if not _UNLABELLED_END.search(core):
        return None
    pairs = split_roles(core)
    times = trailing_times + [n for n, _ in pairs if _TIME_WORDS.search(n)]
    pairs = [(n, r) for n, r in pairs if not _TIME_WORDS.search(n)]
    if not pairs or not any(is_department_like(n) for n, _ in pairs):
        return None
    if any(len(n) > 30 for n, _ in pairs):
        return None
    clause = _assemble(pairs, explicit=any(r == "lead" for _, r in pairs))
    clause.time_text = ";".join(times)
    return clause


def parse_unit_list(body: str) -> Clause | None:
    """A bare list of departments closing a sentence, "(市委宣传部、市民政局、市卫生健康委)", read as a clause."""
    body = body.strip()
    if not body or len(body) > 200 or re.search(r"[。:]", body):
        return None
    names = split_names(body)
    if not names or not all(is_department_like(n) and len(n) <= 25 for n in names):
        return None
    if not any(level_prefix(n) or n.startswith("各") for n in names):
        return None
    return _assemble([(n, "co") for n in names], explicit=False)


def _labelled(body: str, labels: list[re.Match]) -> Clause | None:
    pairs: list[tuple[str, str]] = []
    time_text = []
    has_lead_label = any(m.group(1) in LEAD_LABELS for m in labels)
    for k, m in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(body)
        content = re.sub(r"^[:\s]+|[;,。\s]+$", "", body[m.end():end])
        label = m.group(1)
        if label in TIME_LABELS:
            time_text.append(content)
        elif label in OTHER_FIELD_LABELS:
            continue
        elif label in LEAD_LABELS:
            pairs.extend((n, "lead") for n, _ in split_roles(content))
        elif label in CO_LABELS:
            pairs.extend((n, "co") for n, _ in split_roles(content))
        else:
            roles = split_roles(content)
            pairs.extend((n, r if not has_lead_label else ("lead" if r == "lead" else "co")) for n, r in roles)
    if not pairs:
        return None
    clause = _assemble(pairs, explicit=any(r == "lead" for _, r in pairs))
    clause.time_text = ";".join(time_text)
    return clause


def _assemble(pairs: list[tuple[str, str]], explicit: bool) -> Clause:
    units: list[str] = []
    lead: list[str] = []
    for name, role in pairs:
        if name not in units:
            units.append(name)
        if role == "lead" and name not in lead:
            lead.append(name)
    return Clause(0, 0, lead=lead, units=units, lead_explicit=explicit)
