"""A PDF's text layer page by page, scanned pages read by OCR, and lines wrapped at a fixed page's edge rejoined."""
from __future__ import annotations

import io
import re

from duban.extract.errors import ExtractionError
from duban.extract.ocr import Progress, ocr_pages

_PAGE_NUMBER = re.compile(r"^\s*[-—–]*\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*[-—–]*\s*$")


def pdf_text(data: bytes, progress: Progress | None = None) -> str:
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
        return reflow("\n".join(pages))
    read = ocr_pages(data, scanned, progress)
    chunks: list[str] = []
    runs_on = False
    for number, layer in enumerate(pages, start=1):
        page = read.get(number)
        if page is None:
            chunks.append(reflow(layer))
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


def reflow(text: str) -> str:
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
