"""Word helpers every .docx renderer shares: Chinese fonts on runs and styles, paragraphs, tables, cells, page numbers."""
from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from duban.rules.text import printable

LATIN_FONT = "Times New Roman"
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体", "仿宋"
TABLE_STYLE, TABLE_HEAD_STYLE = "表格正文", "表格标题"
HEAD_FILL = "D9E2F3"


def rfonts(rpr):
    """The run properties' font element, added when missing, so the Chinese font can be named in it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    return fonts


def font(run, east_asia: str = BODY_FONT, size: float | None = None, bold: bool | None = None,
         color: RGBColor | None = None, latin: str = LATIN_FONT):
    """Name a run's Chinese and Latin fonts (Word needs both), and its size, weight and colour where given."""
    run.font.name = latin
    fonts = rfonts(run._element.get_or_add_rPr())
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def body_style(doc: Document, size: float = 14, line: float = 26) -> None:
    """The Normal style of an official document: 仿宋, fixed line spacing, no space after paragraphs."""
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(size)
    rfonts(normal.element.get_or_add_rPr()).set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(line)
    normal.paragraph_format.space_after = Pt(0)


def paragraph(doc, text: str = "", font_name: str = BODY_FONT, size: float = 14, bold: bool = False, align=None,
              indent: bool = True, color: RGBColor | None = None, space_after: float | None = None,
              line_spacing: float | None = None):
    """One paragraph of one run; `indent` indents the first line by two characters, as official text does."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if line_spacing is not None:
        p.paragraph_format.line_spacing = line_spacing
    if text:
        font(p.add_run(printable(text)), font_name, size, bold, color)
    return p


def heading(doc, text: str) -> None:
    """一、二、… headings: 黑体 三号, kept with what follows."""
    p = paragraph(doc, text, HEADING_FONT, 16)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True


def subheading(doc, text: str) -> None:
    """(一)(二)… headings: 楷体 bold, kept with what follows."""
    p = paragraph(doc, text, SUBHEADING_FONT, 14, bold=True)
    p.paragraph_format.keep_with_next = True


def table_styles(doc: Document) -> None:
    """Paragraph styles for table cells, so thousands of cells need no per-run formatting."""
    for name, east_asia in ((TABLE_STYLE, BODY_FONT), (TABLE_HEAD_STYLE, HEADING_FONT)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(10.5)
        style.font.name = LATIN_FONT
        rfonts(style.element.get_or_add_rPr()).set(qn("w:eastAsia"), east_asia)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.line_spacing = Pt(16)
        style.paragraph_format.space_after = Pt(0)


def _cell_xml(text, width: int, style: str, centre: bool, fill: str | None) -> str:
    shade_xml = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    jc = '<w:jc w:val="center"/>' if centre else ""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if i == 0 else
                   f'<w:r><w:br/><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                   for i, line in enumerate(printable(text).split("\n")))
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade_xml}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{runs}</w:p></w:tc>')


def table(doc, headers: list[str], rows: list[list], widths: list[float], light_col: int | None = None,
          fills: dict[str, str] | None = None):
    """A bordered table whose header row repeats on every page; cells are written as XML in one go (needs
    `table_styles`). Numbers and the `light_col` column are centred; that column is shaded by `fills`."""
    grid = doc.add_table(rows=0, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    twips = [int(w * 567) for w in widths]
    for i, w in enumerate(widths):
        grid.columns[i].width = Cm(w)
    head_id = doc.styles[TABLE_HEAD_STYLE].style_id
    body_id = doc.styles[TABLE_STYLE].style_id
    fills = fills or {}
    xml = [f'<w:tr {nsdecls("w")}><w:trPr><w:tblHeader/></w:trPr>'
           + "".join(_cell_xml(h, twips[i], head_id, True, HEAD_FILL) for i, h in enumerate(headers)) + "</w:tr>"]
    for values in rows:
        xml.append(f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit/></w:trPr>' + "".join(
            _cell_xml(v, twips[i], body_id, isinstance(v, int | float) or i == light_col,
                      fills.get(v) if i == light_col else None)
            for i, v in enumerate(values)) + "</w:tr>")
    tbl = grid._tbl
    for row in xml:
        tbl.append(parse_xml(row))
    doc.add_paragraph()
    return grid


def shade(cell, fill: str) -> None:
    """Fill a table cell with a colour (hex RGB)."""
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def cell_text(cell, text: str, size: float = 11, bold: bool = False, center: bool = False) -> None:
    """Replace a table cell's text with one run in the body font."""
    cell.text = ""
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run(printable(text)), BODY_FONT, size, bold)


def rule_below(p, color: str = "C00000", size: int = 18) -> None:
    """A line under a paragraph: the red rule under an official masthead."""
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        bottom.set(qn(f"w:{k}"), v)
    pbdr.append(bottom)
    p._p.get_or_add_pPr().append(pbdr)


def page_number(section) -> None:
    """— 1 — style page numbers centred in the footer."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run("— "), BODY_FONT, 12)
    run = p.add_run()
    font(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    font(p.add_run(" —"), BODY_FONT, 12)
