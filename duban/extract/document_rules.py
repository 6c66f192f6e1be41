"""Rules a plan states once and applies to every task: who leads when no lead is named, a unit
that answers for every later task, and "the first unit listed leads".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.flags import drop_flag
from duban.extract.normalize import half, split_top
from duban.extract.units import restore_prefixes, split_names
from duban.extract.vocabulary import FIRST_POSITION, FIRST_WORDS, SAME_BELOW, alternation

_RESPONSIBLE_IS_LEAD = re.compile(
    r"(?:未|无|没有)(?:明确|列明|标明|注明)?牵头(?:单位|部门)的?[,]?\s*(?:其)?(?:责任单位|责任部门|所列单位|所列部门|列出的单位|相关单位)"
    r"(?:即为|即是|均为|为)牵头(?:单位|部门)")
_FIRST_IS_LEAD = re.compile(
    rf"(?:{alternation(FIRST_POSITION)})?(?:{alternation(FIRST_WORDS)})(?:的|者)?(?:单位|部门)?(?:者)?(?:为|是|即为)牵头(?:单位|部门)")
_SAME_BELOW = re.compile(rf"^(?:{alternation(SAME_BELOW)})$")
_EVERY_TASK = re.compile(
    r"(?P<scope>以下|下列|上述|本方案)?(?:各项|所有|全部)?(?:工作|任务|事项)(?:均需|均由|均要|均须|都需|都由|须由|需由|均)(?P<units>[^,。;]{2,40}?)"
    r"(?:负责落实|负责|落实|参与)[,]?\s*(?:不再一一列出|不再逐一列出|不再列出|不一一列出)")


_EVERY_TASK_SUBJECT = re.compile(
    r"(?P<units>[^,。;:]{2,40}?)(?:为|是)(?P<scope>以下|下列|本方案)?(?:各项|所有|全部)?(?:任务|工作|事项)的?(?:共同)?(?:责任|实施|落实)?(?:主体|单位)"
    r"[,]?\s*(?:以下|下文)?(?:不再一一列出|不再逐一列出|不再列出|不一一列出)")


def strip_rule_notes(body: str) -> str:
    """A clause's body without the document rule it states in passing ("…负责,排在第一位的部门为牵头部门,下同")."""
    if "牵头" not in body and not any(w in body for w in SAME_BELOW):
        return body
    kept = [seg for seg in split_top(body, "。;,") if not _is_rule_note(seg.strip())]
    return ",".join(seg for seg in kept if seg.strip())


def _is_rule_note(segment: str) -> bool:
    return bool(_SAME_BELOW.match(segment) or _FIRST_IS_LEAD.search(segment) or _RESPONSIBLE_IS_LEAD.search(segment))


@dataclass
class DocumentRules:
    """The document-level rules found, with the line each was stated on."""

    responsible_is_lead: int | None = None
    first_is_lead: int | None = None
    every_task_units: list[tuple[int, str | None, list[str]]] = field(default_factory=list)


def find_rules(outline) -> DocumentRules:
    """Scan every line for the rules a plan states once."""
    rules = DocumentRules()
    for k, (_, norm) in enumerate(outline.lines):
        if "牵头" in norm:
            # a rule said "下同" holds from its line on; one stated elsewhere (a preamble, a closing note) holds throughout
            since = k if any(w in norm for w in SAME_BELOW) else -1
            if _RESPONSIBLE_IS_LEAD.search(norm) and rules.responsible_is_lead is None:
                rules.responsible_is_lead = since
            if _FIRST_IS_LEAD.search(norm) and rules.first_is_lead is None:
                rules.first_is_lead = since
        if "列出" in norm:
            for rx in (_EVERY_TASK, _EVERY_TASK_SUBJECT):
                for m in rx.finditer(half(norm)):
                    names = split_names(re.sub(r"^.*?(?:其中|同时|并且|另外)", "", m.group("units")))
                    if names:
                        rules.every_task_units.append((k, m.group("scope") or "以下", names))
    return rules


def apply_rules(tasks: list[dict], lines: list[int], rules: DocumentRules, stems: tuple[str, ...]) -> None:
    """Apply the document's rules to its tasks in place; a rule holds from the line that states it on."""
    for task, line in zip(tasks, lines, strict=True):
        if not task["lead_explicit"] and task["units"]:
            if rules.first_is_lead is not None and rules.first_is_lead <= line:
                task["lead"] = task["units"][:1]
                task["lead_explicit"] = True
                drop_flag(task, "lead_guessed")
            elif rules.responsible_is_lead is not None and rules.responsible_is_lead <= line:
                task["lead"] = list(task["units"])
                task["lead_explicit"] = True
                drop_flag(task, "lead_guessed")
        for at, scope, names in rules.every_task_units:
            if scope in ("以下", "下列") and line <= at:
                continue
            if scope == "上述" and line >= at:
                continue
            for name in restore_prefixes(names, stems):
                if name not in task["units"]:
                    task["units"].append(name)
