"""A plan is the same plan whatever encoding or line endings its file was saved with."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.access import SYSTEM
from duban.extract import extract_bytes
from duban.services import plan_check, plan_import

DOC = Path(__file__).resolve().parent / "fixtures" / "extract" / "jingchuan_full_width.txt"
TODAY = dt.date(2026, 11, 22)


def _import(db, data: bytes, name: str) -> int:
    return plan_import.import_plan(db, SYSTEM, extract_bytes(data, name, reference_date=TODAY), name, data, TODAY)


def _versions(db) -> list[tuple]:
    return [tuple(r) for r in db.conn.execute("SELECT id, version FROM plans").fetchall()]


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_the_same_text_in_another_encoding_is_no_new_version(db, encoding):
    text = DOC.read_text(encoding="utf-8")
    first = _import(db, text.encode("utf-8"), "规划.txt")
    assert _versions(db) == [(first, 1)]
    again = text.replace("\n", "\r\n").encode(encoding)
    check = plan_import.check_import(db, SYSTEM, extract_bytes(again, "规划-另存.txt", reference_date=TODAY),
                               "规划-另存.txt", again)
    assert check.kind == "unchanged", check.message
    assert _import(db, again, "规划-另存.txt") == first
    assert _versions(db) == [(first, 1)]
    assert db.conn.execute("SELECT count(*) FROM plan_versions").fetchone()[0] == 0


def test_changed_text_is_still_a_different_file(db):
    text = DOC.read_text(encoding="utf-8")
    assert plan_check.source_hash(text.encode("utf-8")) == plan_check.source_hash(text.encode("gbk"))
    assert plan_check.source_hash(text.encode("utf-8")) != plan_check.source_hash((text + "\n补充一句说明。").encode("utf-8"))
