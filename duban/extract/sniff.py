"""A document's type told from its first bytes, then its name; files that are no document are refused here."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from duban.extract.errors import ExtractionError
from duban.extract.limits import check_zip
from duban.extract.ofd import is_ofd

FORMATS_HINT = "请提供 .txt、.docx、.doc、.wps、.pdf、.ofd、.html、.xlsx、.xls 或 .csv 文件"
"""The formats named to the office when a file is not one of them."""

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


def sniff(data: bytes, filename: str) -> str:
    """The reader a file needs (pdf, docx, xlsx, ofd, doc, wps, rtf, odt, xls, et, ods, html, csv or text)."""
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


def office_suffix(data: bytes, kind: str) -> str:
    """WPS Office saves .wps/.et in Word's and Excel's binary formats: LibreOffice is told what the streams are."""
    if data[:8] == _OLE2 and kind in ("wps", "et"):
        if "WordDocument".encode("utf-16-le") in data:
            return ".doc"
        if "Workbook".encode("utf-16-le") in data:
            return ".xls"
    return "." + kind


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
        raise ExtractionError(f"这不是文本文件(看起来是 {kind.extension} 格式),{FORMATS_HINT}。")
