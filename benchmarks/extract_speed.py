"""Extraction speed: all five seed plans extracted in one process, reported in MB/s (target >= 1 MB/s)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run(rounds: int = 5) -> dict:
    """Extract every seed plan `rounds` times; return the throughput as a bench record."""
    from duban.extract import extract_bytes

    docs = [(p.name, p.read_bytes()) for p in sorted((ROOT / "seed").glob("[0-9][0-9][0-9]_*.txt"))]
    for name, data in docs:  # warm up: regexes compiled, modules imported
        extract_bytes(data, name)
    size = sum(len(d) for _, d in docs) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in docs:
            extract_bytes(data, name)
    elapsed = time.perf_counter() - start
    return {"name": "extract_mb_per_s", "value": round(size / 1_000_000 / elapsed, 3), "unit": "MB/s"}


if __name__ == "__main__":
    result = run()
    print(f"extract: {result['value']} {result['unit']} (five seed plans, {5} rounds)")
