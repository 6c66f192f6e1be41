"""Limits on what a document may unpack to, checked before a zip-based format is opened (a zip bomb is refused)."""
from __future__ import annotations

import io
import zipfile

from duban.extract.errors import ExtractionError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # a member packed tighter than this is not a document part


def check_zip(data: bytes, damaged: str = "文件已损坏或不完整(压缩包无法打开),无法读取。") -> list[str]:
    """The zip's member names, refusing one whose members are too many or would unpack to far more than any
    plan document needs; `damaged` is the message when it is no zip at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ExtractionError(damaged) from e
    if len(infos) > MAX_MEMBERS:
        raise ExtractionError(f"文件内部包含 {len(infos)} 个部件,超过 {MAX_MEMBERS} 个的上限,疑似异常文件,已拒绝读取。")
    total = sum(i.file_size for i in infos)
    dense = any(i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if total > MAX_UNPACKED_BYTES or dense:
        raise ExtractionError(
            f"文件解压后过大({total / 1024 / 1024:.0f} MB)或压缩比异常,疑似“压缩炸弹”,已拒绝读取"
            f"(解压后上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB)。")
    return [i.filename for i in infos]
