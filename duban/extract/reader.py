"""File bytes -> plain text lines, whatever form a plan arrives in (see ACCEPTED_EXTENSIONS).

Tables become one line per row with cells joined by " | ", the form the table parsers read.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from duban.extract.errors import ExtractionError
from duban.extract.limits import check_zip
from duban.extract.normalize import clean_source
from duban.extract.ocr import Progress, ocr_pages
from duban.extract.ofd import is_ofd, ofd_text
from duban.extract.office import convert
from duban.extract.sheets import csv_text, xlsx_text
from duban.extract.word import cell_text, docx_text, pipe_row

MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PAGE_NUMBER = re.compile(r"^\s*[-—–]*\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*[-—–]*\s*$")


ACCEPTED_EXTENSIONS: tuple[str, ...] = (
    "txt", "docx", "doc", "wps", "rtf", "odt", "pdf", "ofd", "html", "htm", "xlsx", "xls", "et", "ods", "csv",
)
"""The file types an office may hand in (without the dot): the import page and the CLI offer exactly these."""

_FORMATS_HINT = "请提供 .txt、.docx、.doc、.wps、.pdf、.ofd、.html、.xlsx、.xls 或 .csv 文件"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_DAMAGED = {
    ".docx": "Word 文件已损坏或不完整,无法读取。",
    ".xlsx": "Excel 文件已损坏或不完整,无法读取。",
    ".ofd": "OFD 文件已损坏或不完整,无法读取。",
    ".odt": "ODT 文件已损坏或不完整,无法读取。",
    ".ods": "ODS 文件已损坏或不完整,无法读取。",
}


def read_path(path: str | Path, *, progress: Progress | None = None) -> str:
    """Read a file from disk, refusing what is missing, a folder or too large before loading it."""
    p = Path(path)
    if not p.exists():
        raise ExtractionError(f"找不到文件:{p}")
    if p.is_dir():
        raise ExtractionError(f"{p} 是文件夹,不是文件。")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ExtractionError(_too_large(size))
        data = p.read_bytes()
    except OSError as e:
        raise ExtractionError(f"无法读取文件:{p}({e.strerror or '读取失败'})") from e
    return read_bytes(data, p.name, progress=progress)


def read_bytes(data: bytes, filename: str, *, progress: Progress | None = None) -> str:
    """Turn a document's bytes into text; the format is sniffed from the content, then the name.

    `progress(done, total)` is called page by page while a scanned PDF is read by OCR (the slow case).
    """
    if len(data) > MAX_BYTES:
        raise ExtractionError(_too_large(len(data)))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ExtractionError("文件为空,没有可读取的内容。")
    kind = _sniff(data, filename)
    if kind == "pdf":
        text = _pdf_text(data, progress)
    elif kind == "docx":
        text = docx_text(data)
    elif kind == "xlsx":
        text = xlsx_text(data)
    elif kind == "ofd":
        text = _reflow(ofd_text(data))
    elif kind in ("doc", "wps", "rtf", "odt"):
        text = docx_text(_converted(data, _office_suffix(data, kind), "docx"))
    elif kind in ("xls", "et", "ods"):
        text = xlsx_text(_converted(data, _office_suffix(data, kind), "xlsx"))
    elif kind == "html":
        text = _html_text(data)
    elif kind == "csv":
        text = csv_text(_decode_text(data))
    else:
        text = _decode_text(data)
    text = clean_source(text)
    if not text.strip():
        raise ExtractionError("文件中没有可读取的文字。")
    return text


def _office_suffix(data: bytes, kind: str) -> str:
    """WPS Office saves .wps/.et in Word's and Excel's binary formats: LibreOffice is told what the streams are."""
    if data[:8] == _OLE2 and kind in ("wps", "et"):
        if "WordDocument".encode("utf-16-le") in data:
            return ".doc"
        if "Workbook".encode("utf-16-le") in data:
            return ".xls"
    return "." + kind


def _converted(data: bytes, suffix: str, target: str) -> bytes:
    out = convert(data, suffix, target)
    check_zip(out, damaged=f"LibreOffice 转换 {suffix} 文件的结果无法读取。")
    return out


def _too_large(size: int) -> str:
    return f"文件过大({size / 1024 / 1024:.1f} MB),单个规划文件不能超过 {MAX_BYTES // 1024 // 1024} MB。"


def _sniff(data: bytes, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    head = data[:1024].lstrip().lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _sniff_zip(data, ext)
    if data[:8] == _OLE2:
        return _sniff_ole(data, ext)
    if data[:5] == b"{\\rtf":
        return "rtf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or ext in (".html", ".htm", ".xhtml"):
        return "html"
    if ext in _DAMAGED or ext in (".pdf", ".xls", ".et"):
        name = {".pdf": "PDF", ".xls": "Excel", ".et": "WPS 表格"}.get(ext, "")
        raise ExtractionError(_DAMAGED.get(ext) or f"{name} 文件已损坏或不完整,无法读取。")
    if ext in (".doc", ".wps"):
        return ext[1:]  # an old WPS or Word format LibreOffice may still read
    _refuse_known_binary(data)
    if ext in (".csv", ".tsv"):
        return "csv"
    return "text"


def _sniff_zip(data: bytes, ext: str) -> str:
    names = check_zip(data, damaged=_DAMAGED.get(ext, "文件已损坏或不完整(压缩包无法打开),无法读取。"))
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if is_ofd(names):
        return "ofd"
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip()
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
    if ext == ".xlsx":
        raise ExtractionError("这是一个压缩文件,不是 Excel(.xlsx)工作簿。")
    return "docx"  # the Word reader refuses other zips in words the office knows


def _sniff_ole(data: bytes, ext: str) -> str:
    """An OLE2 compound file: Word/WPS text or an Excel/WPS sheet, told by the name, else by its streams."""
    if ext in (".doc", ".wps", ".xls", ".et"):
        return ext[1:]
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if any(s.encode("utf-16-le") in data for s in ("Workbook", "Book")):
        return "xls"
    raise ExtractionError("无法识别这个 Office 旧版文件的类型,请另存为 .docx 或 .xlsx 后再导入。")


def _refuse_known_binary(data: bytes) -> None:
    import filetype

    kind = filetype.guess(data[:8192])
    if kind is not None and not kind.mime.startswith("text/"):
        raise ExtractionError(f"这不是文本文件(看起来是 {kind.extension} 格式),{_FORMATS_HINT}。")


# ---- plain text -------------------------------------------------------------------------

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise ExtractionError(f"文件声明为 {encoding.upper()} 编码,但内容无法按此编码读取。") from e
    if b"\x00" not in data:
        try:
            return _check_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("gb18030")
            if _plausible_chinese(text):
                return _check_text(text)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("无法识别文件的文字编码,这可能不是文本文件。")
    return _check_text(str(best))


_COMMON = set("的一是在不了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可主发年动同工也能下过子产种面而方后"
              "多定行学法所民得经十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开合还因"
              "由其些然前外天政四日社义事平形相全表间样与关各重新内数正心明原又利比或质第向道此变条结解问意建月公无系很者最立"
              "代已通并提直题党程展五果员位入常文总次品式活设及管特件长求老基资级少统接知较将组见计别期论农指区强放决必先则任"
              "取据府养服务育托市县局委障保健康护理机构照幼婴儿街道乡镇推进完善加快落实责任单位")


def _plausible_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese rather than another encoding's bytes."""
    cjk = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    return not cjk or sum(c in _COMMON for c in cjk) >= 0.2 * len(cjk)


