"""Importing an extracted plan in one transaction, and revising a stored plan when a new version arrives."""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import indicators as ind_q
from db.queries import instances as inst_q
from db.queries import plans as q
from db.queries import tasks as task_q
from duban.access import Actor, require_office
from duban.clock import now_text
from duban.errors import AccessDenied, InputError, NotFound
from duban.rules import indicators as ind_rules
from duban.rules.instances import describe, expand_instances
from duban.rules.names import ROLE_NAMES
from duban.services import departments as dept_s
from duban.services import indicators as ind_s
from duban.services.import_input import normalise_units
from duban.services.tasks import normalise_deadline


class RevisionNeeded(InputError):
    """The file is a revised version of a stored plan; it is applied only once the office confirms the diff."""

    def __init__(self, plan_id: int, diff: PlanDiff) -> None:
        self.plan_id = plan_id
        self.diff = diff
        super().__init__(f"该文件是已导入规划《{diff.old_title}》的修订版,需确认变更后才会更新。")


@dataclass
class PlanDiff:
    """What a revised document changes in a stored plan."""

    plan_id: int
    old_title: str
    new_title: str
    added: list[dict] = field(default_factory=list)          # new tasks: seq, number, title, units
    removed: list[dict] = field(default_factory=list)        # stored tasks gone: id, seq, number, title
    reworded: list[dict] = field(default_factory=list)       # id, old_title, new_title, text_changed
    units_changed: list[dict] = field(default_factory=list)  # id, title, old, new (["市民政局(牵头)", ...])
    deadlines_changed: list[dict] = field(default_factory=list)  # id, title, old, new (["2025年底前 → 2025-12-31"])
    meta_changed: dict = field(default_factory=dict)         # field -> (old, new)
    matches: list[tuple[int, int]] = field(default_factory=list)  # (stored task id, index in the new extraction)
    # indicators the office corrected where the new document says otherwise: id, name, field, label, office,
    # document (texts); the office's value is kept. field None: the document no longer lists the indicator.
    indicator_conflicts: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.units_changed or self.deadlines_changed
                    or self.meta_changed or self.indicator_conflicts)

    def counts(self) -> dict[str, int]:
        out = {"新增任务": len(self.added), "删除任务": len(self.removed), "措辞修改": len(self.reworded),
               "责任单位变化": len(self.units_changed), "期限变化": len(self.deadlines_changed)}
        if self.indicator_conflicts:
            out["保留指标修正"] = len(self.indicator_conflicts)
        return out

    def lines(self) -> list[str]:
        """The diff as Chinese lines for a terminal or a page."""
        out = [f"规划《{self.old_title}》的修订版:"]
        labels = {"title": "标题", "issuer": "发文机关", "doc_number": "文号", "published": "发布日期",
                  "period_start": "规划起始", "period_end": "规划截止"}
        for key, (old, new) in self.meta_changed.items():
            out.append(f"  {labels.get(key, key)}:{old or '无'} → {new or '无'}")
        for t in self.added:
            out.append(f"  + 新增任务 {t['seq']}. {t['title']}({'、'.join(t['units'])})")
        for t in self.removed:
            out.append(f"  - 删除任务 {t['seq']}. {t['title']}")
        for t in self.reworded:
            if t["old_title"] != t["new_title"]:
                out.append(f"  ~ 措辞修改:{t['old_title']} → {t['new_title']}")
            else:
                out.append(f"  ~ 正文修改:{t['new_title']}")
        for t in self.units_changed:
            out.append(f"  ~ 责任单位变化[{t['title']}]:{'、'.join(t['old'])} → {'、'.join(t['new'])}")
        for t in self.deadlines_changed:
            out.append(f"  ~ 期限变化[{t['title']}]:{'、'.join(t['old']) or '无'} → {'、'.join(t['new']) or '无'}")
        for c in self.indicator_conflicts:
            if c["field"] is None:
                out.append(f"  ! 指标[{c['name']}]:新文件中已无此指标,办公室修正过,予以保留")
            else:
                out.append(f"  ! 指标[{c['name']}]{c['label']}:新文件为 {c['document'] or '空'},"
                           f"保留办公室修正的 {c['office'] or '空'}")
        if self.is_empty:
            out.append("  (任务、责任单位和期限均无变化)")
        return out


