"""Evidence files: checked by content (not by name), kept on disk by SHA-256, handed out only to those who may see the task."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import filetype
import sqlite_utils

from db.queries import evidence as q
from db.queries import settings as settings_q
from duban.access import Actor
from duban.errors import FileRefused, NotFound

DEFAULT_MAX_MB = 10
MAX_MB_SETTING = "evidence_max_mb"
DEFAULT_DATA_DIR = Path("data") / "files"

# detected content type -> (extensions a user may give it, MIME type)
ALLOWED = {
    "pdf": ({"pdf"}, "application/pdf"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ({"jpg", "jpeg"}, "image/jpeg"),
    "png": ({"png"}, "image/png"),
}
UPLOAD_TYPES = sorted({ext for exts, _ in ALLOWED.values() for ext in exts})
KINDS_TEXT = "PDF、Word(.docx)、Excel(.xlsx)、JPG 或 PNG"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, ready to store."""

    filename: str
    data: bytes
    sha256: str
    mime: str

    @property
    def size(self) -> int:
        return len(self.data)


def data_dir() -> Path:
    """Where evidence files are kept: $DUBAN_DATA_DIR, else data/files."""
    return Path(os.environ.get("DUBAN_DATA_DIR") or DEFAULT_DATA_DIR)


def max_bytes(db: sqlite_utils.Database) -> int:
    """The largest file accepted: $DUBAN_MAX_UPLOAD_MB, else the office's setting, else 10 MB."""
    for value in (os.environ.get("DUBAN_MAX_UPLOAD_MB"), settings_q.setting(db, MAX_MB_SETTING)):
        try:
            if value and float(value) > 0:
                return int(float(value) * 1024 * 1024)
        except ValueError:
            continue
    return DEFAULT_MAX_MB * 1024 * 1024


def _clean_name(filename: str) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip()
    name = "".join(c for c in name if c.isprintable())
    return name[-120:] or "附件"


def check(filename: str, data: bytes, limit: int) -> CheckedFile:
    """Accept a file only if it is non-empty, within the limit, and its bytes really are an allowed type."""
    name = _clean_name(filename)
    if not data:
        raise FileRefused(f"文件“{name}”是空的,请重新选择。")
    if len(data) > limit:
        raise FileRefused(f"文件“{name}”有 {len(data) / 1024 / 1024:.1f} MB,超过了 {limit / 1024 / 1024:.0f} MB 的上限,"
                          f"请压缩或拆分后再上传。")
    kind = filetype.guess(data)
    detected = kind.extension if kind else None
    if detected == "jpeg":
        detected = "jpg"
    if detected not in ALLOWED:
        raise FileRefused(f"文件“{name}”的内容不是 {KINDS_TEXT} 文件,已拒绝上传(系统按文件内容而不是扩展名判断类型)。")
    extensions, mime = ALLOWED[detected]
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in extensions:
        raise FileRefused(f"文件“{name}”的扩展名与内容不符:内容是 {detected.upper()} 文件,请改正扩展名后再上传。")
    return CheckedFile(name, data, hashlib.sha256(data).hexdigest(), mime)


def check_all(db: sqlite_utils.Database, files: list[tuple[str, bytes]] | None) -> list[CheckedFile]:
    """Check every upload before anything is stored: one bad file refuses the whole report."""
    limit = max_bytes(db)
    return [check(name, data, limit) for name, data in files or []]


def path_for(sha256: str) -> Path:
    return data_dir() / sha256[:2] / sha256


def store(checked: CheckedFile) -> Path:
    """Write the bytes under their hash (once; the same content uploaded twice is kept once)."""
    path = path_for(checked.sha256)
    if path.exists() and path.stat().st_size == checked.size:
        return path
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(checked.data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def attach(db: sqlite_utils.Database, report_id: int, files: list[CheckedFile]) -> list[int]:
    """Record checked, stored files against a report (inside the report's transaction)."""
    return [q.insert(db, report_id, f.filename, f.sha256, f.size, f.mime) for f in files]


def files_of(db: sqlite_utils.Database, report_ids: list[int]) -> dict[int, list[dict]]:
    """Evidence per report id (callers have already checked the reports may be seen)."""
    out: dict[int, list[dict]] = {}
    for row in q.for_reports(db, report_ids):
        out.setdefault(row["report_id"], []).append(row)
    return out


def read(db: sqlite_utils.Database, actor: Actor, evidence_id: int) -> tuple[str, str, bytes]:
    """(filename, mime, bytes) of one file, for someone who may see the task the report is on."""
    from db.queries.audit import require_live_session
    from duban.services.reports import require_task_access

    require_live_session(db, actor)  # a download clicked after logout or from a disabled account is refused
    row = q.item(db, evidence_id)
    if row is None:
        raise NotFound("佐证材料不存在。")
    require_task_access(db, actor, row["task_id"])
    path = path_for(row["sha256"])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"佐证材料“{row['filename']}”的文件已不在服务器上,请联系办公室。") from None
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        raise NotFound(f"佐证材料“{row['filename']}”的文件已损坏,请联系办公室。")
    return row["filename"], row["mime"], data
