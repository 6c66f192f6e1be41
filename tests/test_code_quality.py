"""The codebase keeps its shape: the domain never imports Streamlit, ruff is clean, every command is documented."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["duban", "db"])
def test_domain_and_database_layers_never_import_streamlit(package):
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_run_no_sql():
    offenders = [p.name for p in (ROOT / "pages").glob("*.py")
                 if re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_is_documented_in_the_readme():
    from duban.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in sub.choices if f"python -m duban {name}" not in readme]
    assert missing == []