@dataclass
class ImportCheck:
    """What importing a file would do, before anything is written."""

    kind: str  # new | unchanged | old_version | revision
    plan_id: int | None
    title: str
    message: str
    diff: PlanDiff | None = None


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
    from duban.extract.errors import ExtractionError
    from duban.extract.reader import read_bytes

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


# ---------------------------------------------------------------- validation


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


def _stored_deadlines(task: dict) -> list[dict]:
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


# ---------------------------------------------------------------- checking and importing


def check_import(db: sqlite_utils.Database, actor: Actor, extraction: dict, source_name: str,
                 source: bytes | str) -> ImportCheck:
    """Say whether a file is new, already imported, or a revision of a stored plan (with its diff); writes nothing."""
    require_office(actor)
    ex = validate(extraction)
    title = display_title(ex)
    stored = already_stored(db, actor, source)
    if stored is not None:
        return stored
    jid = q.jurisdiction_by_name(db, ex["jurisdiction"])
    stored = q.same_document(db, jid, ex.get("title")) if jid is not None else None
    if stored:
        diff = _diff_plan(db, stored["id"], ex)
        return ImportCheck("revision", stored["id"], stored["title"], f"该文件是已导入规划《{stored['title']}》的修订版。",
                           diff)
    return ImportCheck("new", None, title, f"将导入新规划《{title}》:{len(ex['tasks'])} 项任务,"
                                            f"{len(ex['indicators'])} 个指标。")


def already_stored(db: sqlite_utils.Database, actor: Actor, source: bytes | str) -> ImportCheck | None:
    """The stored plan this very file is (the current or an earlier version), whatever could be read from it."""
    require_office(actor)
    digest = source_hash(source)
    same = q.by_hash(db, digest)
    if same:
        return ImportCheck("unchanged", same["id"], same["title"], f"《{same['title']}》已导入过(文件内容相同),未作任何更改。")
    old = q.version_by_hash(db, digest)
    if old:
        return ImportCheck("old_version", old["plan_id"], old["title"],
                           f"该文件是《{old['title']}》的较早版本(第 {old['version']} 版),未作任何更改。")
    return None


def import_plan(db: sqlite_utils.Database, actor: Actor, extraction: dict, source_name: str,
                source_bytes: bytes | str, today: dt.date, *, confirm_revision: bool = False,
                is_demo: bool = False) -> int:
    """Store an extracted plan in one transaction and return its id.

    The same file again changes nothing and returns the stored plan's id. A revised version of a stored plan
    (same jurisdiction and title, other content) raises RevisionNeeded with the diff, and is applied only
    with confirm_revision=True.
    """
    require_office(actor)
    ex = validate(extraction)
    digest = source_hash(source_bytes)
    with transaction(db):
        same = q.by_hash(db, digest)
        if same:
            return same["id"]
        old = q.version_by_hash(db, digest)
        if old:
            return old["plan_id"]
        jid = q.jurisdiction_by_name(db, ex["jurisdiction"])
        stored = q.same_document(db, jid, ex.get("title")) if jid is not None else None
        if stored:
            diff = _diff_plan(db, stored["id"], ex)
            if not confirm_revision:
                raise RevisionNeeded(stored["id"], diff)
            return apply_revision(db, actor, stored["id"], ex, source_name, digest, today, diff=diff)
        return _insert_plan(db, actor, ex, source_name, digest, today, is_demo)


