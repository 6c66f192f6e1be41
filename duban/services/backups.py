"""Backups that restore: one archive with the database, the evidence files and the key that opens the secrets.

The archive (tar.gz, readable by its owner only) holds `duban.db` (a consistent copy taken with SQLite's
online backup API), `files/…` (evidence, stored by SHA-256), `secret.key` when the key is a file, and
`manifest.json` with the SHA-256 of every other member. An archive is trusted only after every hash
matches and the database copy passes `PRAGMA integrity_check`; that is checked right after writing and
again before a restore, which changes nothing unless the whole archive is sound.

A backup holds every place's work and a restore replaces it, so an account acting here must be the system
administrator or the whole database's office (the commands and the daily job act as the system itself).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db.connection import backup_dir, copy_database, database_path
from db.migrations import applied, migration_files
from db.queries import evidence as evidence_q
from db.queries import settings as settings_q
from duban.access import SYSTEM, Actor, require_system_manager
from duban.errors import DubanError, InputError
from duban.services import evidence, vault

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = "duban.db"
KEY_MEMBER = vault.KEY_FILE
FILES_PREFIX = "files/"
ARCHIVE_GLOB = "duban-*.tar.gz"
KEEP_ENV, KEEP_SETTING, DEFAULT_KEEP = "DUBAN_BACKUP_KEEP", "backup_keep", 14


class DamagedBackup(DubanError):
    """An archive that cannot be trusted: restoring it could lose or corrupt data."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"备份文件 {path} 已损坏或不完整({why}),未做任何改动。请换用另一份备份。")


