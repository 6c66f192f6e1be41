"""`python -m duban bundle --out DIR`: the offline installation bundle (tools/bundle.py does the work)."""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from duban.errors import DubanError

TOOL = Path(__file__).resolve().parents[2] / "tools" / "bundle.py"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bundle", help="生成离线安装包(依赖的 wheel、可选的 Debian 软件包、程序和 install.sh)")
    p.add_argument("--out", required=True, help="安装包文件夹(同时生成 文件夹.tar.gz)")
    p.add_argument("--with-debs", action="store_true", help="同时带上 LibreOffice、Tesseract、nginx、中文字体等 .deb(很大)")
    p.add_argument("--python", default=sys.executable, help="目标服务器上的 Python 版本的解释器(默认当前)")
    p.set_defaults(handler=cmd_bundle)


def _tool():
    if not TOOL.exists():
        raise DubanError(f"找不到 {TOOL}:请在程序源码目录中执行。")
    spec = importlib.util.spec_from_file_location("duban_bundle_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cmd_bundle(args: argparse.Namespace) -> int:
    tool = _tool()
    print("正在下载依赖并打包,需要几分钟……", flush=True)
    try:
        tarball = tool.build(Path(args.out), with_debs=args.with_debs, python=args.python)
    except tool.BundleError as e:
        raise DubanError(str(e)) from None
    print(f"已生成 {Path(args.out).resolve()} 和 {tarball}({tarball.stat().st_size / 1024 / 1024:.0f} MB)")
    return 0
