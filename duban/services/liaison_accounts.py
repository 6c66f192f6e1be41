"""Liaison accounts in bulk: the office fills a sheet (单位, 姓名, 手机, 邮箱) and every unit gets its account at once.

Each row is checked first and shown back; nothing is created until the office confirms, and then all rows
are created in one transaction (a bad row stops the whole sheet, so no unit is half set up). Each account
gets a one-time password for the office to hand out; the liaison sets their own at first login.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from duban.access import Actor, require_office, require_own_place
from duban.errors import InputError
from duban.services import departments, users

COLUMNS = {"单位": ("单位", "部门", "单位名称", "部门名称", "责任单位"), "姓名": ("姓名", "联络员", "联络员姓名"),
           "手机": ("手机", "手机号", "手机号码", "电话", "联系电话"), "邮箱": ("邮箱", "电子邮箱", "邮件", "email", "e-mail")}
MAX_ROWS = 500
_PHONE = re.compile(r"^1\d{10}$")
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass
class SheetRow:
    line: int
    unit: str
    name: str
    phone: str
    email: str
    department_id: int | None = None
    problem: str = ""

    @property
    def username(self) -> str:
        """A liaison logs in with their mobile number, which they never forget."""
        return self.phone


def _cells(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:
            raise InputError("无法读取该 Excel 文件,请确认是 .xlsx 格式。") from None
        return [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InputError("无法识别表格的文字编码,请另存为 UTF-8 的 CSV 或 Excel 文件。")
    first = text.strip().splitlines()[0] if text.strip() else ""
    delimiter = "\t" if "\t" in first else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int | None]]:
    for h, header in enumerate(rows[:10]):
        found = {key: next((i for i, c in enumerate(header) if c.replace(" ", "").lower() in words), None)
                 for key, words in COLUMNS.items()}
        if found["单位"] is not None and found["手机"] is not None:
            return h, found
    raise InputError("表格中没有找到表头“单位、姓名、手机、邮箱”,请按模板填写。")


def read_sheet(data: bytes, filename: str) -> list[SheetRow]:
    """The sheet's rows under its header (the header may sit below a title row)."""
    rows = [r for r in _cells(data, filename) if any(r)]
    h, found = _header(rows)
    body = rows[h + 1:]
    if len(body) > MAX_ROWS:
        raise InputError(f"一次最多导入 {MAX_ROWS} 个联络员,表格中有 {len(body)} 行。")

    def cell(row: list[str], key: str) -> str:
        i = found[key]
        return row[i].strip() if i is not None and i < len(row) else ""

    return [SheetRow(line=h + 2 + n, unit=cell(r, "单位"), name=cell(r, "姓名"), phone=cell(r, "手机").replace("-", ""),
                     email=cell(r, "邮箱")) for n, r in enumerate(body)]


def check(db: sqlite_utils.Database, actor: Actor, rows: list[SheetRow], jurisdiction_id: int | None) -> list[SheetRow]:
    """Find each row's unit in the directory and say plainly what is wrong with a row, if anything (an office
    with a place reads the units of its own place only)."""
    require_office(actor)
    if actor.place_id is not None:
        require_own_place(actor, jurisdiction_id)
    taken = users.usernames(db)
    seen: set[str] = set()
    for r in rows:
        r.department_id = departments.resolve(db, jurisdiction_id, r.unit) if r.unit else None
        if not r.unit:
            r.problem = "缺少单位"
        elif r.department_id is None:
            r.problem = f"目录中没有单位“{r.unit}”"
        elif not r.name:
            r.problem = "缺少姓名"
        elif not _PHONE.match(r.phone):
            r.problem = f"手机号码不正确:{r.phone or '(空)'}"
        elif r.phone in taken or r.phone in seen:
            r.problem = f"账号 {r.phone} 已存在"
        elif r.email and not users.EMAIL_RE.match(r.email):
            r.problem = f"电子邮箱格式不正确:{r.email}"
        seen.add(r.phone)
    return rows


def create_accounts(db: sqlite_utils.Database, actor: Actor, rows: list[SheetRow],
                    jurisdiction_id: int | None) -> list[dict]:
    """Create every row's liaison account and record the unit's liaison; returns the one-time passwords."""
    rows = check(db, actor, rows, jurisdiction_id)
    bad = [r for r in rows if r.problem]
    if bad:
        raise InputError(f"第 {bad[0].line} 行:{bad[0].problem}。请改正后再导入(共 {len(bad)} 行有问题)。")
    if not rows:
        raise InputError("表格中没有联络员。")
    created = []
    with transaction(db):
        for r in rows:
            password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
            users.create_user(db, actor, r.username, password, "liaison", [r.department_id], display_name=r.name,
                              email=r.email or None, must_change=True)
            departments.set_liaison(db, actor, r.department_id, r.name, r.phone, r.email or None)
            created.append({"单位": r.unit, "姓名": r.name, "账号": r.username, "初始密码": password})
    return created


def credentials_xlsx(created: list[dict]) -> bytes:
    """The one-time passwords as a sheet for the office to hand out (kept nowhere else)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "联络员账号"
    ws.append(["单位", "姓名", "账号", "初始密码(首次登录后须修改)"])
    for c in created:
        ws.append([c["单位"], c["姓名"], c["账号"], c["初始密码"]])
    for col, width in zip("ABCD", (28, 10, 16, 26), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def places(db: sqlite_utils.Database, actor: Actor) -> dict[int, str]:
    """The places (地区) the units of one sheet can be in, by id: an office with a place, its own only."""
    rows = departments.list_jurisdictions(db, actor)
    return {j["id"]: j["name"] for j in rows if actor.owns_place(j["id"])}


def template_xlsx() -> bytes:
    """An empty sheet with the header the import expects."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "联络员"
    ws.append(list(COLUMNS))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
