"""`python -m duban <command>`: each command is a thin skin over one service function.

Each module in COMMANDS defines `register(subparsers)` adding its subcommands; a subcommand's
handler returns the exit status. A DubanError becomes one Chinese line on stderr and status 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from duban.errors import DubanError

COMMANDS = [
    "duban.cli.extract_cmd",
    "duban.cli.plans_cmd",
    "duban.cli.users_cmd",
    "duban.cli.reminders_cmd",
    "duban.cli.meetings_cmd",
    "duban.cli.dispatch_cmd",
    "duban.cli.indicators_cmd",
    "duban.cli.backup_cmd",
    "duban.cli.status_cmd",
    "duban.cli.bundle_cmd",
    "duban.cli.bench_cmd",
    "duban.cli.serve_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m duban", description="督办:规划任务责任分解与提醒")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except DubanError as e:
        print(f"错误:{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
