"""Tasks from the outline: a numbered item with exactly one clause is one task; otherwise every
clause-bearing paragraph under a heading is its own task, with the heading in its path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from duban.extract.clauses import Clause
from duban.extract.flags import task_flags
from duban.extract.headings import detect, first_sentence_end, strip_end_punct
from duban.extract.normalize import half
from duban.extract.structure import Node, Paragraph
from duban.extract.timephrases import deadlines_from_cell, is_ongoing, is_ongoing_cell, read_times
from duban.extract.units import restore_prefixes

_BULLET = re.compile(r"^[\s—\-–●•·◆■□▲★☆*]+")


@dataclass
class Piece:
    """A stretch of one paragraph that belongs to a task (clause spans blanked for time phrases)."""

    orig: str
    norm: str
    blanks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class RawTask:
    """A task before numbering and document-level rules."""

    line: int
    path: list[str]
    number: str | None
    title: str
    clause: Clause
    pieces: list[Piece]


def collect_tasks(root: Node) -> list[RawTask]:
    """Walk the outline and return tasks in document order."""
    out: list[RawTask] = []
    _walk(root, [], out)
    return out


def _heading_clause(node: Node) -> Paragraph | None:
    """The heading line itself when it carries exactly one clause and nothing after its title."""
    head = node.body[0] if node.body and isinstance(node.body[0], Paragraph) and node.body[0].heading_line else None
    if head is None or len(head.clauses) != 1:
        return None
    c = head.clauses[0]
    after = head.norm[head.body_start:]
    if c.start >= head.body_start:
        after = head.norm[head.body_start:c.start] + head.norm[c.end:]
    return head if not re.sub(r"[\s。;,.]", "", after) else None


def _part_styles(body: list) -> set[str]:
    """The document's top-level heading styles used for parts: a heading of that style holds numbered items
    with clauses (一、主要任务 (一)…(十)), so a sibling holding one clause-bearing paragraph is a part too."""
    return {b.style for b in body if isinstance(b, Node) and b.style
            and any(c.clause_count() for c in b.children())}


def _walk(node: Node, path: list[str], out: list[RawTask], part: bool = False, bodied: bool = True) -> None:
    head = _heading_clause(node) if node.label is not None else None
    # a top-level part ("二、保障措施" beside "一、主要任务" with its numbered items) is not itself an item:
    # its clause-bearing paragraphs are tasks of their own, with the part in their path
    if node.label is not None and node.clause_count() == 1 and (not node.children() or head) \
            and not (part and not head):
        out.append(_item_task(node, path, bodied))
        return
    inner = path + [node.heading] if node.label is not None else path
    if head is not None:
        out.append(RawTask(head.line, path, node.label.number or None, node.title, head.clauses[0],
                           [_clause_piece(head)]))
    pending: Paragraph | None = None
    body = node.body
    parts = _part_styles(body) if node.label is None else set()
    bodied = _bodied_styles(body)
    for k, block in enumerate(body):
        if isinstance(block, Node):
            pending = None
            _walk(block, inner, out, block.style in parts, block.style in bodied)
            continue
        if not isinstance(block, Paragraph):
            pending = None
            continue
        if block.heading_line and (not block.clauses or block is head):
            continue
        if not block.clauses:
            pending = block
            continue
        if block.is_bare_clause:
            host = pending
            if host is None:
                nxt = body[k + 1] if k + 1 < len(body) else None
                if isinstance(nxt, Paragraph) and not nxt.clauses:
                    host = nxt
            if host is None:
                pending = None
                continue
            title = _first_sentence(host.orig, host.norm, [])
            out.append(RawTask(block.line, inner, None, title, block.clauses[0],
                               [Piece(host.orig, host.norm), _clause_piece(block)]))
            pending = None
            continue
        pending = None
        own = node.label.number if block.heading_line and node.label else None
        for k, task in enumerate(_paragraph_tasks(block, inner, own)):
            if own is not None and k == 0 and task.number == own:
                task.path = path
            out.append(task)


def _clause_piece(p: Paragraph) -> Piece:
    return Piece(p.orig, p.norm, [(c.start, c.end) for c in p.clauses])


def _item_task(node: Node, path: list[str], bodied: bool = True) -> RawTask:
    paragraphs = _all_paragraphs(node)
    at = next(k for k, p in enumerate(paragraphs) if p.clauses)
    clause = paragraphs[at].clauses[0]
    if not _clause_leads(node, paragraphs, at, bodied):
        # a clause that closes the item's text ends the task: what follows it (a closing notice, the
        # signature and date) belongs to no task
        paragraphs = paragraphs[:at + 1]
    paragraphs = _before_signature(paragraphs)
    pieces = [_clause_piece(p) for p in paragraphs]
    title = node.title
    if not title:
        body = [p for p in node.paragraphs() if not p.heading_line]
        title = _first_sentence(body[0].orig, body[0].norm, body[0].clauses) if body else ""
    return RawTask(node.line, path, (node.label.number or None) if node.label else None, title, clause, pieces)


_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SIGNER = re.compile(r"^[^。,;:()]{2,40}(?:政府|办公室|办公厅|委员会|局|院|部|厅|委)$")


def _before_signature(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """An item's text stops at the document's signature: the issuer lines and the date under the last item."""
    for k, p in enumerate(paragraphs):
        if k and not p.clauses and _DATE_LINE.match(p.norm):
            j = k
            while j > 1 and not paragraphs[j - 1].clauses and _SIGNER.match(paragraphs[j - 1].norm):
                j -= 1
            return paragraphs[:j]
    return paragraphs


def _clause_leads(node: Node, paragraphs: list[Paragraph], at: int, bodied: bool) -> bool:
    """Whether an item's clause stands before its body (on the heading, or alone right under it)."""
    host = paragraphs[at]
    if not host.heading_line:
        return host.is_bare_clause and all(p.heading_line for p in paragraphs[:at])
    head = _heading_clause(node)
    if head is None:
        return False
    # "一、对…的地区,给予奖励。(某部负责)": a whole sentence before the clause; lines after it are the item's
    # body only where the other items of the list have bodies too
    closes_sentence = head.norm[:host.clauses[0].start].rstrip().endswith(("。", "!", "?"))
    return bodied or not closes_sentence


