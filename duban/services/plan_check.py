"""Checking an extracted plan before it is stored: its identity (the file's text), its title, and its fields."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import unicodedata
from pathlib import Path

from duban.errors import InputError
from duban.extract.errors import ExtractionError
from duban.extract.reader import read_bytes
from duban.services.import_input import normalise_units
from duban.services.tasks import normalise_deadline


def source_hash(source: bytes | str) -> str:
    """The identity of a plan file: sha256 of its text as read (a 64-hex string is taken as an already computed hash).

    The same document saved in another encoding (GBK, UTF-16) or with other line endings reads as the same
    text, so it is the same plan; bytes that cannot be read as a document are identified by the bytes.
    """
    if isinstance(source, str):
        if len(source) == 64 and all(c in "0123456789abcdef" for c in source.lower()):
            return source.lower()
        source = source.encode("utf-8")
    data = bytes(source)
    byte_hash = hashlib.sha256(data).hexdigest()
    with _TEXT_HASHES_LOCK:
        known = _TEXT_HASHES.get(byte_hash)
    if known is None:
        known = _text_hash(data, byte_hash)
        with _TEXT_HASHES_LOCK:
            while len(_TEXT_HASHES) >= 32:
                _TEXT_HASHES.pop(next(iter(_TEXT_HASHES)))
            _TEXT_HASHES[byte_hash] = known
    return known


# the import page asks for the same upload's identity on every rerun: remembered by the bytes' hash
_TEXT_HASHES: dict[str, str] = {}
_TEXT_HASHES_LOCK = threading.Lock()


def _text_hash(data: bytes, byte_hash: str) -> str:
    try:
        text = read_bytes(data, "")
    except (ExtractionError, ValueError):
        return byte_hash
    lines = (line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n"))
    return hashlib.sha256(("text:" + "\n".join(line for line in lines if line)).encode("utf-8")).hexdigest()


def display_title(extraction: dict) -> str:
    """The plan's title; for a document that carries none, its file's name when that is written in words
    (offices name files after the plan: 钦州市一老一小实施方案.docx), else a stand-in naming its place."""
    title = (extraction.get("title") or "").strip()
    if title:
        return title
    stem = Path(str(extraction.get("source") or "")).stem.strip()
    if sum("\u4e00" <= c <= "\u9fff" for c in stem) >= 4:
        return stem
    return f"{extraction.get('jurisdiction') or ''}规划(未注明标题)"



def _date(value, what: str) -> str:
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except (TypeError, ValueError):
        raise InputError(f"{what}不是有效日期:{value!r}") from None


def validate(extraction: dict) -> dict:
    """A checked, normalised copy of an extraction; InputError (Chinese) saying what is wrong otherwise."""
    if not isinstance(extraction, dict):
        raise InputError("提取结果格式不正确。")
    ex = json.loads(json.dumps(extraction, ensure_ascii=False, default=str))
    if not str(ex.get("jurisdiction") or "").strip():
        raise InputError("未能识别规划所属的地区(jurisdiction),请补充后再导入。")
    ex["jurisdiction"] = ex["jurisdiction"].strip()
    period = ex.get("period") or {}
    if not period.get("start") or not period.get("end"):
        raise InputError("缺少规划期(起止日期),请补充后再导入。")
    period = {"start": _date(period["start"], "规划起始日期"), "end": _date(period["end"], "规划截止日期")}
    if period["start"] > period["end"]:
        raise InputError(f"规划期起始日期晚于截止日期:{period['start']} > {period['end']}。")
    ex["period"] = period
    if ex.get("published"):
        ex["published"] = _date(ex["published"], "发布日期")
    tasks = ex.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise InputError("未从文件中识别出任何任务(带责任单位的条目),未导入。")
    for i, t in enumerate(tasks, 1):
        if not isinstance(t, dict):
            raise InputError(f"第 {i} 项任务格式不正确。")
        t["title"] = str(t.get("title") or "").strip()
        if not t["title"]:
            raise InputError(f"第 {i} 项任务缺少名称。")
        lead, units = normalise_units([str(u) for u in (t.get("lead") or [])],
                                      [str(u) for u in (t.get("units") or [])], ex["jurisdiction"])
        if not units:
            raise InputError(f"任务“{t['title']}”没有责任单位。")
        t["units"], t["lead"] = units, lead or units[:1]
        t["lead_explicit"] = bool(t.get("lead_explicit", bool(lead)))
        t["seq"] = int(t.get("seq") or i)
        path = t.get("path") or []
        if not isinstance(path, list):
            raise InputError(f"任务“{t['title']}”的标题路径格式不正确。")
        t["path"] = [str(p) for p in path]
        try:
            t["deadlines"] = [normalise_deadline(d) for d in (t.get("deadlines") or [])]
        except InputError as e:
            raise InputError(f"任务“{t['title']}”的期限有误:{e}") from None
        t["ongoing"] = bool(t.get("ongoing"))
    for i, ind in enumerate(ex.get("indicators") or [], 1):
        if not isinstance(ind, dict) or not str(ind.get("name") or "").strip():
            raise InputError(f"第 {i} 个指标缺少名称。")
        for key in ("baseline_year", "target_year"):
            if ind.get(key) not in (None, ""):
                try:
                    ind[key] = int(ind[key])
                except (TypeError, ValueError):
                    raise InputError(f"指标“{ind['name']}”的年份不正确:{ind[key]!r}") from None
            else:
                ind[key] = None
    ex["indicators"] = ex.get("indicators") or []
    return ex


def _deadline_date(d: dict) -> tuple:
    """What makes two deadlines the same date in the tracker (the phrase does not)."""
    return (d.get("kind"), d.get("due"), d.get("freq"), d.get("month"), d.get("day"))


def stored_deadlines(task: dict) -> list[dict]:
    """The deadline rows a task keeps: one per distinct date (a text naming 2022年底前 twice is one deadline),
    else one marking 持续推进 or the plan's end."""
    if task["deadlines"]:
        first: dict[tuple, dict] = {}
        for d in task["deadlines"]:
            first.setdefault(_deadline_date(d), d)
        return list(first.values())
    if task.get("ongoing"):
        text = task.get("text") or ""
        phrase = next((p for p in ("长期坚持", "持续推进", "常态化") if p in text), None)
        return [{"kind": "ongoing", "phrase": phrase}]
    return [{"kind": "plan_end", "phrase": None}]
