"""The forms a plan arrives in besides text/Word/PDF/HTML: spreadsheets, OFD, office-suite formats, scans; and
the limits that keep a hostile file from exhausting the machine."""
from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from duban.extract import ExtractionError, extract_bytes, ocr, office
from duban.extract.reader import ACCEPTED_EXTENSIONS, read_bytes
from tests.forms_world import soffice

PLAN = ["关于推进社区食堂建设的实施方案", "一、重点任务",
        "1.新建一批社区长者食堂,覆盖主要街道。(责任单位:区民政局、区商务委)",
        "2.完善食品安全抽检制度,每季度公布结果。(责任单位:区市场监管局)"]


# ---- OFD -------------------------------------------------------------------------------

def ofd_bytes(pages: list[list[tuple[float, float, str]]], order: list[int] | None = None) -> bytes:
    """A minimal OFD package: each page a list of (x, y, text) codes, written out of reading order."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    order = order or list(range(len(pages)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
                              "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
                              "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        listed = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in order)
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
                                         f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>")
        for i, codes in enumerate(pages):
            objects = "".join(
                f'<ofd:TextObject ID="{i * 100 + k}" Boundary="{x - 1} {y - 4} 200 6" Font="1" Size="4">'
                f'<ofd:TextCode X="1" Y="4">{text}</ofd:TextCode></ofd:TextObject>'
                for k, (x, y, text) in enumerate(reversed(codes)))
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">'
                       f"{objects}</ofd:Layer></ofd:Content></ofd:Page>")
    return buf.getvalue()


def test_ofd_text_is_read_by_baseline_and_pages_in_the_documents_order():
    page_a = [(20, 30, PLAN[0]), (20, 45, PLAN[1]), (20, 55, "1.新建一批社区长者食堂,"), (75, 55.4, "覆盖主要街道。"),
              (20, 62, "(责任单位:区民政局、区商务委)")]
    page_b = [(20, 30, PLAN[3])]
    text = read_bytes(ofd_bytes([page_b, page_a], order=[1, 0]), "方案.ofd")
    lines = text.splitlines()
    assert lines[0] == PLAN[0]
    assert "1.新建一批社区长者食堂,覆盖主要街道。" in text
    assert text.index("长者食堂") < text.index("食品安全")
    plan = extract_bytes(ofd_bytes([page_a, page_b]), "方案.ofd")
    assert [t["units"] for t in plan["tasks"]] == [["区民政局", "区商务委"], ["区市场监管局"]]


def test_a_damaged_ofd_gets_one_chinese_message():
    data = ofd_bytes([[(20, 30, PLAN[0])]])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            if "Content" not in name:
                dst.writestr(name, src.read(name))
    with pytest.raises(ExtractionError, match="OFD"):
        read_bytes(broken.getvalue(), "方案.ofd")


# ---- zip limits ------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(ExtractionError, match="压缩炸弹"):
        read_bytes(buf.getvalue(), "方案.docx")


def test_a_zip_of_too_many_parts_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(5001):
            z.writestr(f"x/{i}", "")
    with pytest.raises(ExtractionError, match="部件"):
        read_bytes(buf.getvalue(), "表.xlsx")


# ---- spreadsheets ----------------------------------------------------------------------

def task_sheet() -> bytes:
    """A task list as offices keep it in Excel: a title row, a header, a merged category row, a merged lead cell."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分工"
    sheet.append(["社区食堂建设重点任务分工表"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["任务", "牵头单位", "配合单位", "完成时限"])
    sheet.append(["一、设施建设"])
    sheet.merge_cells("A4:D4")
    sheet.append(["新建社区长者食堂20家", "区民政局", "各街道办事处", "2027年6月底前"])
    sheet.append(["改造老旧小区助餐点", None, "区住房城乡建设委", "2027年12月底前"])
    sheet.merge_cells("B5:B6")
    sheet.append(["二、运营保障"])
    sheet.merge_cells("A7:D7")
    sheet.append(["建立食品安全季度抽检制度", "区市场监管局", "区卫生健康委", "2027年3月底前"])
    extra = book.create_sheet("空表")
    extra.append([None, None])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_a_workbook_becomes_pipe_rows_with_merged_cells_repeated():
    lines = read_bytes(task_sheet(), "分工表.xlsx").splitlines()
    assert lines[0] == "任务分工"
    assert "社区食堂建设重点任务分工表 |" in lines  # a row of one merged cell, as Word gives it
    assert "一、设施建设 |" in lines
    assert "任务 | 牵头单位 | 配合单位 | 完成时限" in lines
    assert "改造老旧小区助餐点 | 区民政局 | 区住房城乡建设委 | 2027年12月底前" in lines
    assert "空表" not in lines  # a sheet with nothing in it adds no caption


def test_tasks_are_extracted_from_a_workbook():
    plan = extract_bytes(task_sheet(), "分工表.xlsx")
    assert [t["text"] for t in plan["tasks"]] == ["新建社区长者食堂20家", "改造老旧小区助餐点", "建立食品安全季度抽检制度"]
    assert [t["lead"] for t in plan["tasks"]] == [["区民政局"], ["区民政局"], ["区市场监管局"]]
    assert plan["tasks"][1]["units"] == ["区民政局", "区住房城乡建设委"]
    assert [d["due"] for t in plan["tasks"] for d in t["deadlines"]] == ["2027-06-30", "2027-12-31", "2027-03-31"]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_a_csv_in_a_chinese_encoding_and_any_delimiter_becomes_pipe_rows(delimiter):
    rows = [["任务", "牵头单位", "完成时限"], ["新建社区长者食堂20家", "区民政局", "2027年6月底前"], ["", "", ""]]
    data = "\n".join(delimiter.join(r) for r in rows).encode("gb18030")
    assert read_bytes(data, "任务.csv").splitlines() == ["任务 | 牵头单位 | 完成时限", "新建社区长者食堂20家 | 区民政局 | 2027年6月底前"]


# ---- office-suite formats --------------------------------------------------------------

def _rtf(lines: list[str]) -> bytes:
    body = "\\par\n".join("".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in line) for line in lines)
    return ("{\\rtf1\\ansi\\deff0 " + body + "\\par}").encode("ascii")