def _insert_plan(db: sqlite_utils.Database, actor: Actor, ex: dict, source_name: str, digest: str,
                 today: dt.date, is_demo: bool) -> int:
    jid = q.ensure_jurisdiction(db, ex["jurisdiction"])
    plan_id = q.insert(
        db, jurisdiction_id=jid, title=display_title(ex), issuer=ex.get("issuer"), doc_number=ex.get("doc_number"),
        published=ex.get("published"), period_start=ex["period"]["start"], period_end=ex["period"]["end"],
        source_name=source_name, source_hash=digest, extraction=json.dumps(ex, ensure_ascii=False),
        is_demo=int(is_demo), imported_by=actor.user_id)
    sections = _Sections(db, plan_id)
    start, end = dt.date.fromisoformat(ex["period"]["start"]), dt.date.fromisoformat(ex["period"]["end"])
    for t in ex["tasks"]:
        _insert_task(db, plan_id, jid, ex["jurisdiction"], sections, t, start, end)
    _store_indicators(db, plan_id, jid, ex)
    audit.record(db, actor, "导入规划", "plan", plan_id,
                 {"title": display_title(ex), "source": source_name, "hash": digest, "tasks": len(ex["tasks"]),
                  "indicators": len(ex["indicators"]), "today": today})
    return plan_id


class _Sections:
    """Sections of a plan keyed by heading path, created on first use."""

    def __init__(self, db: sqlite_utils.Database, plan_id: int) -> None:
        self.db, self.plan_id = db, plan_id
        self.ids: dict[tuple[str, ...], int] = {}
        rows = q.sections(db, plan_id)
        by_id = {r["id"]: r for r in rows}
        for r in rows:
            path, node = [], r
            while node:
                path.insert(0, node["title"])
                node = by_id.get(node["parent_id"])
            self.ids[tuple(path)] = r["id"]
        self.position = max((r["position"] for r in rows), default=0)

    def for_path(self, path: list[str]) -> int | None:
        parent = None
        for level in range(1, len(path) + 1):
            key = tuple(path[:level])
            if key not in self.ids:
                self.position += 1
                self.ids[key] = q.insert_section(self.db, self.plan_id, parent, level, path[level - 1], self.position)
            parent = self.ids[key]
        return parent


def _unit_rows(db: sqlite_utils.Database, jid: int, jurisdiction: str, t: dict) -> list[tuple[int, str]]:
    """(department id, role) in the order written; one row per department, lead if any mention is lead."""
    rows: dict[int, str] = {}
    for name in t["units"]:
        dep = dept_s.ensure_department(db, jid, name)
        role = "lead" if name in t["lead"] else "co"
        if rows.get(dep) != "lead":
            rows[dep] = role
    return list(rows.items())


def _insert_task(db: sqlite_utils.Database, plan_id: int, jid: int, jurisdiction: str, sections: _Sections,
                 t: dict, start: dt.date, end: dt.date) -> int:
    from duban.services.tasks import store_deadlines

    task_id = task_q.insert(
        db, plan_id=plan_id, section_id=sections.for_path(t["path"]), seq=t["seq"], number=t.get("number"),
        title=t["title"], body=t.get("text"), path=json.dumps(t["path"], ensure_ascii=False),
        lead_explicit=int(t["lead_explicit"]), ongoing=int(t["ongoing"]), source="规划")
    task_q.set_units(db, task_id, _unit_rows(db, jid, jurisdiction, t))
    store_deadlines(db, task_id, _stored_deadlines(t), start, end)
    return task_id


def _indicator_key(row: dict) -> tuple:
    return (row.get("table") if "table" in row else row.get("table_name"), row.get("category"), row.get("name"),
            row.get("target_year"))


def _document_field(column: str) -> str:
    """The extraction's key for an indicator column (table_name is `table` there)."""
    return "table" if column == "table_name" else column


def _same_value(column: str, a, b) -> bool:
    if column == "unit_ids":
        return list(a or []) == list(b or [])
    if column in ("baseline_year", "target_year"):
        return (None if a in (None, "") else int(a)) == (None if b in (None, "") else int(b))
    if column == "comparison":
        return ind_rules.normalise_comparison(a) == ind_rules.normalise_comparison(b)
    return ind_rules.normalise(a) == ind_rules.normalise(b)


