"""Every plan, handed in as an old Word .doc or as a scanned PDF, extracts as well as its text (slow: OCR).

Each seed and devset plan is saved as .doc by LibreOffice and printed to an image-only PDF; the .doc must
score exactly what the plain text scores, the scans must stay above the floors below.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from duban.extract import extract_file
from tests.forms_world import as_doc, as_scan

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SCAN_FLOORS = {"task": 0.90, "unit": 0.85, "dl": 0.60}


def _shared() -> Path:
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "tools" / "score_extraction.py").exists() and (candidate / "gold").is_dir():
            return candidate
    pytest.skip("shared/ (gold labels and scorer) is not beside the repository")


def _plans() -> list[tuple[Path, Path]]:
    shared = _shared()
    pairs = [(p, shared / "gold" / f"{p.stem}.json") for p in sorted((shared / "seeds").glob("*.txt"))]
    pairs += [(p, shared / "devset" / "gold" / f"{p.stem}.json") for p in sorted((shared / "devset" / "docs").glob("*.txt"))]
    return [(t, g) for t, g in pairs if g.exists()]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", _shared() / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def forms(tmp_path_factory) -> dict[str, dict[str, dict]]:
    """Each plan extracted from its text, its .doc and its scan (converted once per test session)."""
    for tool in ("soffice", "pdftoppm", "tesseract"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (.ci/run installs it)")
    work = tmp_path_factory.mktemp("forms")

    def one(pair: tuple[Path, Path]) -> tuple[str, dict[str, dict]]:
        txt, gold = pair
        folder = work / txt.stem
        folder.mkdir()
        return txt.stem, {
            "gold": json.loads(gold.read_text(encoding="utf-8")),
            "txt": extract_file(txt),
            "doc": extract_file(as_doc(txt, folder)),
            "scan": extract_file(as_scan(txt, folder)),
        }

    with ThreadPoolExecutor(max_workers=2) as pool:  # the work is in subprocesses: two run side by side
        return dict(pool.map(one, _plans()))


def _f1(scorer, counts: dict[str, int]) -> dict[str, float]:
    return {k: scorer.prf(counts[f"{k}_tp"], counts[f"{k}_pred"], counts[f"{k}_gold"])[2] for k in ("task", "unit", "dl")}


def test_every_seed_and_devset_plan_is_converted(forms):
    assert len(forms) == len(_plans()) >= 12


def test_an_old_word_doc_extracts_exactly_as_its_text(forms):
    scorer = _scorer()
    for name, f in forms.items():
        assert scorer.score_doc(f["gold"], f["doc"]) == scorer.score_doc(f["gold"], f["txt"]), name
        assert [t["text"] for t in f["doc"]["tasks"]] == [t["text"] for t in f["txt"]["tasks"]], name


def test_scanned_plans_read_by_ocr_meet_the_floors(forms):
    scorer = _scorer()
    total: dict[str, int] = {}
    for f in forms.values():
        for k, v in scorer.score_doc(f["gold"], f["scan"]).items():
            total[k] = total.get(k, 0) + v
    f1 = _f1(scorer, total)
    for key, floor in SCAN_FLOORS.items():
        assert f1[key] >= floor, (key, round(f1[key], 3), floor)
