"""File bytes -> plain text lines, whatever form a plan arrives in (see ACCEPTED_EXTENSIONS).

Tables become one line per row with cells joined by " | ", the form the table parsers read. This module checks
the size, asks `sniff` what the file is and hands it to that format's reader: `pdf`, `html`, `textfile`
(plain text and CSV's encoding), `word`, `sheets`, `ofd`, with `office` converting the older formats.
"""
from __future__ import annotations

from pathlib import Path

from duban.extract.errors import ExtractionError
from duban.extract.html import html_text
from duban.extract.limits import check_zip
from duban.extract.normalize import clean_source
from duban.extract.ocr import Progress
from duban.extract.ofd import ofd_text
from duban.extract.office import convert
from duban.extract.pdf import pdf_text, reflow
from duban.extract.sheets import csv_text, xlsx_text
from duban.extract.sniff import office_suffix, sniff
from duban.extract.textfile import decode_text
from duban.extract.word import docx_text

MAX_BYTES = 20 * 1024 * 1024


ACCEPTED_EXTENSIONS: tuple[str, ...] = (
    "txt", "docx", "doc", "wps", "rtf", "odt", "pdf", "ofd", "html", "htm", "xlsx", "xls", "et", "ods", "csv",
)
"""The file types an office may hand in (without the dot): the import page and the CLI offer exactly these."""


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
    kind = sniff(data, filename)
    if kind == "pdf":
        text = pdf_text(data, progress)
    elif kind == "docx":
        text = docx_text(data)
    elif kind == "xlsx":
        text = xlsx_text(data)
    elif kind == "ofd":
        text = reflow(ofd_text(data))
    elif kind in ("doc", "wps", "rtf", "odt"):
        text = docx_text(_converted(data, office_suffix(data, kind), "docx"))
    elif kind in ("xls", "et", "ods"):
        text = xlsx_text(_converted(data, office_suffix(data, kind), "xlsx"))
    elif kind == "html":
        text = html_text(data)
    elif kind == "csv":
        text = csv_text(decode_text(data))
    else:
        text = decode_text(data)
    text = clean_source(text)
    if not text.strip():
        raise ExtractionError("文件中没有可读取的文字。")
    return text



def _converted(data: bytes, suffix: str, target: str) -> bytes:
    out = convert(data, suffix, target)
    check_zip(out, damaged=f"LibreOffice 转换 {suffix} 文件的结果无法读取。")
    return out


def _too_large(size: int) -> str:
    return f"文件过大({size / 1024 / 1024:.1f} MB),单个规划文件不能超过 {MAX_BYTES // 1024 // 1024} MB。"
