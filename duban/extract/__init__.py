"""Plan document -> structured plan (the gold format of shared/gold/SCHEMA.md).

extract_file / extract_bytes / extract_text return a dict with the document's metadata, its tasks
(each with units, lead, deadlines, full text and an ongoing flag) and its indicators.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from duban.extract.errors import ExtractionError
from duban.extract.ocr import Progress
from duban.extract.pipeline import extract_plan
from duban.extract.reader import ACCEPTED_EXTENSIONS, read_bytes, read_path
from duban.extract.units import canonical_department

__all__ = ["ACCEPTED_EXTENSIONS", "ExtractionError", "canonical_department", "extract_bytes", "extract_file", "extract_text"]


def extract_file(path: str | Path, reference_date: date | None = None, *, progress: Progress | None = None) -> dict:
    """Read and extract a plan document from disk (any of reader.ACCEPTED_EXTENSIONS)."""
    p = Path(path)
    return extract_plan(read_path(p, progress=progress), p.name, reference_date)


def extract_bytes(data: bytes, filename: str, reference_date: date | None = None, *,
                  progress: Progress | None = None) -> dict:
    """Extract a plan from a document's bytes (an upload); the filename only hints at the format.

    `progress(done, total)` is called page by page while a scanned PDF is read by OCR.
    """
    return extract_plan(read_bytes(data, filename, progress=progress), Path(filename).name, reference_date)


def extract_text(text: str, source_name: str, reference_date: date | None = None) -> dict:
    """Extract a plan from text already read."""
    from duban.extract.normalize import clean_source

    return extract_plan(clean_source(text), source_name, reference_date)
