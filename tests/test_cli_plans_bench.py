"""`python -m duban bench --small` prints every figure as a JSON line (no timing is asserted)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_small_prints_the_named_figures(tmp_path):
    keep = tmp_path / "bench.db"
    result = subprocess.run([sys.executable, "-m", "duban", "bench", "--small", "--keep", str(keep)], cwd=ROOT,
                            env={**os.environ, "DUBAN_DB": str(tmp_path / "unused.db")}, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    figures = {r["name"]: r for r in rows}
    for name in ("overview_query_ms", "overview_naive_full_scan_ms", "overdue_scan_ms", "peak_memory_mb", "tasks",
                 "reports", "docx_read_seconds_40k_paragraphs", "txt_read_seconds_40k_paragraphs"):
        assert name in figures and figures[name]["value"] >= 0 and figures[name]["unit"]
    if (ROOT / "pages" / "overview.py").exists():
        assert figures["overview_page_run_ms"]["value"] > 0
    assert figures["tasks"]["value"] == 1000 and figures["reports"]["value"] == 20000
    assert figures["overdue_flagged"]["value"] > 0