@dataclass
class _IndicatorPairs:
    """A revision's indicators against the stored ones: (position, document row, stored row or None) and the
    stored rows the document no longer lists; `corrections` as duban.services.indicators.office_corrections."""

    pairs: list[tuple[int, dict, dict | None]]
    unmatched: list[dict]
    corrections: dict[int, dict]


def _pair_indicators(db: sqlite_utils.Database, plan_id: int, ex: dict) -> _IndicatorPairs:
    """Match by table, category, name and target year as the document had them (before any office correction)."""
    stored = q.indicators(db, plan_id)
    corrections = ind_s.office_corrections(db, [r["id"] for r in stored])
    existing = {}
    for r in stored:
        view = {**r, **{k: v for k, v in corrections.get(r["id"], {}).items() if k in r}}
        existing[_indicator_key(view)] = r
    pairs, kept = [], set()
    for pos, ind in enumerate(ex["indicators"]):
        old = existing.get(_indicator_key(ind))
        if old and old["id"] not in kept:
            kept.add(old["id"])
            pairs.append((pos, ind, old))
        else:
            pairs.append((pos, ind, None))
    return _IndicatorPairs(pairs, [r for r in existing.values() if r["id"] not in kept], corrections)


def _shown(db: sqlite_utils.Database, column: str, value) -> str:
    """An indicator field's value as the diff shows it (responsible units by name)."""
    if column != "unit_ids":
        return "" if value is None else str(value)
    names = ind_q.department_names(db, [i for i in value if i is not None])
    return "、".join(names.get(i, "(新单位)") for i in value) or "无"


def _corrected_fields(db: sqlite_utils.Database, old: dict, ind: dict, corrected: dict,
                      unit_ids: list) -> tuple[dict, dict, list[dict]]:
    """For a stored indicator the office corrected: the office's values to keep, the document's values that
    changed since (to remember), and the conflicts to show (the document now differs from the office)."""
    keep, changed, conflicts = {}, {}, []
    for column, said_before in corrected.items():
        if column == "unit_ids":
            office = [u["department_id"] for u in ind_q.units(db, [old["id"]]).get(old["id"], [])]
            says_now = unit_ids
        elif column in old:
            office, says_now = old[column], ind.get(_document_field(column))
        else:
            continue
        keep[column] = office
        if _same_value(column, says_now, said_before):
            continue
        changed[column] = says_now
        if not _same_value(column, says_now, office):
            conflicts.append({"id": old["id"], "name": old["name"], "field": column,
                              "label": ind_s.FIELD_LABELS.get(column, column),
                              "office": _shown(db, column, office), "document": _shown(db, column, says_now)})
    return keep, changed, conflicts


def _indicator_conflicts(db: sqlite_utils.Database, jid: int, plan_id: int, ex: dict) -> list[dict]:
    """What a revision would meet of the office's corrections (nothing is written)."""
    found = _pair_indicators(db, plan_id, ex)
    out = []
    for _pos, ind, old in found.pairs:
        corrected = found.corrections.get(old["id"], {}) if old else {}
        if corrected:
            units = [dept_s.resolve(db, jid, n) for n in (ind.get("responsible") or []) if str(n).strip()]
            out += _corrected_fields(db, old, ind, corrected, list(dict.fromkeys(units)))[2]
    for old in found.unmatched:
        if old["id"] in found.corrections:
            out.append({"id": old["id"], "name": old["name"], "field": None, "label": "", "office": "",
                        "document": ""})
    return out


