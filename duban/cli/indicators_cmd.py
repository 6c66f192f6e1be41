"""`python -m duban indicators`: the plans' indicators with their latest actuals and lights, as a table."""
from __future__ import annotations

import argparse
import unicodedata

from duban import clock
from duban.cli.common import acting_actor, add_db_option, add_today_option, add_user_option, open_db
from duban.rules.indicators import GREY
from duban.services import indicators
from duban.services.indicators import summary

COLUMNS = [("灯", 2), ("地区", 6), ("类别", 4), ("指标", 30), ("基期", 12), ("目标", 14), ("最新实际", 14),
           ("性质", 6), ("状态", 8)]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("indicators", help="列出规划指标及其进度(红黄绿灯)",
                       description="列出规划指标:基期、目标、最新实际值、是否按期推进。")
    p.add_argument("--plan", type=int, help="只看这个规划(规划编号)")
    p.add_argument("--off-course", action="store_true", help="只看偏离进度或到期未达标的指标")
    add_user_option(p)
    add_db_option(p)
    add_today_option(p)
    p.set_defaults(handler=run)


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, cols: int) -> str:
    """Cut to `cols` display columns (with … when cut) and pad to exactly that width."""
    text = text or ""
    if width(text) > cols:
        out = ""
        for c in text:
            if width(out + c) > cols - 1:
                break
            out += c
        text = out + "…"
    return text + " " * (cols - width(text))


def _with_year(value: str | None, year: int | None) -> str:
    if not value:
        return "—"
    return f"{value}({year})" if year else value


def run(args: argparse.Namespace) -> int:
    today = clock.today(args.today)
    db = open_db(args)
    actor = acting_actor(db, args)
    if args.off_course:
        rows = indicators.off_course(db, actor, today, plan_id=args.plan)
    else:
        rows = indicators.list_indicators(db, actor, today, plan_id=args.plan)
    if not rows:
        print("没有偏离进度的指标。" if args.off_course else "没有找到指标。")
        return 0
    print("  ".join(fit(name, cols) for name, cols in COLUMNS).rstrip())
    for r in rows:
        cells = [r["light"], r["jurisdiction"] or "", r["category"] or "", r["name"],
                 _with_year(r["baseline"], r["baseline_year"]), _with_year(r["target"], r["target_year"]),
                 _with_year(r["latest_actual"], r["latest_year"]), r["nature"] or "—", r["state"]]
        print("  ".join(fit(str(c), cols) for c, (_, cols) in zip(cells, COLUMNS, strict=True)).rstrip())
    counts = summary(rows)
    print(f"共 {len(rows)} 项:红 {counts['红']},黄 {counts['黄']},绿 {counts['绿']},灰 {counts[GREY]}"
          f"(按 {today.isoformat()} 计)。")
    return 0