def test_rtf_is_read_through_libreoffice():
    plan = extract_bytes(_rtf(PLAN), "方案.rtf")
    assert [t["units"] for t in plan["tasks"]] == [["区民政局", "区商务委"], ["区市场监管局"]]


def test_odt_and_ods_are_read_through_libreoffice(tmp_path):
    (tmp_path / "方案.txt").write_text("\n".join(PLAN), encoding="utf-8")
    odt = soffice(tmp_path / "方案.txt", "odt", tmp_path)
    assert "新建一批社区长者食堂" in read_bytes(odt.read_bytes(), "upload")  # told by its mimetype, not its name
    (tmp_path / "分工表.xlsx").write_bytes(task_sheet())
    ods = soffice(tmp_path / "分工表.xlsx", "ods", tmp_path)
    assert "任务 | 牵头单位 | 配合单位 | 完成时限" in read_bytes(ods.read_bytes(), "分工表.ods").splitlines()


def test_a_wps_file_saved_in_words_format_is_read(tmp_path):
    (tmp_path / "方案.txt").write_text("\n".join(PLAN), encoding="utf-8")
    doc = soffice(tmp_path / "方案.txt", "doc", tmp_path)
    plan = extract_bytes(doc.read_bytes(), "方案.wps")
    assert [t["units"] for t in plan["tasks"]] == [["区民政局", "区商务委"], ["区市场监管局"]]