def _store_indicators(db: sqlite_utils.Database, plan_id: int, jid: int, ex: dict,
                      actor: Actor | None = None) -> None:
    """Store the extraction's indicators; on a revision, update matching rows so reported actuals stay attached
    and the office's corrections stay as the office made them."""
    found = _pair_indicators(db, plan_id, ex)
    for pos, ind, old in found.pairs:
        deps = list(dict.fromkeys(dept_s.ensure_department(db, jid, n)
                                  for n in (ind.get("responsible") or []) if str(n).strip()))
        if old is None:
            q.set_indicator_units(db, q.insert_indicator(db, plan_id, ind, pos), deps)
            continue
        corrected = found.corrections.get(old["id"], {})
        keep, changed, _ = _corrected_fields(db, old, ind, corrected, deps) if corrected else ({}, {}, [])
        q.update_indicator(db, old["id"], {**ind, **{_document_field(c): v for c, v in keep.items()}}, pos)
        if "unit_ids" not in keep:
            q.set_indicator_units(db, old["id"], deps)
        if changed:
            ind_s.record_kept(db, actor, old["id"], changed, {c: keep[c] for c in changed})
    for old in found.unmatched:
        if not old["actuals"] and old["id"] not in found.corrections:
            q.delete_indicator(db, old["id"])


# ---------------------------------------------------------------- revisions


def _deadline_key(d: dict) -> tuple:
    return (d.get("kind"), d.get("due"), d.get("freq"), d.get("month"), d.get("day"), d.get("phrase"))


def _deadline_text(d: dict) -> str:
    rule = describe(d)
    return f"{d['phrase']}({rule})" if d.get("phrase") and rule else (d.get("phrase") or rule or "规划期末")


def _similarity(a: str, b: str) -> float:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.5 or m.quick_ratio() < 0.5:
        return 0.0
    return m.ratio()


def _match(old: list[dict], new: list[dict]) -> list[tuple[int, int]]:
    """Pair stored tasks with the new document's tasks: same title first, then the most similar text."""
    pairs: list[tuple[int, int]] = []
    free_old = {i for i in range(len(old))}
    free_new = {j for j in range(len(new))}

    def take(i: int, j: int) -> None:
        pairs.append((i, j))
        free_old.discard(i)
        free_new.discard(j)

    for same_path in (True, False):
        for j in sorted(free_new):
            cands = [i for i in sorted(free_old) if old[i]["title"] == new[j]["title"]
                     and (not same_path or json.loads(old[i]["path"] or "[]") == new[j]["path"])]
            if cands:
                take(cands[0], j)
    scored = []
    for i in free_old:
        a = old[i]["title"] + "\n" + (old[i]["body"] or "")
        for j in free_new:
            s = _similarity(a, new[j]["title"] + "\n" + (new[j].get("text") or ""))
            if s >= 0.6:
                scored.append((s, i, j))
    for _s, i, j in sorted(scored, reverse=True):
        if i in free_old and j in free_new:
            take(i, j)
    return pairs


def diff_plan(db: sqlite_utils.Database, actor: Actor, old_plan_id: int, extraction: dict) -> PlanDiff:
    """What the new extraction changes in a stored plan: tasks added, removed, reworded; units or deadlines."""
    require_office(actor)
    return _diff_plan(db, old_plan_id, extraction)