def _check_text(text: str) -> str:
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ExtractionError(f"这不是文本文件(含有大量不可显示的字符),{_FORMATS_HINT}。")
    return text


# ---- PDF --------------------------------------------------------------------------------

def _pdf_text(data: bytes, progress: Progress | None = None) -> str:
    """The text layer page by page; pages that carry only an image (a scan) are read by OCR."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("PDF 文件已加密,请先解除密码保护。")
        pages = [page.extract_text() or "" for page in reader.pages]
        scanned = [i + 1 for i, page in enumerate(reader.pages)
                   if len("".join(pages[i].split())) < _SCANNED_PAGE_CHARS and _has_images(page)]
    except ExtractionError:
        raise
    except Exception as e:  # pypdf raises many kinds on a damaged file
        raise ExtractionError("PDF 文件已损坏或不完整,无法读取。") from e
    if not scanned:
        if sum(len("".join(p.split())) for p in pages) < 20:
            raise ExtractionError("PDF 中没有文字层,也没有可识别的扫描图像,无法读取文字;请提供 Word/文本版本。")
        return _reflow("\n".join(pages))
    read = ocr_pages(data, scanned, progress)
    chunks: list[str] = []
    runs_on = False
    for number, layer in enumerate(pages, start=1):
        page = read.get(number)
        if page is None:
            chunks.append(_reflow(layer))
            runs_on = False
            continue
        if runs_on and page.continues and chunks and chunks[-1] and page.text:
            chunks[-1] += page.text  # the paragraph runs on from the previous page
        else:
            chunks.append(page.text)
        runs_on = page.ends_full
    text = "\n".join(c for c in chunks if c)
    if len("".join(text.split())) < 20:
        raise ExtractionError("扫描件 PDF 经文字识别(OCR)后仍没有可读取的文字,请提供更清晰的扫描件或 Word/文本版本。")
    return text


_SCANNED_PAGE_CHARS = 10


def _has_images(page) -> bool:
    try:
        resources = page.get("/Resources") or {}
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        return bool(resources.get("/XObject"))
    except Exception:  # a damaged resource dictionary: treat the page as text only
        return False


_BREAK_AFTER = "。;;::!!??)）”\"|"
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[((（][一二三四五六七八九十\d]+[)）]|\d+[.．、]|第[一二三四五六七八九十\d]+[章节条]|附件|表\s*\d)")


_OWN_LINE = re.compile(  # a 文号 or a date: lines of their own that a wrapped title must not swallow
    r"^\s*[\u4e00-\u9fa5]{1,14}[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*\d{1,4}\s*号\s*$|"
    r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _reflow(text: str) -> str:
    """Join lines a PDF wrapped at the page edge back into paragraphs."""
    lines = [ln.rstrip() for ln in text.split("\n") if ln.strip() and not _PAGE_NUMBER.match(ln)]
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    if not widths:
        return text
    full = widths[int(len(widths) * 0.9)] if len(widths) > 5 else widths[-1]
    out: list[str] = []
    last_len = 0
    for line in lines:
        stripped = line.strip()
        if (out and stripped and "|" not in stripped and not _HEADING_START.match(stripped)
                and not _OWN_LINE.match(stripped)
                and out[-1][-1] not in _BREAK_AFTER and last_len >= full * 0.8):
            out[-1] += stripped
        else:
            out.append(stripped)
        last_len = len(stripped)
    return "\n".join(out)


# ---- HTML -------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "br", "hr", "center", "form", "figure", "figcaption",
    "caption", "address", "nav",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "button", "select", "option"}


def _html_text(data: bytes) -> str:
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
