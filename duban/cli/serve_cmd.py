"""`serve`: several app processes behind nginx, supervised, with the schedule run once."""
from __future__ import annotations

import argparse
from pathlib import Path

from db.connection import database_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="多进程服务:启动 N 个网页工作进程和 nginx 反向代理,并运行定时任务;Ctrl-C 结束")
    p.add_argument("--db", help="数据库文件(默认 $DUBAN_DB 或 data/duban.db)")
    p.add_argument("--workers", type=int, default=2, help="工作进程数(默认 2,一般取 CPU 核数)")
    p.add_argument("--port", type=int, default=8501, help="对外端口(默认 8501)")
    p.add_argument("--host", default="127.0.0.1", help="对外地址(默认 127.0.0.1;对局域网开放用 0.0.0.0)")
    p.add_argument("--run-dir", help="运行目录:nginx 配置、日志、workers.json(默认数据库旁的 run/)")
    p.add_argument("--no-scheduler", action="store_true", help="不在本进程运行定时任务(由 worker 命令或 cron 运行)")
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from duban.serve.supervisor import ServeOptions, serve
    from duban.services.serve_health import run_dir_for

    db_path = database_path(args.db).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    from db import connect
    from duban.services import setup

    db = connect(db_path)
    try:
        setup.ensure_ready(db)  # migrated and seeded once here, not raced by the workers
    finally:
        db.conn.close()
    options = ServeOptions(workers=args.workers, host=args.host, port=args.port, db_path=db_path,
                           run_dir=Path(args.run_dir).resolve() if args.run_dir else run_dir_for(db_path),
                           scheduler=not args.no_scheduler)

    def ready(sup) -> None:
        ports = "、".join(str(c.port) for c in sup.children)
        print(f"督办已启动:http://{args.host}:{args.port}/ ({args.workers} 个工作进程,端口 {ports};"
              f"运行目录 {options.run_dir})", flush=True)

    serve(options, ready)
    print("督办已停止。", flush=True)
    return 0