def _diff_plan(db: sqlite_utils.Database, old_plan_id: int, extraction: dict) -> PlanDiff:
    plan = q.get(db, old_plan_id)
    if plan is None:
        raise NotFound("规划不存在。")
    ex = validate(extraction)
    jid = plan["jurisdiction_id"]
    diff = PlanDiff(plan_id=old_plan_id, old_title=plan["title"], new_title=display_title(ex))
    old_ex = q.extraction_of(plan)
    for key, new_value in (("title", ex.get("title")), ("issuer", ex.get("issuer")),
                           ("doc_number", ex.get("doc_number")), ("published", ex.get("published")),
                           ("period_start", ex["period"]["start"]), ("period_end", ex["period"]["end"])):
        old_value = old_ex.get("title") if key == "title" else plan.get(key)
        if (old_value or None) != (new_value or None):
            diff.meta_changed[key] = (old_value, new_value)
    old_tasks = task_q.of_plan(db, old_plan_id)
    units = task_q.units_of_plan(db, old_plan_id)
    deadlines = task_q.deadlines_of_plan(db, old_plan_id)
    pairs = _match(old_tasks, ex["tasks"])
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    from db.queries import departments as dept_q

    for i, j in sorted(pairs, key=lambda p: p[1]):
        o, n = old_tasks[i], ex["tasks"][j]
        diff.matches.append((o["id"], j))
        if o["title"] != n["title"] or (o["body"] or "") != (n.get("text") or o["body"] or ""):
            diff.reworded.append({"id": o["id"], "old_title": o["title"], "new_title": n["title"],
                                  "text_changed": (o["body"] or "") != (n.get("text") or o["body"] or "")})
        old_units = [(u["department_id"], u["role"]) for u in units.get(o["id"], [])]
        new_units: list[tuple] = []
        seen: set = set()
        for name in n["units"]:
            dep = dept_s.resolve(db, jid, name)
            key = dep if dep is not None else "new:" + dept_s.canonical_name(name, dept_q.names(db, jid))
            if key in seen:
                continue
            seen.add(key)
            new_units.append((key, "lead" if name in n["lead"] else "co"))
        if sorted(old_units, key=str) != sorted(new_units, key=str):
            diff.units_changed.append({
                "id": o["id"], "title": n["title"],
                "old": [f"{u['name']}({ROLE_NAMES[u['role']]})" for u in units.get(o["id"], [])],
                "new": [f"{name}({'牵头' if name in n['lead'] else '配合'})" for name in n["units"]]})
        old_d = [_deadline_key(d) for d in deadlines.get(o["id"], [])]
        new_d = [_deadline_key(d) for d in _stored_deadlines(n)]
        if old_d != new_d:
            diff.deadlines_changed.append({
                "id": o["id"], "title": n["title"],
                "old": [_deadline_text(d) for d in deadlines.get(o["id"], [])],
                "new": [_deadline_text(d) for d in _stored_deadlines(n)]})
    for i, o in enumerate(old_tasks):
        if i not in matched_old:
            diff.removed.append({"id": o["id"], "seq": o["seq"], "number": o["number"], "title": o["title"]})
    for j, n in enumerate(ex["tasks"]):
        if j not in matched_new:
            diff.added.append({"index": j, "seq": n["seq"], "number": n.get("number"), "title": n["title"],
                               "units": n["units"], "lead": n["lead"]})
    diff.indicator_conflicts = _indicator_conflicts(db, jid, old_plan_id, ex)
    return diff


def apply_revision(db: sqlite_utils.Database, actor: Actor, plan_id: int, extraction: dict, source_name: str,
                   source_bytes: bytes | str, today: dt.date, diff: PlanDiff | None = None) -> int:
    """Apply a confirmed revision: matched tasks keep their ids, reports and history; dropped tasks are marked
    removed; new tasks are added; instances already reported on are kept."""
    require_office(actor)
    ex = validate(extraction)
    digest = source_hash(source_bytes)
    with transaction(db):
        plan = q.get(db, plan_id)
        if plan is None:
            raise NotFound("规划不存在。")
        if q.by_hash(db, digest) and q.by_hash(db, digest)["id"] != plan_id:
            raise InputError("该文件已作为另一个规划导入。")
        diff = diff if diff is not None else _diff_plan(db, plan_id, ex)
        jid, jname = plan["jurisdiction_id"], ex["jurisdiction"]
        q.save_version(db, plan)
        q.update(db, plan_id, title=display_title(ex), issuer=ex.get("issuer"), doc_number=ex.get("doc_number"),
                 published=ex.get("published"), period_start=ex["period"]["start"], period_end=ex["period"]["end"],
                 source_name=source_name, source_hash=digest, extraction=json.dumps(ex, ensure_ascii=False),
                 version=plan["version"] + 1, imported_at=now_text(), imported_by=actor.user_id)
        start, end = dt.date.fromisoformat(ex["period"]["start"]), dt.date.fromisoformat(ex["period"]["end"])
        sections = _Sections(db, plan_id)
        for task_id, j in diff.matches:
            t = ex["tasks"][j]
            task_q.update(db, task_id, section_id=sections.for_path(t["path"]), seq=t["seq"], number=t.get("number"),
                          title=t["title"], body=t.get("text") or task_q.get(db, task_id)["body"],
                          path=json.dumps(t["path"], ensure_ascii=False), lead_explicit=int(t["lead_explicit"]),
                          ongoing=int(t["ongoing"]))
            task_q.set_units(db, task_id, _unit_rows(db, jid, jname, t))
            _revise_deadlines(db, task_id, _stored_deadlines(t), start, end, today)
        for t in diff.removed:
            task_q.mark_removed(db, t["id"])
        for t in diff.added:
            _insert_task(db, plan_id, jid, jname, sections, ex["tasks"][t["index"]], start, end)
        _store_indicators(db, plan_id, jid, ex, actor)
        audit.record(db, actor, "修订规划", "plan", plan_id,
                     {"from_version": plan["version"], "to_version": plan["version"] + 1, "source": source_name,
                      "hash": digest, **diff.counts()})
    return plan_id


