"""Evidence files: type checked by content, a size limit, stored once by SHA-256, handed back byte for byte."""
from __future__ import annotations

import hashlib
import os

import pytest

from duban.errors import InputError, NotFound
from duban.services import evidence, reports
from tests.reports_world import EXE, PDF, PNG, TODAY, actor, build, docx_bytes, xlsx_bytes


@pytest.fixture
def world(db):
    return build(db)


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _file(db, a, world, files):
    return reports.file_report(db, a, world.shared, "附材料", 20, "推进中", TODAY, evidence=files)


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(db, world, tmp_path):
    with pytest.raises(InputError) as e:
        _file(db, actor(db, "zz-minzheng"), world, [("验收报告.pdf", EXE)])
    assert "验收报告.pdf" in str(e.value) and "内容不是" in str(e.value)
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert _files(tmp_path / "files") == []


def test_one_bad_file_refuses_the_whole_report(db, world, tmp_path):
    with pytest.raises(InputError):
        _file(db, actor(db, "zz-minzheng"), world, [("好.pdf", PDF), ("坏.png", b"just some text, not an image")])
    assert db.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert _files(tmp_path / "files") == []


def test_a_file_over_the_limit_is_refused_with_the_limit_named(db, world, monkeypatch):
    monkeypatch.setenv("DUBAN_MAX_UPLOAD_MB", "1")
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(InputError, match="超过了 1 MB"):
        _file(db, actor(db, "zz-minzheng"), world, [("大文件.pdf", big)])
    monkeypatch.delenv("DUBAN_MAX_UPLOAD_MB")
    assert _file(db, actor(db, "zz-minzheng"), world, [("大文件.pdf", big)])  # the default 10 MB takes it


def test_the_limit_can_be_set_in_the_database(db, world):
    db.conn.execute("INSERT INTO settings (key, value) VALUES ('evidence_max_mb', '0.001')")
    assert evidence.max_bytes(db) == int(0.001 * 1024 * 1024)
    with pytest.raises(InputError, match="上限"):
        _file(db, actor(db, "zz-minzheng"), world, [("a.pdf", PDF + b"x" * 2000)])


def test_empty_files_and_mismatched_extensions_are_refused(db, world):
    a = actor(db, "zz-minzheng")
    with pytest.raises(InputError, match="空的"):
        _file(db, a, world, [("空.pdf", b"")])
    with pytest.raises(InputError, match="扩展名与内容不符"):
        _file(db, a, world, [("照片.pdf", PNG)])
    with pytest.raises(InputError, match="内容不是"):
        _file(db, a, world, [("说明.txt", "纯文本".encode())])


def test_every_allowed_kind_is_accepted_and_returned_byte_for_byte(db, world, tmp_path):
    a = actor(db, "zz-minzheng")
    files = [("报告.pdf", PDF), ("照片.png", PNG), ("说明.docx", docx_bytes()), ("台账.xlsx", xlsx_bytes()),
             ("现场.JPEG", bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + b"\x00" * 64 + b"\xff\xd9")]
    rid = _file(db, a, world, files)
    stored = reports.get_report(db, a, rid)["evidence"]
    assert [e["filename"] for e in stored] == [f for f, _ in files]
    assert [e["mime"] for e in stored] == [
        "application/pdf", "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/jpeg"]
    for e, (name, data) in zip(stored, files, strict=True):
        assert e["sha256"] == hashlib.sha256(data).hexdigest() and e["size"] == len(data)
        assert evidence.read(db, a, e["id"]) == (name, e["mime"], data)
        assert (tmp_path / "files" / e["sha256"][:2] / e["sha256"]).read_bytes() == data


def test_the_same_content_is_kept_once_on_disk(db, world, tmp_path):
    a = actor(db, "zz-minzheng")
    _file(db, a, world, [("一.pdf", PDF)])
    _file(db, a, world, [("二.pdf", PDF)])
    assert db.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 2
    assert len(_files(tmp_path / "files")) == 1


def test_a_path_in_the_filename_is_dropped(db, world):
    a = actor(db, "zz-minzheng")
    rid = _file(db, a, world, [("../../etc/报告.pdf", PDF)])
    assert reports.get_report(db, a, rid)["evidence"][0]["filename"] == "报告.pdf"


def test_a_missing_or_altered_file_is_reported_not_served(db, world, tmp_path):
    a = actor(db, "zz-minzheng")
    rid = _file(db, a, world, [("报告.pdf", PDF)])
    e = reports.get_report(db, a, rid)["evidence"][0]
    path = tmp_path / "files" / e["sha256"][:2] / e["sha256"]
    path.write_bytes(b"tampered")
    with pytest.raises(NotFound, match="损坏"):
        evidence.read(db, a, e["id"])
    os.remove(path)
    with pytest.raises(NotFound, match="不在服务器"):
        evidence.read(db, a, e["id"])
    with pytest.raises(NotFound):
        evidence.read(db, a, 424242)