@dataclass
class BackupInfo:
    """What an archive holds, as its manifest and the checks found it."""

    path: Path
    created_at: str
    size: int
    migrations: list[str]
    files: int
    has_key: bool
    key_from_env: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    missing_evidence: list[str] = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _evidence_files(root: Path) -> list[Path]:
    """The stored evidence files (not the half-written uploads, whose names start with a dot)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    out = {}
    for table in ("plans", "tasks", "reports", "evidence", "users"):
        try:
            out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:
            out[table] = 0
    return out


def default_archive(db_file: Path, now: dt.datetime | None = None) -> Path:
    """data/backups/duban-YYYYMMDD-HHMMSS.tar.gz (or under $DUBAN_BACKUP_DIR)."""
    now = now or dt.datetime.now()
    return backup_dir(db_file) / f"duban-{now:%Y%m%d-%H%M%S}.tar.gz"


def create_backup(db: sqlite_utils.Database, out: Path | None = None, *, actor: Actor = SYSTEM) -> BackupInfo:
    """Write one archive of everything the office would lose with the server, then check it as a restore would."""
    require_system_manager(actor)
    db_file = _db_file(db)
    out = Path(out) if out else default_archive(db_file)
    if out.exists():
        raise InputError(f"备份文件已存在,不会覆盖:{out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".duban-backup-", dir=out.parent))
    part = out.with_name(out.name + ".part")
    try:
        copy = work / DB_MEMBER
        copy_database(db.conn, copy)
        members: list[tuple[str, Path]] = [(DB_MEMBER, copy)]
        key = vault.key_path(db)
        if key is not None and key.exists():
            members.append((KEY_MEMBER, key))
        root = evidence.data_dir()
        members += [(FILES_PREFIX + p.relative_to(root).as_posix(), p) for p in _evidence_files(root)]
        with sqlite3.connect(copy) as c:
            migrations, counts = applied(c), _counts(c)
            stored = {r[0] for r in c.execute("SELECT sha256 FROM evidence")} if counts["evidence"] else set()
        present = {Path(name).name for name, _ in members if name.startswith(FILES_PREFIX)}
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "migrations": migrations,
            "counts": counts,
            "key_from_env": bool(os.environ.get(vault.ENV_KEY, "").strip()),
            "missing_evidence": sorted(stored - present),
            "members": {},
        }
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name, path in members:
                data_sha = _sha256_file(path)
                tar.add(str(path), arcname=name, recursive=False)
                manifest["members"][name] = {"sha256": data_sha, "size": path.stat().st_size}
            blob = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(blob), 0o600, int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(blob))
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(part, 0o600)
        verify(part)  # re-open and check it as a restore would, before it counts as a backup
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return _info(out, manifest)


def _info(path: Path, manifest: dict) -> BackupInfo:
    names = manifest.get("members", {})
    return BackupInfo(path=path, created_at=manifest.get("created_at", ""), size=path.stat().st_size,
                      migrations=list(manifest.get("migrations", [])),
                      files=sum(1 for n in names if n.startswith(FILES_PREFIX)), has_key=KEY_MEMBER in names,
                      key_from_env=bool(manifest.get("key_from_env")), counts=dict(manifest.get("counts", {})),
                      missing_evidence=list(manifest.get("missing_evidence", [])))


def _db_file(db: sqlite_utils.Database) -> Path:
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise InputError("内存中的数据库无法备份。")


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts


def verify(path: Path, into: Path | None = None) -> BackupInfo:
    """Check every member against the manifest and the database copy with integrity_check (extracting into `into`).

    Raises DamagedBackup on a truncated or altered archive, a missing member, or a damaged database copy.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"备份文件不存在:{path}")
    work = into or Path(tempfile.mkdtemp(prefix=".duban-verify-"))
    try:
        try:
            with tarfile.open(path, mode="r:gz") as tar:
                manifest, seen = None, {}
                for member in tar:
                    if not member.isfile() or not _safe_name(member.name):
                        raise DamagedBackup(path, f"含有不应有的条目 {member.name}")
                    data = tar.extractfile(member)
                    if member.name == MANIFEST:
                        manifest = json.loads(data.read().decode("utf-8"))
                        continue
                    target = work / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    h = hashlib.sha256()
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "wb") as f:
                        for chunk in iter(lambda d=data: d.read(1 << 20), b""):
                            h.update(chunk)
                            f.write(chunk)
                    seen[member.name] = h.hexdigest()
        except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError) as e:
            raise DamagedBackup(path, f"无法完整读出:{type(e).__name__}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise DamagedBackup(path, "缺少清单 manifest.json")
        try:
            expected = {name: str(m["sha256"]) for name, m in manifest.get("members", {}).items()}
        except (AttributeError, KeyError, TypeError):
            raise DamagedBackup(path, "清单格式不正确") from None
        if DB_MEMBER not in expected:
            raise DamagedBackup(path, "清单中没有数据库")
        for name, sha in expected.items():
            if name not in seen:
                raise DamagedBackup(path, f"缺少 {name}")
            if seen[name] != sha:
                raise DamagedBackup(path, f"{name} 的校验值不符")
        extra = sorted(set(seen) - set(expected))
        if extra:
            raise DamagedBackup(path, f"含有清单以外的文件 {extra[0]}")
        check_database_copy(work / DB_MEMBER, path)
        return _info(path, manifest)
    finally:
        if into is None:
            shutil.rmtree(work, ignore_errors=True)


def check_database_copy(file: Path, source: Path) -> None:
    """The database copy opens, passes integrity_check, and is not newer than this program."""
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            names = applied(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise DamagedBackup(source, f"数据库无法打开:{e}") from None
    if result != "ok":
        raise DamagedBackup(source, f"数据库完整性检查未通过:{result}")
    known = {p.stem for p in migration_files()}
    newer = [n for n in names if n not in known]
    if newer:
        raise InputError(f"这份备份来自更新版本的程序(数据库版本比程序新,含 {'、'.join(newer)}),"
                         "请升级程序后再恢复。未做任何改动。")


# ---- keeping a number of daily backups -------------------------------------------------------------

def keep_count(db: sqlite_utils.Database) -> int:
    """How many archives to keep: $DUBAN_BACKUP_KEEP, else the office's setting backup_keep, else 14."""
    for value in (os.environ.get(KEEP_ENV), settings_q.setting(db, KEEP_SETTING)):
        try:
            if value and int(value) > 0:
                return int(value)
        except ValueError:
            continue
    return DEFAULT_KEEP


def archives(folder: Path) -> list[Path]:
    """The backup archives in a folder, oldest first (their names carry the time they were taken)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(ARCHIVE_GLOB) if p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives; return what was deleted."""
    old = archives(folder)[:-keep] if keep > 0 else []
    for p in old:
        p.unlink(missing_ok=True)
    return old


def scheduled_backup(db: sqlite_utils.Database) -> tuple[BackupInfo, list[Path]]:
    """The daily job: one new archive in the backups folder, then the oldest beyond the retention count go."""
    info = create_backup(db)
    return info, prune(info.path.parent, keep_count(db))


def last_backup(db_file: Path) -> Path | None:
    """The newest archive in the backups folder, if any."""
    found = archives(backup_dir(db_file))
    return found[-1] if found else None


# ---- restoring ------------------------------------------------------------------------------------

@dataclass
class RestoreResult:
    info: BackupInfo
    kept_in: Path | None
    evidence_ok: int
    evidence_bad: list[str]
    secrets_ok: bool | None


def restore(archive: Path, db_path: str | os.PathLike | None = None, *, now: dt.datetime | None = None,
            actor: Actor = SYSTEM) -> RestoreResult:
    """Put an archive's database, evidence and key in place, after keeping a copy of everything it replaces.

    Nothing changes unless the whole archive checks out. Stop the app first: a restore replaces the
    database under it.
    """
    require_system_manager(actor)
    archive = Path(archive)
    db_file = database_path(db_path)
    staging_parent = db_file.parent if db_file.parent.is_dir() else Path(tempfile.gettempdir())
    staging = Path(tempfile.mkdtemp(prefix=".duban-restore-", dir=staging_parent))
    try:
        info = verify(archive, into=staging)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept = db_file.parent / f"before-restore-{stamp}"
        kept_any = _keep_current(db_file, kept)
        _put_database(staging / DB_MEMBER, db_file)
        key_target = db_file.parent / KEY_MEMBER
        if (staging / KEY_MEMBER).exists():
            _put_file(staging / KEY_MEMBER, key_target, kept)
        root = evidence.data_dir()
        for src in _evidence_files(staging / FILES_PREFIX):
            _put_file(src, root / src.relative_to(staging / FILES_PREFIX), kept / "files")
        result = RestoreResult(info, kept if kept_any or kept.exists() else None, *_check_restored(db_file))
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _keep_current(db_file: Path, kept: Path) -> bool:
    """A consistent copy of the database about to be replaced, and its key (files are kept as they are replaced)."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return False
    kept.mkdir(parents=True, exist_ok=True, mode=0o700)
    conn = sqlite3.connect(str(db_file))
    try:
        copy_database(conn, kept / db_file.name)
    finally:
        conn.close()
    key = db_file.parent / KEY_MEMBER
    if key.exists():
        shutil.copy2(key, kept / KEY_MEMBER)
    return True


def _put_database(src: Path, db_file: Path) -> None:
    """Write the restored database into place through SQLite, so open connections see it whole or not at all."""
    source = sqlite3.connect(str(src))
    dest = sqlite3.connect(str(db_file), timeout=60)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    os.chmod(db_file, 0o600)


def _put_file(src: Path, target: Path, kept: Path) -> None:
    """Put a file in place unless the same bytes are already there; a different file it replaces is kept."""
    if target.exists():
        if _sha256_file(target) == _sha256_file(src):
            return
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, kept / target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore")
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)


def _check_restored(db_file: Path) -> tuple[int, list[str], bool | None]:
    """After a restore: every evidence file opens with its hash, and the stored secrets decrypt with the key."""
    from db import connect

    db = connect(db_file)
    try:
        ok, bad = 0, []
        for row in evidence_q.all_files(db):
            path = evidence.path_for(row["sha256"])
            if path.exists() and _sha256_file(path) == row["sha256"]:
                ok += 1
            else:
                bad.append(row["filename"])
        sealed = settings_q.setting(db, "smtp_password")
        secrets_ok: bool | None = None
        if vault.is_sealed(sealed):
            try:
                vault.reveal(db, sealed)
                secrets_ok = True
            except DubanError:
                secrets_ok = False
        return ok, bad, secrets_ok
    finally:
        db.conn.close()
