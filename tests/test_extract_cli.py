"""`python -m duban extract`: JSON out on success; on bad input one Chinese line, status 2, nothing written."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.extract.builders import blank_pdf_bytes, docx_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed" / "004_cd342d1f8881030e.txt"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duban", "extract", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_writes_json_to_stdout():
    result = run(str(SEED))
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["jurisdiction"] == "包头市" and len(plan["tasks"]) == 23
    assert "市民政局" in result.stdout  # ensure_ascii=False: Chinese stays readable
    assert result.stdout.startswith('{\n "source"')  # indent=1


def test_writes_json_to_a_file(tmp_path):
    out = tmp_path / "plan.json"
    result = run(str(SEED), "--out", str(out), "--reference-date", "2024-06-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == SEED.name
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _no_tasks() -> bytes:
    return "关于做好养老服务工作的通知\n一、总体要求\n各地要高度重视养老服务工作。\n二、工作安排\n抓好落实。\n".encode()


def _truncated_docx() -> bytes:
    data = docx_bytes(["三、重点任务", "1.完善兜底保障。（责任单位：市民政局）"])
    return data[: len(data) // 2]


BAD_INPUTS = {
    "empty": ("empty.txt", lambda: b"", "为空"),
    "blank": ("blank.txt", lambda: "\n \u3000\n".encode(), "为空|没有可读取"),
    "binary": ("random.txt", lambda: bytes(range(256)) * 64, "不是文本|编码"),
    "image": ("scan.txt", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是文本"),
    "truncated_docx": ("plan.docx", _truncated_docx, "Word"),
    "scanned_pdf": ("scan.pdf", blank_pdf_bytes, "扫描件|文字层"),
    "broken_pdf": ("broken.pdf", lambda: b"%PDF-1.7\n1 0 obj\n<<", "PDF"),
    "no_tasks": ("notice.txt", _no_tasks, "没有找到"),
    "old_word": ("plan.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "docx"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_one_chinese_line_and_status_2(tmp_path, case):
    name, make, message = BAD_INPUTS[case]
    path = _bad(tmp_path, name, make())
    out = tmp_path / "out.json"
    result = run(str(path), "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(r"[\u4e00-\u9fff]", lines[0]), result.stderr
    assert re.search(message, lines[0]), lines[0]
    assert result.stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    out = tmp_path / "out.json"
    result = run(str(path), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "过大" in result.stderr and "20 MB" in result.stderr
    assert not out.exists()


def test_missing_file_and_bad_reference_date(tmp_path):
    result = run(str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "找不到文件" in result.stderr and "Traceback" not in result.stderr
    result = run(str(SEED), "--reference-date", "2024/06/01")
    assert result.returncode == 2 and "参考日期" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
