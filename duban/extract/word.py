"""Word (.docx) documents -> text lines: paragraphs with their automatic list numbers, tables as pipe rows."""
from __future__ import annotations

import io
import re
import zipfile

from duban.extract.errors import ExtractionError


def docx_text(data: bytes) -> str:
    """Paragraphs (with Word's list numbers) and tables as pipe rows, in body order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise ExtractionError("这是一个压缩文件,不是 Word(.docx)文档。")
            z.testzip()
        import docx

        document = docx.Document(io.BytesIO(data))
    except ExtractionError:
        raise
    except Exception as e:  # zipfile, lxml and python-docx raise many kinds on a damaged file
        raise ExtractionError("Word 文件已损坏或不完整,无法读取。") from e
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = _Numbering(document)
    lines: list[str] = []
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(el, document)
            lines.append(numbering.label(para) + para.text)
        elif tag == "tbl":
            lines.append("")
            lines.extend(_docx_table_rows(Table(el, document)))
            lines.append("")
    return "\n".join(lines)


def _docx_table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell_text([p.text for p in cell.paragraphs]))
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


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


class _Numbering:
    """Word's automatic list numbers, which python-docx does not put into paragraph text."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except Exception:  # a document without lists has no numbering part
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w = "{" + ns["w"] + "}"
        root = part.element
        abstract = {}
        for a in root.findall("w:abstractNum", ns):
            levels = {}
            for lvl in a.findall("w:lvl", ns):
                ilvl = int(lvl.get(w + "ilvl", "0"))
                fmt = lvl.find("w:numFmt", ns)
                text = lvl.find("w:lvlText", ns)
                start = lvl.find("w:start", ns)
                levels[ilvl] = (
                    fmt.get(w + "val") if fmt is not None else "decimal",
                    text.get(w + "val") if text is not None else "",
                    int(start.get(w + "val")) if start is not None else 1,
                )
            abstract[a.get(w + "abstractNumId")] = levels
        for num in root.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(w + "val"), {}).items():
                self.formats[(num.get(w + "numId"), ilvl)] = spec

    def label(self, para) -> str:
        if not self.formats:
            return ""
        ppr = para._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None:
            style = para.style.element if para.style is not None else None
            while style is not None and numpr is None:
                numpr = style.pPr.numPr if style.pPr is not None else None
                based = style.basedOn_val if hasattr(style, "basedOn_val") else None
                style = para.part.styles.element.get_by_id(based) if based and numpr is None else None
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        if (num_id, ilvl) not in self.formats:
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
                shown = _chinese_number(value)
            elif fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < value <= 20:
                shown = chr(0x2460 + value - 1)
            elif fmt == "bullet":
                return ""
            text = text.replace(f"%{level + 1}", shown)
        return text
