"""Scanned pages -> text: each page rendered by poppler's pdftoppm and read by Tesseract (chi_sim).

Tesseract was chosen over a Python OCR package that ships its models (RapidOCR on ONNX Runtime):
on the same scanned page it read as accurately (99.7–99.8 % of characters), about six times faster
on two cores, and needs two Debian packages rather than ~500 MB of wheels. See README, "Scanned PDFs".
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from duban.extract.errors import ExtractionError
from duban.extract.office import run_limited

Progress = Callable[[int, int], None]

DPI = 200  # measured: 300 dpi read no better than 150–200 and took twice as long
LANGUAGE = "chi_sim"
PAGE_SEGMENTATION = "6"  # one block of text per page: keeps a single-column plan's line order
PAGE_TIMEOUT_S = 120
MAX_OCR_PAGES = 300

_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’《》〈〉—…·"
_GAP_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}0-9A-Za-z(\[%,.;:!?)\]])")
_GAP_BEFORE_CJK = re.compile(rf"(?<=[0-9A-Za-z()\[\]%.,;:])[ \t]+(?=[{_CJK}])")


def missing_tools() -> list[str]:
    """The OCR commands this machine lacks (pdftoppm renders the page, tesseract reads it)."""
    return [name for name in ("pdftoppm", "tesseract") if shutil.which(name) is None]


@dataclass
class OcrPage:
    """One page read by OCR: its paragraphs, whether its first line looks like a paragraph's carrying on, and whether
    its last line runs to the right margin (so the paragraph may go on over the page)."""

    text: str
    continues: bool
    ends_full: bool = False


def ocr_pages(pdf: bytes, pages: list[int], progress: Progress | None = None,
              dpi: int | None = None, timeout: float | None = None) -> dict[int, OcrPage]:
    """Read the given 1-based pages of a PDF by OCR, reporting progress(done, total) after each page."""
    dpi = DPI if dpi is None else dpi
    timeout = PAGE_TIMEOUT_S if timeout is None else timeout
    missing = missing_tools()
    if missing:
        raise ExtractionError(
            "这是扫描件 PDF(没有文字层),需要文字识别(OCR),但本机未安装 " + "、".join(missing)
            + "。请管理员安装 tesseract-ocr、tesseract-ocr-chi-sim 和 poppler-utils,或提供 Word/文本版本。")
    if len(pages) > MAX_OCR_PAGES:
        raise ExtractionError(f"扫描件共 {len(pages)} 页需要文字识别,超过 {MAX_OCR_PAGES} 页的上限,请拆分后再导入。")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # OpenMP threads only spin against each other on a busy machine
    out: dict[int, OcrPage] = {}
    with tempfile.TemporaryDirectory(prefix="duban-ocr-") as tmp:
        source = Path(tmp) / "scan.pdf"
        source.write_bytes(pdf)
        if progress:
            progress(0, len(pages))
        for done, number in enumerate(pages, start=1):
            image = Path(tmp) / f"page-{number}"
            render = run_limited(
                ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(number), "-l", str(number), "-singlefile",
                 str(source), str(image)], timeout, env=env,
                on_timeout=f"文字识别超时:第 {number} 页在 {timeout:.0f} 秒内没有完成渲染。")
            png = image.with_suffix(".png")
            if render.returncode != 0 or not png.exists():
                raise ExtractionError(f"扫描件第 {number} 页无法渲染为图片,PDF 可能已损坏。")
            result = run_limited(
                ["tesseract", str(png), "-", "-l", LANGUAGE, "--psm", PAGE_SEGMENTATION, "tsv"], timeout, env=env,
                on_timeout=f"文字识别超时:第 {number} 页在 {timeout:.0f} 秒内没有识别完成。")
            if result.returncode != 0:
                message = result.stderr.decode("utf-8", "replace")
                if "Failed loading language" in message or "Error opening data file" in message:
                    raise ExtractionError("文字识别缺少中文识别数据,请管理员安装 tesseract-ocr-chi-sim。")
                raise ExtractionError(f"扫描件第 {number} 页文字识别失败。")
            out[number] = page_paragraphs(result.stdout.decode("utf-8", "replace"))
            png.unlink()
            if progress:
                progress(done, len(pages))
    return out


@dataclass
class _Line:
    text: str
    left: int
    right: int
    height: int


def page_paragraphs(tsv: str) -> OcrPage:
    """Tesseract's word boxes -> paragraphs: a line starts a paragraph when it is indented, follows a line that
    stops short of the right margin, or opens with a heading label; otherwise it carries on the line above."""
    lines = _tsv_lines(tsv)
    if not lines:
        return OcrPage("", False)
    height = statistics.median(ln.height for ln in lines)
    lefts = sorted(ln.left for ln in lines)
    margin_left = lefts[len(lefts) // 5]  # most lines start at the margin; a low percentile ignores stray marks
    margin_right = sorted(ln.right for ln in lines)[-max(1, len(lines) // 5)]
    paragraphs: list[str] = []
    continues = False
    previous: _Line | None = None
    for line in lines:
        indented = line.left > margin_left + 1.2 * height
        starts = indented or LABEL_START.match(line.text) is not None
        if previous is None:
            continues = not starts
            paragraphs.append(line.text)
        elif starts or previous.right < margin_right - 1.5 * height or _CLOSES_TASK.search(previous.text):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = clean_ocr(paragraphs[-1] + " " + line.text)
        previous = line
    return OcrPage("\n".join(paragraphs), continues, previous.right >= margin_right - 1.5 * height)


_CLOSES_TASK = re.compile(r"(?:负责|牵头)[))]$|[((《]\s*(?:责任|牵头|配合)单位[^()()]*[))]$")
"""A line ending in a responsibility parenthetical ends its task's paragraph, even at the right margin."""

