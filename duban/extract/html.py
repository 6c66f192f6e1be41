"""An HTML page's bytes -> text lines, its tables as pipe rows (a cell spanning rows repeated, as Word reads)."""
from __future__ import annotations

import re

from duban.extract.errors import ExtractionError
from duban.extract.word import cell_text, pipe_row

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "br", "hr", "center", "form", "figure", "figcaption",
    "caption", "address", "nav",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "button", "select", "option"}


def html_text(data: bytes) -> str:
    """The page's visible text, one line per block, scripts and styles skipped."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as e:  # a parser failure means the file is not usable HTML
        raise ExtractionError("HTML 文件无法解析。") from e
    lines: list[str] = [""]

    def newline() -> None:
        if lines[-1].strip():
            lines.append("")

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                piece = re.sub(r"\s+", " ", str(child))
                lines[-1] += piece if lines[-1] else piece.lstrip()
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in _SKIP_TAGS:
                    continue
                if name == "table":
                    newline()
                    for cells in _html_rows(child):
                        if any(cells):
                            lines.append(pipe_row(cells))
                    lines.append("")
                    continue
                block = name in _BLOCK_TAGS
                if block:
                    newline()
                walk(child)
                if block:
                    newline()

    walk(soup.body or soup)
    return "\n".join(_CJK_GAP.sub("", line.strip()) for line in lines)


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr) or "1").strip()), 100))
    except ValueError:
        return 1


def _cell_lines(cell) -> list[str]:
    """A cell's text split where the page breaks lines (<br>, <p>, <div>), inline markup joined."""
    from bs4 import NavigableString, Tag

    parts = [""]

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                parts[-1] += re.sub(r"\s+", " ", str(child))
            elif isinstance(child, Tag):
                block = child.name.lower() in _BLOCK_TAGS
                if block:
                    parts.append("")
                walk(child)
                if block:
                    parts.append("")

    walk(cell)
    return [_CJK_GAP.sub("", p.strip()) for p in parts if p.strip()]


def _html_rows(table) -> list[list[str]]:
    """A table's rows as cell texts; a cell spanning rows is repeated in each row it covers (as Word reads)."""
    out: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells = [c for c in row.find_all(["td", "th"]) if c.find_parent("tr") is row]
        line: list[str] = []
        col = 0
        queue = list(cells)
        while queue or any(k >= col for k in pending):
            if col in pending:
                text, left = pending[col]
                line.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            if not queue:
                col += 1
                continue
            cell = queue.pop(0)
            text = cell_text(_cell_lines(cell))
            rows = _span(cell, "rowspan")
            if rows > 1:
                pending[col] = (text, rows - 1)
            line.append(text)
            col += _span(cell, "colspan")
        out.append(line)
    return out


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff,.;:，。、；：）)”])\s+(?=[\u4e00-\u9fff（(“])")