def _bodied_styles(body: list) -> set[str]:
    """Item styles whose items (all but the last, whose tail may be the closing text) carry body paragraphs."""
    by_style: dict[str, list[Node]] = {}
    for b in body:
        if isinstance(b, Node) and b.style:
            by_style.setdefault(b.style, []).append(b)
    return {style for style, nodes in by_style.items()
            if any(not p.heading_line for n in nodes[:-1] for p in n.paragraphs()) or len(nodes) == 1}


def _all_paragraphs(node: Node) -> list[Paragraph]:
    out = []
    for b in node.body:
        if isinstance(b, Paragraph):
            out.append(b)
        elif isinstance(b, Node):
            out.extend(_all_paragraphs(b))
    return out


def _paragraph_tasks(p: Paragraph, path: list[str], heading_number: str | None = None) -> list[RawTask]:
    clauses = p.clauses
    first = p.body_start if p.heading_line and p.body_start <= clauses[0].start else 0
    if first and (len(clauses) < 2 or _labelled_segments(p)):
        body = p.norm[first:].lstrip(" \t。;,")
        offset = len(p.norm) - len(body)
        if detect(body, p.orig[offset:]) is None:
            first = 0
    if first:
        heading_number = None
    leading = not re.sub(r"[\s—\-。]", "", p.norm[first:clauses[0].start])
    spans = []
    if leading:
        for k, c in enumerate(clauses):
            end = clauses[k + 1].start if k + 1 < len(clauses) else len(p.norm)
            spans.append((c.start, end, c))
    else:
        start = first
        for k, c in enumerate(clauses):
            end = c.end if k + 1 < len(clauses) else len(p.norm)
            spans.append((start, end, c))
            start = end
    tasks = []
    for start, end, c in spans:
        while start < end and p.norm[start] in " \t。;":
            start += 1
        orig, norm = p.orig[start:end], p.norm[start:end]
        blank = (c.start - start, c.end - start)
        number = heading_number if start == 0 and p.heading_line else None
        label = detect(norm, orig) if blank[0] > 0 else None
        if label:
            number = label.number
            title = _first_sentence(orig[label.rest_at:], norm[label.rest_at:],
                                    [(blank[0] - label.rest_at, blank[1] - label.rest_at)])
        else:
            title = _first_sentence(orig, norm, [blank])
        tasks.append(RawTask(p.line, path, number, title, c, [Piece(orig.rstrip(), norm.rstrip(), [blank])]))
    return tasks


