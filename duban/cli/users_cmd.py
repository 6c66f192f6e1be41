"""`python -m duban user add|passwd|list|disable|enable|unlock`: accounts for administrators and scripts."""
from __future__ import annotations

import argparse
import getpass
import sys

from duban.access import ROLE_LABELS, SYSTEM
from duban.cli.common import acting_actor, add_db_option, add_user_option, open_db, print_listing
from duban.errors import InputError
from duban.services import users


def _read_password(args: argparse.Namespace) -> str:
    """The new password: the first line of stdin with --password-stdin, else asked twice without echo."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        return password.rstrip("\r")
    first = getpass.getpass("密码:")
    second = getpass.getpass("再次输入密码:")
    if first != second:
        raise InputError("两次输入的密码不一致,未做任何修改。")
    return first


def _add(args: argparse.Namespace) -> int:
    db = open_db(args)
    department_ids = [users.resolve_department(db, d) for d in args.department or []]
    password = _read_password(args)
    # the first account of an empty database is created as by the first page: it must be the office
    actor = None if not users.list_users(db, SYSTEM) else SYSTEM
    users.create_user(db, actor, args.name, password, args.role, department_ids,
                      display_name=args.display_name, email=args.email)
    print(f"已创建账号 {args.name}({ROLE_LABELS[args.role]})。")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    db = open_db(args)
    password = _read_password(args)
    users.change_password(db, SYSTEM, args.name, password)
    print(f"已修改账号 {args.name} 的密码。")
    return 0


def _list(args: argparse.Namespace) -> int:
    db = open_db(args)
    return print_listing(
        users.list_users(db, acting_actor(db, args)), "还没有任何账号。", ("用户名", "角色", "状态", "部门"),
        lambda u: (u["username"], u["role_label"],
                   ("启用" if u["active"] else "已停用") + ("(已锁定)" if u.get("locked_at") else ""),
                   u["departments"] or ""))


def _set_active(active: bool):
    def handler(args: argparse.Namespace) -> int:
        users.set_active(open_db(args), SYSTEM, args.name, active)
        print(f"已{'启用' if active else '停用'}账号 {args.name}。")
        return 0
    return handler


def _unlock(args: argparse.Namespace) -> int:
    users.unlock(open_db(args), SYSTEM, args.name)
    print(f"已解除账号 {args.name} 的锁定,可以重新登录。")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("user", help="账号管理:新建账号、修改密码、列出账号、停用/启用、解除锁定")
    sub = parser.add_subparsers(dest="user_command", metavar="操作", required=True)

    add = sub.add_parser("add", help="新建账号")
    add.add_argument("name", help="用户名")
    add.add_argument("--role", required=True, choices=list(ROLE_LABELS),
                     help="office(办公室)、liaison(部门联络员)或 leader(领导)")
    add.add_argument("--dept", dest="department", action="append", metavar="D",
                     help="联络员所属部门:部门编号或“地区/部门名”(如 郑州市/市民政局),可重复")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码(第一行)")
    add.add_argument("--display-name", help="姓名")
    add.add_argument("--email", help="电子邮箱(接收提醒)")
    add_db_option(add)
    add.set_defaults(handler=_add)

    passwd = sub.add_parser("passwd", help="修改(重置)账号密码")
    passwd.add_argument("name", help="用户名")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码(第一行)")
    add_db_option(passwd)
    passwd.set_defaults(handler=_passwd)

    listing = sub.add_parser("list", help="列出全部账号")
    add_db_option(listing)
    add_user_option(listing)
    listing.set_defaults(handler=_list)

    for name, active, text in (("disable", False, "停用账号(不能再登录,历史记录保留)"), ("enable", True, "重新启用账号")):
        p = sub.add_parser(name, help=text)
        p.add_argument("name", help="用户名")
        add_db_option(p)
        p.set_defaults(handler=_set_active(active))

    unlock = sub.add_parser("unlock", help="解除因多次密码错误而锁定的账号")
    unlock.add_argument("name", help="用户名")
    add_db_option(unlock)
    unlock.set_defaults(handler=_unlock)
