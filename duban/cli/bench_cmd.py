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
    p.add_argument("--load", action=argparse.BooleanOptionalAction, default=None,
                   help="演示规模的页面运行时间和经 nginx 的并发负载测试(完整运行默认进行,--small 默认不进行)")
    add_today_option(p)
    p.set_defaults(handler=cmd_bench)


def _emit(row: dict) -> None:
    print(json.dumps(row, ensure_ascii=False), flush=True)


def _demo_size(path: Path, today: dt.date) -> None:
    """Page runs at demo size, then 50 sessions through `serve` with 2 workers and with 1 (see benchmarks/load.py)."""
    from benchmarks import load
    from benchmarks.measure import demo_page_runs

    load.make_demo_db(path, today)
    for row in demo_page_runs(path, today):
        _emit(row)
    for workers in (2, 1):
        for r in load.measure(path, workers, sessions=50, views=6, env={"DUBAN_TODAY": today.isoformat()}):
            prefix = f"load_{workers}w"
            _emit({"name": f"{prefix}_p50_s", "value": r["p50_s"], "unit": "s"})
            _emit({"name": f"{prefix}_p95_s", "value": r["p95_s"], "unit": "s"})
            _emit({"name": f"{prefix}_max_s", "value": r["max_s"], "unit": "s"})
            _emit({"name": f"{prefix}_errors", "value": r["errors"], "unit": "errors",
                   "detail": f"{r['sessions']} 个会话各 {r['views'] // max(1, r['sessions'])} 次页面浏览,"
                             f"共 {r['views']} 次,用时 {r['wall_s']} 秒" + (f";{r['first_errors']}" if r["errors"] else "")})


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
        if args.load if args.load is not None else not args.small:
            _demo_size(Path(tmp) / "demo.db", today)
    from benchmarks import docx_read, extract_speed, reading

    for row in docx_read.run():  # a long Word file against the same text as .txt (target <= 3 s)
        _emit(row)
    rows = extract_speed.run()
    for row in rows if isinstance(rows, list) else [rows] if isinstance(rows, dict) else []:
        _emit(row)
    for row in reading.run():
        _emit(row)
    return 0