def _labelled_segments(p: Paragraph) -> bool:
    """Whether the text after a clause opens with its own number: several items written on one line."""
    for c in p.clauses[:-1]:
        rest = p.norm[c.end:].lstrip(" \t。;,")
        if rest and detect(rest, rest) is not None:
            return True
    return False


def _first_sentence(orig: str, norm: str, blanks) -> str:
    chars_o, chars_n = list(orig), list(norm)
    for b in blanks:
        s, e = (b.start, b.end) if isinstance(b, Clause) else b
        for k in range(max(0, s), min(len(chars_n), e)):
            chars_o[k] = chars_n[k] = "\x00"
    o, n = "".join(chars_o), "".join(chars_n)
    start = len(n) - len(n.lstrip(" \x00"))
    end = first_sentence_end(n, start)
    title = o[start:end].replace("\x00", "")
    return strip_end_punct(_BULLET.sub("", title))


def finish_task(raw: RawTask, seq: int, stems: tuple[str, ...], reference: date | None,
                written: date | None = None, national: bool = False) -> dict:
    """The task as the schema writes it, plus its full text, whether it is ongoing and its review flags.

    A national plan's units are never given a level prefix: its lists name ministries, not levels."""
    clause = raw.clause
    units = list(clause.units) if national else restore_prefixes(clause.units, stems)
    renamed = dict(zip(clause.units, units, strict=True))
    lead = [renamed.get(n, n) for n in clause.lead] if clause.lead_explicit else units[:1]
    deadlines: list[dict] = []
    unread: list[str] = []
    texts = []
    for piece in raw.pieces:
        o, n = list(piece.orig), list(piece.norm)
        for s, e in piece.blanks:
            for k in range(max(0, s), min(len(n), e)):
                o[k] = n[k] = " "
        found, missed = read_times("".join(n), "".join(o), reference, written)
        deadlines.extend(found)
        unread.extend(missed)
        texts.append(piece.orig)
    if clause.time_text:
        in_text = [(d["phrase"], d.get("due"), d.get("freq")) for d in deadlines]
        for d in deadlines_from_cell(half(clause.time_text), clause.time_text, reference, written):
            if (d["phrase"], d.get("due"), d.get("freq")) not in in_text:  # the time column repeating the text
                deadlines.append(d)
    text = "\n".join(t for t in texts if t)
    ongoing = is_ongoing(text) and not any(d["kind"] == "once" for d in deadlines)
    if clause.time_text and is_ongoing_cell(clause.time_text):
        ongoing = True
    return {
        "seq": seq,
        "path": list(raw.path),
        "number": raw.number,
        "title": raw.title,
        "lead": lead,
        "lead_explicit": bool(clause.lead_explicit),
        "units": units,
        "deadlines": deadlines,
        "text": text,
        "ongoing": ongoing,
        "flags": task_flags(clause.units, units, bool(clause.lead_explicit), unread),
    }
