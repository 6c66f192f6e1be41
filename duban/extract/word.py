"""Word (.docx) documents -> text lines: paragraphs with their automatic list numbers, tables as pipe rows.

The body XML is read once as a stream (each paragraph and table is dropped once turned into text), and
styles and list numbering are looked up in dictionaries built once, so reading takes time in proportion to
the file and memory in proportion to its largest table.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile

from duban.extract.errors import ExtractionError
from duban.rules.numerals import cn_numeral

MAX_PARAGRAPHS = 100_000   # a long plan has a few thousand; more means a generated or damaged file
MAX_TABLE_CELLS = 50_000
TOO_MANY_PARAGRAPHS = f"文档段落过多(超过 {MAX_PARAGRAPHS} 段),请确认文件是否正确。"
TOO_MANY_CELLS = f"文档中的表格单元格过多(超过 {MAX_TABLE_CELLS} 个),请确认文件是否正确。"

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + _W_NS + "}"
_BODY, _P, _TBL, _TR, _TC = _W + "body", _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_ON = ("1", "true", "on")


class _TooLarge(Exception):
    pass


def docx_text(data: bytes) -> str:
    """Paragraphs (with Word's list numbers) and tables as pipe rows, in body order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise ExtractionError("这是一个压缩文件,不是 Word(.docx)文档。")
            parts = _related_parts(z)
            numbering = _Numbering(_parse(z, parts.get("numbering")), _parse(z, parts.get("styles")))
            with z.open("word/document.xml") as stream:
                return "\n".join(_body_lines(stream, numbering))
    except ExtractionError:
        raise
    except _TooLarge as e:
        raise ExtractionError(str(e)) from None
    except Exception as e:  # zipfile and lxml raise many kinds on a damaged file
        raise ExtractionError("Word 文件已损坏或不完整,无法读取。") from e


def _related_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """The styles and numbering parts the main document names in its relationships."""
    from lxml import etree

    try:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"), _parser())
    except KeyError:  # no relationships: a document without styles or lists
        return {}
    out = {}
    for rel in rels:
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind in ("styles", "numbering") and rel.get("TargetMode") != "External":
            out[kind] = target.lstrip("/") if target.startswith("/") else posixpath.normpath("word/" + target)
    return out


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(z: zipfile.ZipFile, name: str | None):
    from lxml import etree

    if not name or name not in z.namelist():
        return None
    return etree.fromstring(z.read(name), _parser())


def _body_lines(stream, numbering: _Numbering):
    """Text lines of the body's paragraphs and tables, read as a stream."""
    from lxml import etree

    paragraphs = cells = 0
    for _, el in etree.iterparse(stream, events=("end",), tag=(_P, _TBL, _TC), resolve_entities=False,
                                 no_network=True):
        if el.tag == _P:
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise _TooLarge(TOO_MANY_PARAGRAPHS)
        elif el.tag == _TC:
            cells += 1
            if cells > MAX_TABLE_CELLS:
                raise _TooLarge(TOO_MANY_CELLS)
        parent = el.getparent()
        if parent is None or parent.tag != _BODY:
            continue
        if el.tag == _P:
            yield numbering.label(el) + _paragraph_text(el)
        elif el.tag == _TBL:
            yield ""
            yield from _table_rows(el)
            yield ""
        el.clear()
        while el.getprevious() is not None:
            del parent[0]


_PPR, _NUMPR, _PSTYLE = _W + "pPr", _W + "numPr", _W + "pStyle"


def _child(el, tag: str):
    """The first child with this tag (a plain loop: properties come first, so it ends at once)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "br":
            out.append("\n" if child.get(_W + "type", "textWrapping") == "textWrapping" else "")
        elif tag in _RUN_TEXT:
            out.append(_RUN_TEXT[tag])
    return "".join(out)


def _paragraph_text(p) -> str:
    """The paragraph's runs and hyperlinked runs, tabs and line breaks as characters."""
    out = []
    for child in p:
        if child.tag == _W + "r":
            out.append(_run_text(child))
        elif child.tag == _W + "hyperlink":
            out.extend(_run_text(r) for r in child if r.tag == _W + "r")
    return "".join(out)


def _int(el, default: int) -> int:
    try:
        return int(el.get(_W + "val")) if el is not None else default
    except (TypeError, ValueError):
        return default


def _number(value: str | None) -> str | None:
    """A list id as Word means it (07 and 7 are the same list)."""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return value


def _table_rows(tbl) -> list[str]:
    """One pipe row per table row; a cell spanning columns counts once, a vertically merged cell repeats the
    text of its first row."""
    rows, above, made = [], {}, 0
    for tr in (c for c in tbl if c.tag == _TR):
        trpr = _child(tr, _W + "trPr")
        offset = _int(_child(trpr, _W + "gridBefore") if trpr is not None else None, 0)
        here, cells, seen = {}, [], set()
        for tc in (c for c in tr if c.tag == _TC):
            tcpr = _child(tc, _W + "tcPr")
            span = _int(_child(tcpr, _W + "gridSpan") if tcpr is not None else None, 1)
            vmerge = _child(tcpr, _W + "vMerge") if tcpr is not None else None
            root = above.get(offset) if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue" else None
            if root is None:
                made += 1
                root = (made, cell_text([_paragraph_text(p) for p in tc if p.tag == _P]))
            here[offset] = root
            offset += span
            if root[0] not in seen:
                seen.add(root[0])
                cells.append(root[1])
        above = here
        if any(cells):
            rows.append(pipe_row(cells))
    return rows


def pipe_row(cells: list[str]) -> str:
    """One table row as a text line; a row of one merged cell (a section row) keeps a pipe so it stays in the table."""
    return " | ".join(cells) + (" |" if len(cells) == 1 else "")


_NAME_LINE = re.compile(r"^[^。,，;；:：]{2,30}?(?:[(（](?:牵头|牵头单位|配合|主责)[)）])?$")


def _name_like(part: str) -> bool:
    from duban.extract.units import is_unit_like

    if not _NAME_LINE.match(part):
        return False
    return is_unit_like(re.sub(r"[(（](?:牵头|牵头单位|配合|主责)[)）]$", "", part))


def cell_text(parts: list[str]) -> str:
    """A table cell's paragraphs joined into one line, with no pipe inside; department names written one per
    line (a 责任单位 cell) are joined with 、 so they stay separate names."""
    text, last = "", ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and _name_like(last) and _name_like(part):
            text += "、"
        elif text and re.match(r"[A-Za-z0-9]", text[-1]) and re.match(r"[A-Za-z0-9]", part[0]):
            text += " "
        text += part
        last = part
    return text.replace("|", "/")


class _Numbering:
    """Word's automatic list numbers, from the numbering and styles parts read once."""

    def __init__(self, numbering_root, styles_root) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str | None, object, str | None]] = {}  # id -> (type, numPr, basedOn)
        self.default_style: str | None = None
        self.style_numbers: dict[str | None, tuple[str | None, int] | None] = {}
        if numbering_root is None:
            return
        abstract = {}
        for a in numbering_root.iterchildren(_W + "abstractNum"):
            levels = {}
            for lvl in a.iterchildren(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                fmt = lvl.find(_W + "numFmt")
                text = lvl.find(_W + "lvlText")
                start = lvl.find(_W + "start")
                levels[ilvl] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "",
                    int(start.get(_W + "val")) if start is not None else 1,
                )
            abstract[a.get(_W + "abstractNumId")] = levels
        for num in numbering_root.iterchildren(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is None:
                continue
            num_id = _number(num.get(_W + "numId"))
            for ilvl, spec in abstract.get(ref.get(_W + "val"), {}).items():
                self.formats[(num_id, ilvl)] = spec
        if styles_root is None:
            return
        for style in styles_root.iterchildren(_W + "style"):
            ppr = style.find(_W + "pPr")
            based = style.find(_W + "basedOn")
            sid = style.get(_W + "styleId")
            kind = style.get(_W + "type")
            self.styles.setdefault(sid, (kind, ppr.find(_W + "numPr") if ppr is not None else None,
                                         based.get(_W + "val") if based is not None else None))
            if kind == "paragraph" and style.get(_W + "default") in _ON:
                self.default_style = sid

    @staticmethod
    def _numbers(numpr) -> tuple[str | None, int]:
        num, lvl = _child(numpr, _W + "numId"), _child(numpr, _W + "ilvl")
        return (_number(num.get(_W + "val")) if num is not None else None), _int(lvl, 0)

    def _style_numbers(self, style_id: str | None) -> tuple[str | None, int] | None:
        """The list a paragraph style (or a style it is based on) puts its paragraphs in, worked out once."""
        if style_id not in self.style_numbers:
            sid = style_id
            if sid is None or self.styles.get(sid, (None,))[0] != "paragraph":
                sid = self.default_style
            found, seen = None, set()
            while sid is not None and sid in self.styles and sid not in seen:
                seen.add(sid)
                _, numpr, based = self.styles[sid]
                if numpr is not None:
                    found = self._numbers(numpr)
                    break
                sid = based
            self.style_numbers[style_id] = found
        return self.style_numbers[style_id]

    def label(self, p) -> str:
        """The number Word shows before this paragraph ("" when it is not in a numbered list)."""
        if not self.formats:
            return ""
        ppr = _child(p, _PPR)
        numpr = _child(ppr, _NUMPR) if ppr is not None else None
        if numpr is not None:
            found = self._numbers(numpr)
        else:
            pstyle = _child(ppr, _PSTYLE) if ppr is not None else None
            found = self._style_numbers(pstyle.get(_W + "val") if pstyle is not None else None)
        if found is None or found[0] is None:
            return ""
        num_id, ilvl = found
        if (num_id, ilvl) not in self.formats or not 0 <= ilvl < 9:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = self.formats[(num_id, ilvl)][1]
        for level in range(ilvl + 1):
            fmt, _, start = self.formats.get((num_id, level), ("decimal", "", 1))
            value = counts[level] + start - 1
            shown = str(value)
            if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
                shown = cn_numeral(value)
            elif fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < value <= 20:
                shown = chr(0x2460 + value - 1)
            elif fmt == "bullet":
                return ""
            text = text.replace(f"%{level + 1}", shown)
        return text
