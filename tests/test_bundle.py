"""The offline bundle: built here (wheels only), then installed into a fresh place with no package index at all."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# downloaded wheels are kept between runs, so only the first run fetches them from the registry
PIP_CACHE = Path(tempfile.gettempdir()) / "duban-bundle-pip-cache"

pytestmark = pytest.mark.slow


def _offline_env(**extra) -> dict:
    """No index, no find-links but the bundle's, and any proxy pointing nowhere: pip cannot reach a network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "DUBAN_", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1",
               http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", **extra)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


def test_the_bundle_installs_and_runs_without_a_network(tmp_path):
    out = tmp_path / "duban-bundle"
    env = {**os.environ, "PIP_CACHE_DIR": str(PIP_CACHE)}
    built = subprocess.run([sys.executable, "-m", "duban", "bundle", "--out", str(out)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr
    tarball = tmp_path / "duban-bundle.tar.gz"
    assert tarball.exists() and "已生成" in built.stdout
    info = json.loads((out / "bundle.json").read_text(encoding="utf-8"))
    assert info["python_minor"] == f"{sys.version_info[0]}.{sys.version_info[1]}" and info["platform"]
    assert info["wheels"] and not info["debs"]
    assert not (out / "app" / "data").exists() and not (out / "app" / ".venv").exists()
    assert (out / "app" / "deploy" / "duban.service").exists()

    # install from the tarball alone, as an office would after carrying it in
    site = tmp_path / "site"
    site.mkdir()
    with tarfile.open(tarball) as tar:
        tar.extractall(site, filter="data")
    prefix = tmp_path / "opt-duban"
    python = Path(sys.executable)
    installed = subprocess.run(["bash", str(site / "duban-bundle" / "install.sh"), "--prefix", str(prefix),
                                "--no-systemd"], env=_offline_env(PYTHON=str(python)), capture_output=True,
                               text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert "安装完成" in installed.stdout
    assert (prefix / "data" / "duban.db").exists()

    # the installed copy runs on its own: its code, its venv
    app, venv_python = prefix / "app", prefix / "venv" / "bin" / "python"
    helped = subprocess.run([str(prefix / "bin" / "duban"), "--help"], env=_offline_env(), capture_output=True,
                            text=True, timeout=120)
    assert helped.returncode == 0 and "backup" in helped.stdout and "restore" in helped.stdout
    where = subprocess.run([str(venv_python), "-c", "import duban, streamlit; print(duban.__file__)"], cwd=app,
                           env=_offline_env(), capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(str(app))
    fresh = tmp_path / "office.db"
    init = subprocess.run([str(venv_python), "-m", "duban", "init", "--no-demo"], cwd=app,
                          env=_offline_env(DUBAN_DB=str(fresh)), capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    assert fresh.exists()
    status = subprocess.run([str(prefix / "bin" / "duban"), "status"], env=_offline_env(), capture_output=True,
                            text=True, timeout=120)
    assert status.returncode == 0 and str(prefix / "data" / "duban.db") in status.stdout

    # running the same installer again is an upgrade: a backup first, the office's data kept, the old program aside
    with sqlite3.connect(prefix / "data" / "duban.db") as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('office_name', '示例市规划办')")
    again = subprocess.run(["bash", str(site / "duban-bundle" / "install.sh"), "--prefix", str(prefix),
                            "--no-systemd"], env=_offline_env(PYTHON=str(python)), capture_output=True,
                           text=True, timeout=900)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "升级前备份" in again.stdout and (prefix / "app.previous").is_dir()
    assert list((prefix / "data" / "backups").glob("duban-*.tar.gz"))
    with sqlite3.connect(prefix / "data" / "duban.db") as conn:
        assert conn.execute("SELECT value FROM settings WHERE key='office_name'").fetchone() == ("示例市规划办",)
