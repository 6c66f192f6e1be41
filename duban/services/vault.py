"""The mail password and the robots' addresses and keys are stored encrypted, with the key kept outside the
database (a file beside it, or $DUBAN_SECRET_KEY), so a copy of the database file alone reveals none of them."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from duban.errors import DubanError

PREFIX = "enc1:"             # marks an encrypted value; anything else is a clear value from an older database
KEY_FILE = "secret.key"
ENV_KEY = "DUBAN_SECRET_KEY"
_MEMORY_KEY = Fernet.generate_key()  # an in-memory database keeps nothing, so its key need not outlive the process
_create_lock = threading.Lock()


class SecretUnreadable(DubanError):
    """A stored secret cannot be decrypted with this installation's key (a database restored without its key)."""

    def __init__(self) -> None:
        super().__init__("保存的密码或机器人地址无法解密(数据库可能是从别处复制来的,缺少原来的密钥文件),请重新填写。")


def key_path(db: sqlite_utils.Database) -> Path | None:
    """Where the key file of this database lives: secret.key in the database's folder (None in memory)."""
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]).parent / KEY_FILE if row[2] else None
    return None


def _fernet(key: bytes, where: str) -> Fernet:
    try:
        return Fernet(key.strip())
    except (ValueError, TypeError):
        raise DubanError(f"{where}中的密钥格式不正确(应为 44 个字符的 Fernet 密钥)。") from None


def _env_key() -> Fernet | None:
    value = os.environ.get(ENV_KEY, "").strip()
    return _fernet(value.encode(), f"环境变量 {ENV_KEY} ") if value else None


def _file_key(path: Path, create: bool) -> Fernet | None:
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    return _fernet(path.read_bytes(), f"密钥文件 {path} ")


def _create_key_file(path: Path) -> None:
    """Write a new key readable by its owner only; when two processes race, the first file written wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with _create_lock:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, Fernet.generate_key() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic and never replaces a key another process wrote first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)


def _keys(db: sqlite_utils.Database, create: bool) -> list[Fernet]:
    """The keys to try, the one new values are encrypted with first: $DUBAN_SECRET_KEY, else the key file."""
    path = key_path(db)
    env = _env_key()
    if path is None:
        return [k for k in (env, Fernet(_MEMORY_KEY)) if k is not None]
    file = _file_key(path, create=create and env is None)
    return [k for k in (env, file) if k is not None]


def is_sealed(value: str | None) -> bool:
    """Whether a stored value is already encrypted."""
    return bool(value) and str(value).startswith(PREFIX)


def seal(db: sqlite_utils.Database, value: str | None) -> str | None:
    """The value as it is to be stored: encrypted (None and already encrypted values unchanged)."""
    if value is None or is_sealed(value):
        return value
    return PREFIX + MultiFernet(_keys(db, create=True)).encrypt(value.encode("utf-8")).decode("ascii")


def reveal(db: sqlite_utils.Database, value: str | None) -> str | None:
    """The stored value in clear; a clear value from an older database is returned as it is."""
    if not is_sealed(value):
        return value
    keys = _keys(db, create=False)
    if not keys:
        raise SecretUnreadable()
    try:
        return MultiFernet(keys).decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        raise SecretUnreadable() from None
