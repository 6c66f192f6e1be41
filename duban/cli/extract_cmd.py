"""`python -m duban extract PATH [--out FILE] [--reference-date YYYY-MM-DD]`: a plan document -> JSON."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from duban.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    from duban.extract.reader import ACCEPTED_EXTENSIONS

    formats = "/".join("." + e for e in ACCEPTED_EXTENSIONS)
    p = sub.add_parser("extract", help=f"从规划文件({formats};扫描件 PDF 自动文字识别)提取任务、责任单位、时限和指标,输出 JSON")
    p.add_argument("path", help="规划文件路径")
    p.add_argument("--out", metavar="FILE", help="写入的 JSON 文件(默认输出到标准输出)")
    p.add_argument("--reference-date", metavar="YYYY-MM-DD", help="解析“今年年底前”等相对时间所依据的日期(YYYY-MM-DD),默认取文件的发布日期")
    p.set_defaults(handler=run)


def _reference(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise InputError(f"参考日期格式不对:{value}(应为 YYYY-MM-DD)。") from e


def run(args: argparse.Namespace) -> int:
    from duban.extract import extract_file

    plan = extract_file(args.path, _reference(args.reference_date))
    text = json.dumps(plan, ensure_ascii=False, indent=1) + "\n"
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.is_dir():
        raise InputError(f"--out 应为文件路径,{out} 是文件夹。")
    if not out.parent.exists():
        raise InputError(f"输出目录不存在:{out.parent}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".extract-", suffix=".json", dir=out.parent)
    except OSError as e:
        raise InputError(f"无法写入输出文件:{out}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, out)
    except OSError as e:
        raise InputError(f"无法写入输出文件:{out}") from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return 0
