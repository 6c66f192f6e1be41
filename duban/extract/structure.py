"""The document's outline: numbered headings nesting in the order the document first uses each style,
with paragraphs and tables in their bodies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.clauses import Clause, find_clauses, open_bracket_labels
from duban.extract.headings import Label, detect, heading_title_end, strip_end_punct
from duban.extract.normalize import half
from duban.extract.tables import TextTable, find_tables
from duban.extract.vocabulary import LABEL_QUALIFIERS, TIME_LABELS, UNIT_LABELS, alternation

_FIELD_LINE = re.compile(
    rf"^\s*(?:{alternation(LABEL_QUALIFIERS)})?(?:{alternation(UNIT_LABELS + TIME_LABELS)})\s*(?::|\s)")
_ATTACHMENT = re.compile(r"^\s*(?:附件|附表)\s*[\d一二三四五六七八九十]*\s*(?:[:(（]|$)")


@dataclass
class Paragraph:
    """One line of running text (for a heading: the text after its label), with its clauses."""

    orig: str
    norm: str
    line: int
    clauses: list[Clause]
    heading_line: bool = False
    body_start: int = 0

    @property
    def is_bare_clause(self) -> bool:
        """The paragraph is nothing but a clause (a 责任单位 line under the text)."""
        if len(self.clauses) != 1:
            return False
        c = self.clauses[0]
        rest = (self.norm[:c.start] + self.norm[c.end:]).strip(" 。;,.")
        return not rest


@dataclass
class Node:
    """A numbered heading or item and everything under it."""

    label: Label | None
    heading: str
    title: str
    line: int
    body: list = field(default_factory=list)

    @property
    def style(self) -> str | None:
        return self.label.style if self.label else None

    def clause_count(self) -> int:
        """Clauses in this node's whole subtree."""
        total = 0
        for b in self.body:
            if isinstance(b, Paragraph):
                total += len(b.clauses)
            elif isinstance(b, Node):
                total += b.clause_count()
        return total

    def children(self) -> list[Node]:
        return [b for b in self.body if isinstance(b, Node)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.body if isinstance(b, Paragraph)]


@dataclass
class Outline:
    """The parsed document: its outline root, its lines and the tables found in it."""

    root: Node
    lines: list[tuple[str, str]]
    tables: list[tuple[TextTable, list[str]]]


def build_outline(text: str) -> Outline:
    """Parse text into an outline of headings, paragraphs and tables."""
    lines = [(ln, open_bracket_labels(half(ln))) for ln in text.split("\n")]
    tables = find_tables(lines)
    table_at = {t.start: t for t in tables}
    root = Node(None, "", "", -1)
    stack = [root]
    placed: list[tuple[TextTable, list[str]]] = []
    i = 0
    while i < len(lines):
        if i in table_at:
            t = table_at[i]
            path = [n.heading for n in stack[1:]]
            stack[-1].body.append(t)
            placed.append((t, path))
            i = t.end
            continue
        orig, norm = lines[i]
        if not norm.strip():
            i += 1
            continue
        label = detect(norm, orig)
        if _ATTACHMENT.match(norm):
            del stack[1:]
            node = Node(Label("attachment", "", "", 0), strip_end_punct(orig.strip()), "", i)
            stack[-1].body.append(node)
            stack.append(node)
            i += 1
            continue
        if label is None:
            body = stack[-1].body
            prev = body[-1] if body else None
            if _FIELD_LINE.match(norm) and isinstance(prev, Paragraph) and _FIELD_LINE.match(prev.norm) \
                    and not prev.heading_line and "。" not in prev.norm.rstrip("。"):
                o = prev.orig + "\n" + orig.strip()
                n = prev.norm + ";" + norm.strip()
                body[-1] = Paragraph(o, n, prev.line, find_clauses(n))
            else:
                body.append(Paragraph(orig.strip(), norm.strip(), i, find_clauses(norm.strip())))
            i += 1
            continue
        for k in range(len(stack) - 1, 0, -1):
            if stack[k].style == label.style:
                del stack[k:]
                break
        node = _heading_node(label, orig, norm, i)
        stack[-1].body.append(node)
        stack.append(node)
        i += 1
    return Outline(root, lines, placed)


def _heading_node(label: Label, orig: str, norm: str, line: int) -> Node:
    rest_o, rest_n = orig[label.rest_at:].rstrip(), norm[label.rest_at:].rstrip()
    clauses = find_clauses(rest_n)
    start = 0
    if clauses and not rest_n[:clauses[0].start].strip():
        start = clauses[0].end
        while start < len(rest_n) and rest_n[start] in " 。;,":
            start += 1
    end = heading_title_end(rest_n, start)
    for c in clauses:
        if start <= c.start < end:
            end = c.start
    title = strip_end_punct(rest_o[start:end])
    lead = len(norm) - len(norm.lstrip())
    heading = strip_end_punct(orig[lead:label.rest_at] + rest_o[start:end]) if start == 0 else \
        strip_end_punct(label.written.strip() + title)
    node = Node(label, heading, title, line)
    node.body.append(Paragraph(rest_o, rest_n, line, clauses, heading_line=True, body_start=end))
    return node