LABEL_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.,,]|[((][一二三四五六七八九十\d]+[))]|\d{1,2}[.．、,，](?!\d)|第[一二三四五六七八九十\d]+[章节条]|附件|——|一一)")


def _tsv_lines(tsv: str) -> list[_Line]:
    words: dict[tuple[str, str, str], list[tuple[int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, width, height = int(cols[6]), int(cols[8]), int(cols[9])
        except ValueError:
            continue
        words.setdefault((cols[2], cols[3], cols[4]), []).append((left, width, height, cols[11].strip()))
    lines = []
    for key in sorted(words, key=lambda k: tuple(int(x) for x in k)):
        ws = words[key]
        text = clean_ocr(" ".join(w[3] for w in ws))
        if text:
            lines.append(_Line(_fix_label(text), min(w[0] for w in ws), max(w[0] + w[1] for w in ws),
                               max(1, int(statistics.median(w[2] for w in ws)))))
    return lines


_MISREAD_LABEL = re.compile(r"^(\d{1,2})\s*[.．,，]\s*(?=[\u4e00-\u9fff])")


def _fix_label(line: str) -> str:
    """A list number's full stop that OCR read as a comma or set apart ("1，提升…", "2 .增强…" for "1.提升…")."""
    return _MISREAD_LABEL.sub(r"\1.", line)


_MISREAD_OPEN = re.compile(r"《(?=[^《》()()]{1,80}[))])")
"""An opening parenthesis OCR read as 《 : the bracket is closed by ) and not by 》."""


def clean_ocr(text: str) -> str:
    """Remove the blanks OCR puts between Chinese characters (and between them and digits); drop empty lines."""
    lines = []
    for line in text.replace("\f", "\n").splitlines():
        line = _GAP_BEFORE_CJK.sub("", _GAP_AFTER_CJK.sub("", line.strip()))
        line = _MISREAD_OPEN.sub("(", line)
        if line:
            lines.append(line)
    return "\n".join(lines)
