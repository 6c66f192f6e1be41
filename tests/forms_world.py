"""Plans written in the forms offices hand in: a .doc saved by an office suite, a scanned (image-only) PDF."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

SCAN_DPI = 150


def soffice(source: Path, target: str, out_dir: Path) -> Path:
    """Convert one file with LibreOffice headless, in a private profile."""
    with tempfile.TemporaryDirectory(prefix="duban-test-office-") as profile:
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
             "--convert-to", target, "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=profile))
    return out_dir / f"{source.stem}.{target.split(':')[0]}"


def as_doc(txt: Path, work: Path) -> Path:
    """The plan as a Word 97 .doc, as an older office saves it."""
    return soffice(_copy(txt, work), "doc", work)


def as_scan(txt: Path, work: Path, dpi: int = SCAN_DPI) -> Path:
    """The plan printed and scanned: pages rendered to grey images and bound into a PDF with no text layer."""
    from PIL import Image

    pdf = soffice(_copy(txt, work), "pdf", work)
    stem = work / f"{txt.stem}-page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(stem)], check=True, timeout=300)
    pages = sorted(work.glob(f"{stem.name}-*.png"))
    images = [Image.open(p) for p in pages]
    scan = work / f"{txt.stem}-scan.pdf"
    images[0].save(scan, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    for image, path in zip(images, pages, strict=True):
        image.close()
        path.unlink()
    return scan


def _copy(txt: Path, work: Path) -> Path:
    target = work / txt.name
    if not target.exists():
        target.write_bytes(txt.read_bytes())
    return target
