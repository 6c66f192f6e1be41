"""Build the offline installation bundle: wheels for this Python and platform, optional Debian packages,
the program's source and install.sh, as a folder and a tarball to carry into an intranet.

Run as `python -m duban bundle --out DIR` (or `python tools/bundle.py --out DIR`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the documents (Word/Excel conversion, OCR, PDF text), the web front and Chinese display need on Debian 12.
DEBIAN_PACKAGES = ["python3", "python3-venv", "libreoffice-writer-nogui", "libreoffice-calc-nogui", "tesseract-ocr",
                   "tesseract-ocr-chi-sim", "poppler-utils", "nginx", "fonts-noto-cjk"]
# Present on every Debian 12 installation: not carried.
BASE_PRIORITIES = {"required", "important"}
SKIP_DIRS = {".git", ".venv", "data", "__pycache__", ".pytest_cache", ".ruff_cache"}


class BundleError(Exception):
    """The bundle could not be built; the message says which step."""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        raise BundleError(f"命令失败:{' '.join(cmd)}\n{result.stderr.strip()[-2000:]}")
    return result


def source_files(root: Path = ROOT) -> list[Path]:
    """The program's files: what git tracks plus new files not ignored; without git, the tree minus data and venvs."""
    if (root / ".git").exists():
        try:
            out = _run(["git", "-C", str(root), "ls-files", "-co", "--exclude-standard", "-z"]).stdout
            return sorted(root / name for name in out.split("\0") if name and (root / name).is_file())
        except (BundleError, FileNotFoundError):
            pass
    return sorted(p for p in root.rglob("*") if p.is_file() and not SKIP_DIRS & set(p.relative_to(root).parts))


def copy_source(dest: Path, root: Path = ROOT) -> int:
    """Copy the program (no data, no virtual environment) into dest; return the number of files."""
    files = source_files(root)
    for path in files:
        target = dest / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return len(files)


def download_wheels(requirements: Path, dest: Path, python: str) -> list[str]:
    """Every wheel the requirements need for this interpreter; packages published only as source are built here."""
    dest.mkdir(parents=True, exist_ok=True)
    base = [python, "-m", "pip", "download", "--disable-pip-version-check", "-q", "-r", str(requirements),
            "-d", str(dest)]
    try:
        _run(base + ["--only-binary=:all:"])
    except BundleError:
        _run(base)  # some package has no wheel: take its source and build the wheel below
        for sdist in [p for p in dest.iterdir() if p.name.endswith((".tar.gz", ".zip"))]:
            _run([python, "-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps", "-w", str(dest),
                  str(sdist)])
            sdist.unlink()
    return sorted(p.name for p in dest.glob("*.whl"))


def _priorities(names: list[str]) -> dict[str, str]:
    shown = _run(["apt-cache", "show", "--no-all-versions", *names]).stdout if names else ""
    priority, current = {}, None
    for line in shown.splitlines():
        if line.startswith("Package: "):
            current = line.split(":", 1)[1].strip()
        elif line.startswith("Priority: ") and current:
            priority[current] = line.split(":", 1)[1].strip()
    return priority


def _direct_depends(names: list[str]) -> dict[str, list[str]]:
    """Each package's dependencies, taking the first choice of every `a | b` and the first provider of a virtual one."""
    out = _run(["apt-cache", "depends", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
                "--no-replaces", "--no-enhances", *names]).stdout
    deps: dict[str, list[str]] = {}
    current, in_group, want_provider = None, False, False
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            current, in_group, want_provider = line.strip(), False, False
            deps.setdefault(current, [])
            continue
        text = line.strip()
        if ":" in text and text.split(":", 1)[0].lstrip("|") in ("Depends", "PreDepends"):
            alternative = text.startswith("|")
            name = text.split(":", 1)[1].strip()
            taken = in_group  # a later choice of an `a | b` group already served by its first
            in_group = alternative
            if taken:
                continue
            if name.startswith("<"):
                want_provider = True
            else:
                want_provider = False
                deps[current].append(name)
        elif want_provider and current is not None and ":" not in text:
            deps[current].append(text)  # the first package providing the virtual one
            want_provider = False
    return deps


def debian_closure(packages: list[str]) -> list[str]:
    """The packages and what they depend on (no recommends; one choice per alternative), minus Debian's base system."""
    seen: set[str] = set()
    wanted: list[str] = []
    level = list(packages)
    while level:
        level = sorted({n for n in level if n not in seen and ":" not in n})
        seen |= set(level)
        priority = _priorities(level)
        level = [n for n in level if n in priority and priority[n] not in BASE_PRIORITIES]
        wanted += level
        if not level:
            break
        level = [d for ds in _direct_depends(level).values() for d in ds]
    return sorted(wanted)


def download_debs(dest: Path, packages: list[str] | None = None) -> list[str]:
    """Fetch the .deb files with apt-get download (needs the apt lists, not root)."""
    dest.mkdir(parents=True, exist_ok=True)
    names = debian_closure(packages or DEBIAN_PACKAGES)
    _run(["apt-get", "download", "-q", *names], cwd=dest)
    return sorted(p.name for p in dest.glob("*.deb"))


def _target(python: str) -> dict:
    code = ("import json,platform,sys,sysconfig;print(json.dumps({'python_version':platform.python_version(),"
            "'python_minor':'%d.%d'%sys.version_info[:2],'implementation':sys.implementation.name,"
            "'platform':sysconfig.get_platform(),'machine':platform.machine(),'libc':' '.join(platform.libc_ver())}))")
    return json.loads(_run([python, "-c", code]).stdout)


def _commit(root: Path) -> str | None:
    try:
        return _run(["git", "-C", str(root), "rev-parse", "HEAD"]).stdout.strip()
    except (BundleError, FileNotFoundError):
        return None


def build(out: Path, *, with_debs: bool = False, python: str = sys.executable, root: Path = ROOT) -> Path:
    """Build the bundle folder `out` and `out`.tar.gz beside it; return the tarball's path."""
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"目标文件夹不是空的:{out}")
    out.mkdir(parents=True, exist_ok=True)
    files = copy_source(out / "app", root)
    wheels = download_wheels(out / "app" / "requirements.txt", out / "wheels", python)
    debs = download_debs(out / "debs") if with_debs else []
    shutil.copy2(root / "tools" / "install.sh", out / "install.sh")
    os.chmod(out / "install.sh", 0o755)
    info = {**_target(python), "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": _commit(root), "source_files": files, "wheels": wheels, "debs": debs,
            "built_on": {"python": platform.python_version(), "platform": sysconfig.get_platform()}}
    (out / "bundle.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tarball = out.with_name(out.name + ".tar.gz")
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(out, arcname=out.name)
    return tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成离线安装包")
    parser.add_argument("--out", required=True)
    parser.add_argument("--with-debs", action="store_true")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    try:
        tarball = build(Path(args.out), with_debs=args.with_debs, python=args.python)
    except BundleError as e:
        print(f"错误:{e}", file=sys.stderr)
        return 2
    print(f"已生成 {tarball}({tarball.stat().st_size / 1024 / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
