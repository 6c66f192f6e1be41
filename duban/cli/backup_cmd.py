"""`python -m duban backup|restore`: one archive with the database, evidence and key; a restore that checks first."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.connection import database_path
from duban.cli.common import add_db_option, open_existing_db
from duban.services import backups


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份数据库、佐证材料和密钥到一个文件(应用运行时也可安全执行)")
    p.add_argument("--out", help="备份文件路径(默认 data/backups/duban-时间.tar.gz,或 $DUBAN_BACKUP_DIR 下)")
    add_db_option(p)
    p.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help="从备份文件恢复(先校验;被替换的内容保留在 data/before-restore-时间/)")
    r.add_argument("archive", help="backup 生成的 .tar.gz 文件")
    r.add_argument("--yes", action="store_true", help="不再询问,直接恢复")
    add_db_option(r)
    r.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    _, db = open_existing_db(args)
    try:
        info = backups.create_backup(db, Path(args.out) if args.out else None)
    finally:
        db.conn.close()
    print(f"已备份到 {info.path}({info.size / 1024:.0f} KB;任务 {info.counts.get('tasks', 0)} 项,"
          f"填报 {info.counts.get('reports', 0)} 条,佐证材料文件 {info.files} 个),已校验。")
    if info.key_from_env:
        print("注意:密钥来自环境变量 DUBAN_SECRET_KEY,未写入备份;恢复时须设置同一个密钥,否则邮件密码等须重新填写。")
    elif not info.has_key:
        print("注意:没有找到密钥文件 secret.key,备份中不含密钥。")
    if info.missing_evidence:
        print(f"注意:数据库记录的佐证材料中有 {len(info.missing_evidence)} 个文件在服务器上已不存在,未能备份。")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    archive = Path(args.archive)
    info = backups.verify(archive)
    target = database_path(args.db)
    print(f"备份 {archive} 校验通过:生成于 {info.created_at},任务 {info.counts.get('tasks', 0)} 项,"
          f"填报 {info.counts.get('reports', 0)} 条,佐证材料文件 {info.files} 个。")
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"将用它替换 {target} 及其佐证材料和密钥;确认后请加 --yes 重新执行。", file=sys.stderr)
            return 1
        answer = input(f"将替换 {target} 及其佐证材料和密钥(原有内容会先保留一份)。输入 yes 确认:")
        if answer.strip().lower() not in ("yes", "y", "是"):
            print("已取消,未做任何改动。")
            return 1
    result = backups.restore(archive, target)
    if result.kept_in:
        print(f"原有数据已保留在 {result.kept_in}。")
    print(f"已恢复到 {target}:佐证材料 {result.evidence_ok} 个可正常打开。")
    if result.evidence_bad:
        print(f"注意:{len(result.evidence_bad)} 个佐证材料文件缺失或损坏:{'、'.join(result.evidence_bad[:5])}")
    if result.secrets_ok is True:
        print("邮件密码等保存的密钥信息可以正常解密。")
    elif result.secrets_ok is False:
        print("注意:保存的邮件密码等无法用当前密钥解密,请在“提醒设置”页重新填写,或设置原来的 DUBAN_SECRET_KEY。")
    print("请重新启动督办服务(systemctl restart duban)。")
    return 0 if not result.evidence_bad and result.secrets_ok is not False else 1
