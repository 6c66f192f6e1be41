"""Real plans in other layouts (national 意见 and 通知, district and municipal 方案) and the seed plans
extract to their hand-made labels: the shared scorer, run as a command on written predictions."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["--min-task", "0.98", "--min-unit", "0.97", "--min-deadline", "0.95"]


def _shared() -> Path:
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "tools" / "score_extraction.py").exists() and (candidate / "devset" / "gold").is_dir():
            return candidate
    pytest.skip("shared/ (the development plans, their labels and the scorer) is not beside the repository")


def _score(docs: list[Path], gold: Path, out: Path) -> subprocess.CompletedProcess:
    out.mkdir()
    for doc in docs:
        plan = extract_file(doc)
        (out / f"{doc.stem}.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    scorer = _shared() / "tools" / "score_extraction.py"
    return subprocess.run([sys.executable, str(scorer), str(gold), str(out), *FLOORS],
                          capture_output=True, text=True, timeout=120)


def test_development_plans_meet_the_floors(tmp_path):
    shared = _shared()
    docs = sorted((shared / "devset" / "docs").glob("*.txt"))
    assert len(docs) == 7
    result = _score(docs, shared / "devset" / "gold", tmp_path / "dev")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "below floor" not in result.stdout


def test_seed_plans_meet_the_floors(tmp_path):
    shared = _shared()
    docs = sorted((ROOT / "seed").glob("[0-9][0-9][0-9]_*.txt"))
    assert len(docs) == 5
    result = _score(docs, shared / "gold", tmp_path / "seeds")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_task_carries_its_review_flags(tmp_path):
    shared = _shared()
    plan = extract_file(shared / "devset" / "docs" / "guofa_2019_3_zongbao.txt")
    assert plan["meta_flags"] == []
    assert all(isinstance(t["flags"], list) for t in plan["tasks"])
    # the plan states "the first listed leads" once, so no lead is a guess
    assert not any(f["code"] == "lead_guessed" for t in plan["tasks"] for f in t["flags"])
