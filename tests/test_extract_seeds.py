"""The five seed plans extract to the gold labels: accuracy floors, scored by the shared scorer."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from duban.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seed").glob("[0-9][0-9][0-9]_*.txt"))


def _shared() -> Path:
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "tools" / "score_extraction.py").exists() and (candidate / "gold").is_dir():
            return candidate
    pytest.skip("shared/ (gold labels and scorer) is not beside the repository")


def _scorer():
    path = _shared() / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    return {p.stem: extract_file(p) for p in SEEDS}


def test_all_five_seed_plans_are_present():
    assert len(SEEDS) == 5


def test_seed_extraction_meets_the_accuracy_floors(extracted):
    scorer = _scorer()
    gold_dir = _shared() / "gold"
    total: dict[str, int] = {}
    for name, plan in extracted.items():
        gold = json.loads((gold_dir / f"{name}.json").read_text(encoding="utf-8"))
        for k, v in scorer.score_doc(gold, plan).items():
            total[k] = total.get(k, 0) + v
    task_f1 = scorer.prf(total["task_tp"], total["task_pred"], total["task_gold"])[2]
    unit_f1 = scorer.prf(total["unit_tp"], total["unit_pred"], total["unit_gold"])[2]
    deadline_f1 = scorer.prf(total["dl_tp"], total["dl_pred"], total["dl_gold"])[2]
    indicator_f1 = scorer.prf(total["ind_tp"], total["ind_pred"], total["ind_gold"])[2]
    assert task_f1 >= 0.98
    assert unit_f1 >= 0.97
    assert deadline_f1 >= 0.95
    assert indicator_f1 >= 0.95


def test_scorer_command_line_passes_on_written_predictions(extracted, tmp_path):
    import subprocess
    import sys

    for name, plan in extracted.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    shared = _shared()
    result = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_extraction.py"), str(shared / "gold"), str(tmp_path),
         "--min-task", "0.98", "--min-unit", "0.97", "--min-deadline", "0.95", "--min-indicator", "0.95"],
        capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr


def test_seed_metadata_matches_what_the_documents_say(extracted):
    gold_dir = _shared() / "gold"
    for name, plan in extracted.items():
        gold = json.loads((gold_dir / f"{name}.json").read_text(encoding="utf-8"))
        for field in ("source", "jurisdiction", "issuer", "title", "doc_number", "published", "period"):
            assert plan[field] == gold[field], (name, field)


def test_every_task_carries_text_ongoing_and_verbatim_phrases(extracted):
    for plan in extracted.values():
        for seq, task in enumerate(plan["tasks"], start=1):
            assert task["seq"] == seq
            assert isinstance(task["ongoing"], bool)
            assert task["title"] and task["title"] in task["text"]
            assert set(task["lead"]) <= set(task["units"])
            for d in task["deadlines"]:
                assert d["phrase"] in task["text"]
                assert d["kind"] in ("once", "recurring")


def test_zhengzhou_recurring_meeting_rules(extracted):
    task = next(t for t in extracted["003_72fb19ae38dc696d"]["tasks"] if t["title"] == "强化组织领导")
    kinds = [(d["kind"], d.get("freq")) for d in task["deadlines"]]
    assert kinds == [("recurring", "yearly"), ("recurring", "yearly"), ("recurring", "semiannual"),
                     ("recurring", "quarterly")]


def test_baotou_prefixes_restored_inside_lists(extracted):
    task = extracted["004_cd342d1f8881030e"]["tasks"][0]
    assert task["units"] == ["市民政局", "市住建局", "市卫健委", "各旗县区政府", "稀土高新区管委会"]
    assert task["deadlines"][0] == {"kind": "recurring", "freq": "yearly", "month": 5, "day": 31, "phrase": "每年五月底前"}


def test_speed_benchmark_reports_megabytes_per_second():
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks import extract_speed

    result = extract_speed.run(rounds=1)
    assert result["name"] == "extract_mb_per_s" and result["unit"] == "MB/s" and result["value"] > 0
