"""`python -m duban bench`: build a synthetic office at scale and print timing and memory figures as JSON lines."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from duban import clock
from duban.cli.common import add_today_option
from duban.errors import InputError

SIZES = {"full": (100, 10_000, 1_000_000), "small": (10, 1_000, 20_000)}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="性能基准:100 个规划 / 1 万项任务 / 100 万条填报(--small 为快速小规模)")
    p.add_argument("--small", action="store_true", help="小规模快速运行(10 个规划 / 1000 项任务 / 2 万条填报)")
    p.add_argument("--keep", metavar="FILE", help="把模拟数据库保存到此文件(已存在则直接复用)")
    add_today_option(p)
    p.set_defaults(handler=cmd_bench)


def _emit(row: dict) -> None:
    print(json.dumps(row, ensure_ascii=False), flush=True)


def cmd_bench(args: argparse.Namespace) -> int:
    plans, tasks, reports = SIZES["small" if args.small else "full"]
    today = clock.today(args.today) if args.today else dt.date(2026, 11, 22)
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        if not path.exists():
            # generated in a child process, so its memory does not count towards the app's peak
            result = subprocess.run(
                [sys.executable, "-m", "benchmarks.synthetic", str(path), "--plans", str(plans), "--tasks", str(tasks),
                 "--reports", str(reports), "--today", today.isoformat()],
                cwd=root, capture_output=True, text=True)
            if result.returncode != 0:
                raise InputError("生成模拟数据失败:" + (result.stderr.strip().splitlines() or ["未知错误"])[-1])
            generated = json.loads(result.stdout.strip().splitlines()[-1])
            _emit({"name": "generate_s", "value": generated["seconds"], "unit": "s"})
        from benchmarks.measure import measure

        for row in measure(path, today):
            _emit(row)
    try:
        from benchmarks import extract_speed, reading
    except ImportError:
        return 0
    rows = extract_speed.run()
    for row in rows if isinstance(rows, list) else [rows] if isinstance(rows, dict) else []:
        _emit(row)
    for row in reading.run():
        _emit(row)
    return 0