def _revise_deadlines(db: sqlite_utils.Database, task_id: int, new: list[dict], start: dt.date, end: dt.date,
                      today: dt.date) -> None:
    """Bring a task's deadlines and instances to the new version, keeping instances with the same due date."""
    old = task_q.deadlines(db, task_id)
    if [_deadline_key(d) for d in old] == [_deadline_key(d) for d in new]:
        ids = [d["id"] for d in old]
        stale: list[int] = []
    else:
        ids = [task_q.insert_deadline(db, task_id, d, pos) for pos, d in enumerate(new)]
        stale = [d["id"] for d in old]
    desired = [(deadline_id, due.isoformat(), label)
               for deadline_id, d in zip(ids, new, strict=True) for due, label in expand_instances(d, start, end)]
    existing = inst_q.of_task(db, task_id)
    by_due: dict[str, list[dict]] = {}
    for inst in existing:
        by_due.setdefault(inst["due"], []).append(inst)
    used: set[int] = set()
    to_insert = []
    for deadline_id, due, label in desired:
        same = next((i for i in by_due.get(due, []) if i["id"] not in used), None)
        if same:
            used.add(same["id"])
            inst_q.repoint(db, same["id"], deadline_id, label)
        else:
            to_insert.append((deadline_id, task_id, due, label))
    for inst in existing:
        if inst["id"] in used:
            continue
        if inst["state"] == "open" and not inst_q.is_referenced(db, inst["id"]):
            inst_q.delete(db, inst["id"])
        else:
            inst_q.repoint(db, inst["id"], None, None)
            if inst["state"] == "open":
                inst_q.set_state(db, inst["id"], "closed", today.isoformat())
    for deadline_id in stale:
        task_q.delete_deadline(db, deadline_id)
    inst_q.insert_many(db, to_insert)


def list_plans(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every plan with jurisdiction, period, version and task counts (a liaison: its own jurisdiction's)."""
    rows = q.list_plans(db)
    allowed = dept_s.visible_jurisdictions(db, actor)
    return rows if allowed is None else [r for r in rows if r["jurisdiction_id"] in allowed]


def get_plan(db: sqlite_utils.Database, actor: Actor, plan_id: int) -> dict:
    """One plan with its sections and earlier versions (a liaison: of its own jurisdiction)."""
    plan = q.get(db, plan_id)
    if plan is None:
        raise NotFound("规划不存在。")
    allowed = dept_s.visible_jurisdictions(db, actor)
    if allowed is not None and plan["jurisdiction_id"] not in allowed:
        raise AccessDenied("只能查看本地区的规划。")
    plan["sections"] = q.sections(db, plan_id)
    plan["versions"] = q.versions(db, plan_id)
    return plan