def _fake_tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_without_libreoffice_an_old_doc_gets_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractionError, match="未安装 LibreOffice"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "方案.doc")


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    _fake_tool(tmp_path, "soffice", "sleep 60 & sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setattr(office, "CONVERT_TIMEOUT_S", 1)
    with pytest.raises(ExtractionError, match="转换超时"):
        read_bytes(_rtf(PLAN), "方案.rtf")


# ---- scanned PDFs ----------------------------------------------------------------------

def scanned_pdf(lines: list[str]) -> bytes:
    """A page of text as a scanner delivers it: an image and no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 40)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((160 if i else 400, 200 + i * 80), line, font=font, fill=0)
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=200.0)
    return buf.getvalue()


def test_a_scanned_pdf_is_read_by_ocr_page_by_page():
    calls: list[tuple[int, int]] = []
    plan = extract_bytes(scanned_pdf(PLAN), "扫描件.pdf", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 1), (1, 1)]
    assert [t["units"] for t in plan["tasks"]] == [["区民政局", "区商务委"], ["区市场监管局"]]
    assert "新建一批社区长者" in plan["tasks"][0]["text"]


def test_without_tesseract_a_scan_gets_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractionError, match="未安装 .*tesseract"):
        read_bytes(scanned_pdf(PLAN[:1]), "扫描件.pdf")


def test_a_page_that_ocr_cannot_finish_is_stopped(monkeypatch, tmp_path):
    _fake_tool(tmp_path, "tesseract", "sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_S", 1)
    with pytest.raises(ExtractionError, match="文字识别超时"):
        read_bytes(scanned_pdf(PLAN[:1]), "扫描件.pdf")


def test_ocr_blanks_between_chinese_characters_are_removed():
    assert ocr.clean_ocr("推 进 社 区 食 堂 建 设 , 到 2027 年 底 前 完 成 ( 区 民 政 局 )") == "推进社区食堂建设,到2027年底前完成(区民政局)"
    assert ocr.clean_ocr("PM 2.5 浓 度") == "PM 2.5浓度"


def test_every_accepted_extension_is_offered_once():
    assert len(set(ACCEPTED_EXTENSIONS)) == len(ACCEPTED_EXTENSIONS)
    assert {"doc", "wps", "xlsx", "xls", "et", "csv", "ofd", "pdf"} <= set(ACCEPTED_EXTENSIONS)


def _tsv(lines: list[tuple[int, int, str]]) -> str:
    """Tesseract's TSV for lines of (left, right, text), one word per line, 40 px high."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for i, (left, right, text) in enumerate(lines, start=1):
        rows.append(f"5\t1\t1\t1\t{i}\t1\t{left}\t{i * 60}\t{right - left}\t40\t95\t{text}")
    return "\n".join(rows)


def test_scanned_lines_are_joined_into_paragraphs_where_the_page_wrapped_them():
    page = ocr.page_paragraphs(_tsv([
        (160, 1500, "人口老龄化程度加剧,城镇人均用地不低于"),  # carries on the previous page's paragraph
        (160, 900, "0.1平方米。"),                              # a decimal, not a list number
        (160, 1500, "2 .完善食品安全抽检制度,每季度公布"),
        (160, 1500, "结果,并向社会公开。(责任单位:区市场"),
        (160, 700, "监管局)"),
        (240, 1500, "建立长者食堂运营补贴制度"),                 # indented: a new paragraph
    ]))
    assert page.text.splitlines() == [
        "人口老龄化程度加剧,城镇人均用地不低于0.1平方米。",
        "2.完善食品安全抽检制度,每季度公布结果,并向社会公开。(责任单位:区市场监管局)",
        "建立长者食堂运营补贴制度",
    ]
    assert page.continues and page.ends_full


def test_a_task_ends_at_its_responsibility_parenthetical_and_a_misread_bracket_is_mended():
    page = ocr.page_paragraphs(_tsv([
        (160, 1500, "完善社区食堂补贴办法,每年评估一次。《区民政局负责)"),
        (160, 1500, "加强食品安全抽检,每季度公布抽检结果,并向社会"),
        (160, 700, "公开。(区市场监管局牵头)"),
    ]))
    assert page.text.splitlines() == ["完善社区食堂补贴办法,每年评估一次。(区民政局负责)",
                                      "加强食品安全抽检,每季度公布抽检结果,并向社会公开。(区市场监管局牵头)"]
    assert ocr.clean_ocr("依据《社区食堂管理办法》执行") == "依据《社区食堂管理办法》执行"
