"""Formats only an office suite reads (.doc, .wps, .rtf, .odt, .xls, .et, .ods): converted by LibreOffice headless.

Each conversion runs in its own process group with a private profile, so parallel imports do not share
LibreOffice's lock, and a conversion that hangs is killed with everything it started.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from duban.extract.errors import ExtractionError

CONVERT_TIMEOUT_S = 120
_COMMANDS = ("soffice", "libreoffice")


def soffice_command() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    for name in _COMMANDS:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(data: bytes, suffix: str, target: str, timeout: float | None = None) -> bytes:
    """Convert a document's bytes (named with `suffix`, e.g. ".doc") to `target` ("docx", "xlsx", "pdf")."""
    timeout = CONVERT_TIMEOUT_S if timeout is None else timeout
    command = soffice_command()
    if command is None:
        raise ExtractionError(
            f"读取 {suffix} 文件需要 LibreOffice,但本机未安装 LibreOffice(soffice)。"
            "请管理员安装 libreoffice-writer-nogui / libreoffice-calc-nogui,或把文件另存为 .docx/.xlsx 后再导入。")
    with tempfile.TemporaryDirectory(prefix="duban-office-") as tmp:
        work = Path(tmp)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        args = [command, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to", target, "--outdir", str(out_dir), str(source)]
        env = dict(os.environ, HOME=str(work), SAL_USE_VCLPLUGIN="svp")
        run_limited(args, timeout, env=env, cwd=work,
                    on_timeout=f"转换超时:LibreOffice 在 {timeout:.0f} 秒内没有完成 {suffix} 文件的转换,文件可能过大或已损坏。")
        produced = sorted(out_dir.glob(f"*.{target}"))
        if not produced or produced[0].stat().st_size == 0:
            raise ExtractionError(f"LibreOffice 无法读取这个 {suffix} 文件,文件可能已损坏或不是该格式;"
                                  f"请在 Word/WPS 中打开后另存为 .{target} 再导入。")
        return produced[0].read_bytes()


def run_limited(args: list[str], timeout: float, *, on_timeout: str, env: dict | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command in a new process group; on timeout kill the whole group and raise `on_timeout`."""
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
    except OSError as e:
        raise ExtractionError(f"无法启动 {Path(args[0]).name}:{e.strerror or e}") from e
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        _kill_group(proc)
        raise ExtractionError(on_timeout) from e
    except BaseException:
        _kill_group(proc)
        raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()
