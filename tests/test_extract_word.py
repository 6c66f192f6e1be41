"""Word files read as Word shows them: list numbers from styles, merged cells once, and bounded in size."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from benchmarks.docx_read import docx_with
from duban.extract import word
from duban.extract.errors import ExtractionError
from duban.extract.reader import read_bytes


def _saved(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _chinese_list(document, num_id: str = "90") -> None:
    """A list numbered 一、 / (1) / ① by level, as Chinese plans number their clauses."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), num_id)
    for i, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("decimal", "(%2)"), ("decimalEnclosedCircle", "%3")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(i))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), num_id)
    num.append(ref)
    numbering.append(num)


def test_list_numbers_styles_breaks_and_links():
    d = docx.Document()
    for i in range(2):
        d.add_paragraph(f"落实第{i + 1}项措施", style="List Number")
        d.add_paragraph("细化分工", style="List Number 2")
        d.add_paragraph("注意事项", style="List Bullet")
    p = d.add_paragraph("甲\t乙")
    run = p.add_run("换行")
    run.add_break()
    run.add_text("之后")
    run.add_break(WD_BREAK.PAGE)
    run.add_text("分页")
    link, r, t = OxmlElement("w:hyperlink"), OxmlElement("w:r"), OxmlElement("w:t")
    t.text = "详见附件"
    r.append(t)
    link.append(r)
    p._p.append(link)
    _chinese_list(d)
    for i in range(5):
        para = d.add_paragraph(f"条目{i}")
        numpr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(i % 3 if i < 4 else 0)), ("w:numId", "90")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            numpr.append(child)
        para._p.get_or_add_pPr().append(numpr)
    assert word.docx_text(_saved(d)).split("\n") == [
        "1.落实第1项措施", "1.细化分工", "注意事项", "2.落实第2项措施", "2.细化分工", "注意事项",
        "甲\t乙换行", "之后分页详见附件", "一、条目0", "(1)条目1", "①条目2", "二、条目3", "三、条目4"]


def test_merged_cells_count_once_across_and_repeat_down():
    d = docx.Document()
    t = d.add_table(rows=4, cols=4)
    for i, row in enumerate(t.rows):
        for j, c in enumerate(row.cells):
            c.text = f"格{i}{j}"
    t.cell(0, 0).merge(t.cell(0, 1))
    t.cell(1, 2).merge(t.cell(3, 2))
    t.cell(1, 3).add_paragraph("区民政局")
    t.cell(1, 3).add_paragraph("区财政局")
    d.add_paragraph("表后")
    assert word.docx_text(_saved(d)).split("\n") == [
        "", "格00格01 | 格02 | 格03", "格10 | 格11 | 格12格22格32 | 格13区民政局、区财政局",
        "格20 | 格21 | 格12格22格32 | 格23", "格30 | 格31 | 格12格22格32 | 格33", "", "表后"]


def test_a_style_based_on_a_numbered_style_is_numbered():
    text = read_bytes(docx_with(["完善机制", "加强督办"]), "plan.docx")
    assert text.split("\n") == ["1.完善机制", "2.加强督办"]


def _body_docx(body: str) -> bytes:
    data = io.BytesIO(docx_with(["x"]))
    out = io.BytesIO()
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.split(b"<w:body>")[0] + b"<w:body>" + body.encode() + b"</w:body></w:document>"
            z.writestr(item.filename, content)
    return out.getvalue()


def test_too_many_paragraphs_is_refused_with_a_clear_message():
    data = _body_docx("<w:p/>" * (word.MAX_PARAGRAPHS + 1))
    assert len(data) < 200_000  # a small file that unpacks to very many paragraphs
    with pytest.raises(ExtractionError, match="文档段落过多"):
        read_bytes(data, "plan.docx")
    assert read_bytes(_body_docx("<w:p/>" * 1000 + "<w:p><w:r><w:t>正文</w:t></w:r></w:p>"), "plan.docx").strip() == "正文"


def test_too_many_table_cells_is_refused_with_a_clear_message():
    row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * 100 + "</w:tr>"
    data = _body_docx("<w:tbl>" + row * (word.MAX_TABLE_CELLS // 100 + 1) + "</w:tbl>")
    with pytest.raises(ExtractionError, match="表格单元格过多"):
        read_bytes(data, "plan.docx")


def test_a_damaged_body_is_a_damaged_file():
    with pytest.raises(ExtractionError, match="已损坏"):
        read_bytes(_body_docx("<w:p><w:r><w:t>未闭合"), "plan.docx")
