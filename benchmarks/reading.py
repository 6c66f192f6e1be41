"""Reading speed: seed plans read from .docx (MB/s of text out), and OCR seconds per scanned page."""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _scanned_page(text: str) -> bytes:
    """One A4 page at 200 dpi of the plan's opening lines, as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    chars = "".join(text.split())
    for i in range(26):
        draw.text((160, 160 + i * 78), chars[i * 33:(i + 1) * 33], font=font, fill=0)
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=200.0)
    return buf.getvalue()


def run(rounds: int = 3, ocr_pages: int = 2) -> list[dict]:
    """Read every seed plan as .docx `rounds` times, and OCR `ocr_pages` scanned pages; return bench records."""
    from duban.extract.ocr import missing_tools
    from duban.extract.reader import read_bytes

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seed").glob("[0-9][0-9][0-9]_*.txt"))]
    docs = [_docx(t) for t in texts]
    start = time.perf_counter()
    size = 0
    for _ in range(rounds):
        for data in docs:
            size += len(read_bytes(data, "plan.docx").encode("utf-8"))
    rows = [{"name": "read_docx_mb_per_s", "value": round(size / 1_000_000 / (time.perf_counter() - start), 3),
             "unit": "MB/s"}]
    if missing_tools() or not Path(FONT).exists():
        return rows
    scan = _scanned_page(texts[0])
    start = time.perf_counter()
    for _ in range(ocr_pages):
        read_bytes(scan, "scan.pdf")
    rows.append({"name": "ocr_seconds_per_page", "value": round((time.perf_counter() - start) / ocr_pages, 2),
                 "unit": "s"})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
