"""Joint meetings: proposing them from a plan's text, asking member units for updates beforehand, locking the
reporting period when the pack is built, and carrying the meeting's decisions back into the tracker."""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import meetings as q
from duban.access import SYSTEM, Actor, require_office
from duban.clock import now_text
from duban.errors import AccessDenied, DubanError, InputError, NotFound
from duban.rules.dates import cn_date
from duban.services.textinput import as_id, clean

log = logging.getLogger("duban.meetings")

KINDS = ["联席会议", "领导小组例会", "其他"]
ASSIGNED_SOURCES = ["领导批示", "上级交办", "其他"]
DEFAULT_REMIND_DAYS = 7
MAX_TITLE, MAX_NOTES = 200, 2000
MEETING_WORDS = ("会议", "例会", "联席")


# ---------------------------------------------------------------- reading

def _require_reader(actor: Actor) -> None:
    if not actor.sees_all:
        raise AccessDenied("只有办公室和领导可以查看会议。")


def list_meetings(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every meeting, latest first, with counts of plans, member units and decisions."""
    _require_reader(actor)
    return q.meetings(db)


def get_meeting(db: sqlite_utils.Database, actor: Actor, meeting_id: int) -> dict:
    """One meeting with its plans, member units and the tasks its decisions became."""
    _require_reader(actor)
    row = q.meeting(db, as_id(meeting_id, "会议编号"))
    if row is None:
        raise NotFound("会议不存在。")
    row["plans"] = q.meeting_plans(db, row["id"])
    row["units"] = q.meeting_units(db, row["id"])
    row["decisions"] = q.decision_tasks(db, row["id"])
    return row


def list_plans(db: sqlite_utils.Database) -> list[dict]:
    """The plans a meeting can cover."""
    return q.plans(db)


def list_departments(db: sqlite_utils.Database, plan_ids: list[int] | None = None) -> list[dict]:
    """Departments to choose units from: those of the given plans, else all."""
    if plan_ids:
        return q.departments(db, q.plan_departments(db, plan_ids))
    return q.departments(db)


def assigned_tasks(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """交办任务: tasks the office entered from a leader's instruction or a higher authority, newest first."""
    _require_reader(actor)
    return q.assigned_tasks(db)


# ---------------------------------------------------------------- creating

def _as_date(value, what: str = "日期") -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except (TypeError, ValueError):
        raise InputError(f"{what}格式不正确:{value!r},应为 YYYY-MM-DD。") from None


def create_meeting(db: sqlite_utils.Database, actor: Actor, kind: str, date, plan_ids: list[int],
                   department_ids: list[int] | None = None, title: str | None = None,
                   remind_days: int | None = None, notes: str | None = None, deadline_id: int | None = None,
                   period_label: str | None = None, is_demo: bool = False) -> int:
    """Set up a meeting; without member units given, every unit answering for a task of its plans."""
    require_office(actor)
    if kind not in KINDS:
        raise InputError(f"会议类型应为:{'、'.join(KINDS)}。")
    day = _as_date(date, "会议日期")
    try:
        plan_ids = [int(p) for p in plan_ids or []]
        department_ids = [int(d) for d in department_ids] if department_ids is not None else None
        deadline_id = int(deadline_id) if deadline_id is not None else None
    except (TypeError, ValueError):
        raise InputError("规划、成员单位或期限的编号不正确。") from None
    if not plan_ids:
        raise InputError("请至少选择一个规划。")
    if remind_days is None:
        remind_days = default_remind_days(db)
    try:
        remind_days = int(remind_days)
    except (TypeError, ValueError):
        raise InputError("提前通知天数应为整数。") from None
    if not 0 <= remind_days <= 90:
        raise InputError("提前通知天数应在 0 到 90 天之间。")
    title = clean(title, "会议名称", MAX_TITLE)
    notes = clean(notes, "会议说明", MAX_NOTES)
    period_label = clean(period_label, "期次", MAX_TITLE) or None
    with transaction(db):
        known = {p["id"]: p for p in q.plans(db)}
        missing = [p for p in plan_ids if p not in known]
        if missing:
            raise InputError("规划不存在:" + "、".join(map(str, missing)))
        if deadline_id is not None:
            deadline_plan = q.deadline_plan(db, int(deadline_id))
            if deadline_plan is None or (deadline_plan and deadline_plan not in plan_ids):
                raise InputError(f"会议所依据的规划期限不存在或不属于所选规划:{deadline_id}")
        if department_ids is None:
            department_ids = q.plan_departments(db, plan_ids)
        department_ids = [int(d) for d in department_ids]
        if not department_ids:
            raise InputError("请至少选择一个成员单位。")
        found = {d["id"] for d in q.departments(db, department_ids)}
        if set(department_ids) - found:
            raise InputError("成员单位不存在:" + "、".join(map(str, sorted(set(department_ids) - found))))
        if not title:
            juris = known[plan_ids[0]]["jurisdiction"] or ""
            title = f"{juris}{day.year}年{day.month}月{kind}"
        meeting_id = q.insert_meeting(db, kind=kind, title=title, date=day.isoformat(), remind_days=remind_days,
                                      deadline_id=deadline_id, period_label=period_label,
                                      notes=notes or None, is_demo=is_demo, created_by=actor.user_id)
        q.set_meeting_plans(db, meeting_id, plan_ids)
        q.set_meeting_units(db, meeting_id, department_ids)
        audit.record(db, actor, "新建会议", "meeting", meeting_id,
                     {"kind": kind, "title": title, "date": day.isoformat(), "plans": plan_ids,
                      "units": len(department_ids), "deadline_id": deadline_id})
    return meeting_id


def default_remind_days(db: sqlite_utils.Database) -> int:
    """Days before a meeting that member units are asked for an update (the reminder rules', else 7)."""
    try:
        from duban.reminders.rules import meeting_request_days
    except ImportError:
        return DEFAULT_REMIND_DAYS
    days = meeting_request_days(db)
    return days[0] if days else DEFAULT_REMIND_DAYS


# ---------------------------------------------------------------- proposals from the plan's text

def _clause(text: str, phrase: str) -> tuple[str, int]:
    """The sentence of `text` that holds `phrase`, and where the phrase ends inside it."""
    pos = text.find(phrase) if phrase else -1
    if pos < 0:
        return phrase or "", len(phrase or "")
    start = max(text.rfind(c, 0, pos) for c in "。;;\n") + 1
    ends = [e for e in (text.find(c, pos) for c in "。;;\n") if e >= 0]
    end = min(ends) if ends else len(text)
    return text[start:end], pos - start + len(phrase)


def meeting_kind(sentence: str, phrase_end: int, freq: str | None = None) -> str | None:
    """Which meeting a recurring deadline's sentence sets up: the meeting named last before the phrase.
    Where only the phrase is known (召开 without a name), the usual rhythm decides: a quarterly one is the
    joint meeting, a half-yearly one the leading group's."""
    head = sentence[:phrase_end]
    joint, regular = head.rfind("联席"), head.rfind("例会")
    if joint >= 0 or regular >= 0:
        return "联席会议" if joint > regular else "领导小组例会"
    if any(w in sentence for w in MEETING_WORDS):
        return "其他"
    if "召开" in sentence:
        return {"quarterly": "联席会议", "semiannual": "领导小组例会"}.get(freq or "", "其他")
    return None


def _occurrences(deadline: dict, today: dt.date) -> list[tuple[dt.date, str]]:
    from duban.rules.instances import expand_instances

    spec = {"kind": "recurring", "freq": deadline["freq"], "month": deadline["month"], "day": deadline["day"]}
    return expand_instances(spec, dt.date(today.year - 1, 1, 1), dt.date(today.year + 2, 12, 31))


def meeting_title(jurisdiction: str | None, period_label: str, name: str, day: dt.date) -> str:
    """A meeting's name carries its date, so two meetings of one period never share a name."""
    return f"{jurisdiction or ''}{period_label}{name}({day.month}月{day.day}日)"


def propose_meetings(db: sqlite_utils.Database, plan_id: int, today: dt.date, *,
                     actor: Actor = SYSTEM) -> list[dict]:
    """The next meeting each of a plan's recurring meeting deadlines calls for (联席会议 一季度一次,
    领导小组例会 每半年一次 …), unless a meeting for that period is already set up (office and leaders)."""
    _require_reader(actor)
    plan = q.plan(db, as_id(plan_id, "规划编号"))
    if plan is None:
        raise NotFound("规划不存在。")
    out = []
    for d in q.meeting_deadlines(db, plan["id"]):
        sentence, end = _clause(d["body"] or d["title"] or "", d["phrase"] or "")
        kind = meeting_kind(sentence, end, d["freq"])
        if kind is None:
            continue
        occ = _occurrences(d, today)
        nxt = next(((due, label) for due, label in occ if due >= today), None)
        if nxt is None:
            continue
        due, label = nxt
        if q.meeting_for_deadline(db, d["id"], label):
            continue
        name = kind if kind != "其他" else ("全体成员会议" if "全体成员会议" in sentence else "工作会议")
        out.append({"plan_id": plan["id"], "plan_title": plan["title"], "deadline_id": d["id"], "task_id": d["task_id"],
                    "kind": kind, "title": meeting_title(plan["jurisdiction"], label, name, due), "date": due.isoformat(),
                    "period_label": label, "phrase": d["phrase"], "sentence": sentence.strip(), "freq": d["freq"]})
    return out


def proposals(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> list[dict]:
    """Proposed meetings across every plan, soonest first."""
    _require_reader(actor)
    out = []
    for plan in q.plans(db):
        out += propose_meetings(db, plan["id"], today, actor=actor)
    return sorted(out, key=lambda p: (p["date"], p["plan_id"], p["kind"]))


def accept_proposal(db: sqlite_utils.Database, actor: Actor, proposal: dict, date=None) -> int:
    """Set up a proposed meeting (on its proposed date unless another is given)."""
    return create_meeting(db, actor, proposal["kind"], date or proposal["date"], [proposal["plan_id"]],
                          title=proposal["title"], deadline_id=proposal["deadline_id"],
                          period_label=proposal["period_label"],
                          notes=f"依据规划条款:{proposal['sentence'][:MAX_NOTES - 10]}")


# ---------------------------------------------------------------- before the meeting: asking for updates

def _send(db: sqlite_utils.Database, department_id: int, subject: str, body: str, key: str, today: dt.date) -> str:
    """Queue the request on the reminder channels; without them, leave it in the unit's in-app inbox."""
    try:
        from duban.reminders.send import queue_message
    except ImportError:
        queue_message = None
    if queue_message is not None:
        queue_message(db, department_id, subject, body, key, today)
        return "queued"
    q.insert_notification(db, None, department_id, "meeting", subject, body, "meetings")
    return "inapp"


def send_update_requests(db: sqlite_utils.Database, today: dt.date, actor: Actor = SYSTEM,
                         meeting_id: int | None = None) -> list[dict]:
    """Ask each member unit of every meeting whose notice day has come (N days before it) for an update,
    once per unit and meeting; with meeting_id, that meeting now. Returns what was sent."""
    require_office(actor)
    sent = []
    with transaction(db):
        if meeting_id is not None:
            m = q.meeting(db, as_id(meeting_id, "会议编号"))
            if m is None:
                raise NotFound("会议不存在。")
            if m["date"] < today.isoformat():
                raise InputError("会议已经召开,不再通知报送。")
            due = [m]
        else:
            due = [m for m in q.meetings_between(db, today.isoformat(), (today + dt.timedelta(days=120)).isoformat())
                   if dt.date.fromisoformat(m["date"]) - dt.timedelta(days=m["remind_days"]) <= today]
        for m in due:
            asked = q.requests(db, m["id"])
            start = reporting_window(db, m, today)["start"]
            for unit in q.meeting_units(db, m["id"]):
                if unit["id"] in asked:
                    continue
                subject = f"请于{m['date']}前报送工作进展({m['title']})"
                body = (f"{unit['name']}:\n{m['title']}定于{m['date']}召开。请登录督办系统,"
                        f"于会前报送本单位牵头及配合任务自{start}以来的工作进展、存在问题和需协调事项。")
                channel = _send(db, unit["id"], subject, body, f"meeting:{m['id']}:dept:{unit['id']}", today)
                q.insert_request(db, m["id"], unit["id"], today.isoformat(), channel)
                sent.append({"meeting_id": m["id"], "department_id": unit["id"], "channel": channel})
        if sent:
            audit.record(db, actor, "会前通知报送", "meeting", meeting_id,
                         {"today": today.isoformat(), "count": len(sent),
                          "meetings": sorted({s["meeting_id"] for s in sent})})
    return sent


def reporting_window(db: sqlite_utils.Database, meeting: dict, today: dt.date) -> dict:
    """The reports that count for a meeting: those of the reporting period it falls in (for a meeting still
    ahead, the open period, up to today)."""
    locked = q.period_on(db, meeting["date"])
    if locked is not None and meeting["date"] <= today.isoformat():
        before = _previous(db, locked)
        return {"label": locked["label"], "start": locked["start"], "until": meeting["date"],
                "window": q.report_window(locked, before)}
    last = q.last_locked(db)
    start = (dt.date.fromisoformat(last["end"]) + dt.timedelta(days=1)).isoformat() if last else None
    opened = q.open_period(db)
    if opened is not None:
        start = opened["start"]
    return {"label": opened["label"] if opened else None, "start": start or "—",
            "until": min(meeting["date"], today.isoformat()), "window": q.report_window(None, last)}


def _previous(db: sqlite_utils.Database, period: dict) -> dict | None:
    earlier = [p for p in q.periods(db) if p["id"] < period["id"] and p["locked_at"]]
    return q.period(db, earlier[-1]["label"]) if earlier else None


def reporting_status(db: sqlite_utils.Database, actor: Actor, meeting_id: int, today: dt.date) -> dict:
    """For each member unit: whether it has reported in the meeting's reporting period, how often, when
    last, and when it was asked."""
    m = get_meeting(db, actor, meeting_id)
    w = reporting_window(db, m, today)
    unit_ids = [u["id"] for u in m["units"]]
    plan_ids = [p["id"] for p in m["plans"]]
    stats = q.unit_report_stats(db, unit_ids, plan_ids, w["window"], until=w["until"]) if unit_ids else {}
    asked = q.requests(db, m["id"])
    rows = []
    for u in m["units"]:
        s = stats.get(u["id"])
        rows.append({"department_id": u["id"], "department": u["name"], "jurisdiction": u["jurisdiction"],
                     "reported": bool(s), "reports": s["n"] if s else 0, "last_report": s["last"] if s else None,
                     "asked_on": asked[u["id"]]["sent_on"] if u["id"] in asked else None})
    rows.sort(key=lambda r: (r["reported"], r["department_id"]))
    return {"meeting": m, "period": w["label"], "start": w["start"], "until": w["until"], "units": rows,
            "reported": sum(r["reported"] for r in rows), "missing": sum(not r["reported"] for r in rows)}


# ---------------------------------------------------------------- reporting periods

def _next_label(db: sqlite_utils.Database, start: dt.date) -> str:
    return f"{start.year}年第{q.labels_starting(db, f'{start.year}年第') + 1}期"


def _open(db: sqlite_utils.Database, today: dt.date) -> dict:
    """The open reporting period, started now if there is none."""
    row = q.open_period(db)
    if row is not None:
        return row
    last = q.last_locked(db)
    if last is not None:
        start = dt.date.fromisoformat(last["end"]) + dt.timedelta(days=1)
    else:
        first = q.first_report_day(db)
        # earlier reports still fall in this first period; it is named after the year it is opened in
        start = max(dt.date.fromisoformat(first), dt.date(today.year, 1, 1)) if first else today
        start = min(start, today)
    q.insert_period(db, _next_label(db, start), start.isoformat())
    return q.open_period(db)


def current_period(db: sqlite_utils.Database, today: dt.date) -> str:
    """The label of the reporting period a report filed now belongs to (store it in reports.period)."""
    with transaction(db):
        return _open(db, today)["label"]


def list_periods(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Every reporting period, the open one last."""
    _require_reader(actor)
    return q.periods(db)


def lock_period(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> dict:
    """The locked period a pack dated `today` belongs to: one already covering that day, else the open
    period, locked now with `today` as its end (reports filed from now on go into the next period)."""
    require_office(actor)
    with transaction(db):
        existing = q.period_on(db, today.isoformat())
        if existing is not None:
            return existing
        last = q.last_locked(db)
        if last is not None and today.isoformat() < last["end"]:
            raise InputError(f"{today} 早于已锁定的报送期,无法生成该日的会议材料。")
        row = _open(db, today)
        start = min(dt.date.fromisoformat(row["start"]), today)
        if start.isoformat() != row["start"]:
            q.set_period_start(db, row["id"], start.isoformat())
        q.lock_period(db, row["id"], today.isoformat(), now_text(), actor.user_id)
        audit.record(db, actor, "锁定报送期", "report_period", row["id"],
                     {"label": row["label"], "start": start.isoformat(), "end": today.isoformat()})
        return q.period(db, row["label"])


# ---------------------------------------------------------------- the pack

@dataclass
class Pack:
    """A built meeting pack: the Word document, the Excel ledger and the figures both were made from."""

    docx: bytes
    xlsx: bytes
    data: dict
    period: str
    reused: bool

    @property
    def docx_name(self) -> str:
        return f"会议材料_{self.data['today']}.docx"

    @property
    def xlsx_name(self) -> str:
        return f"工作台账_{self.data['today']}.xlsx"


def _scope_key(plan_id: int | None) -> str:
    return "all" if plan_id is None else f"plan:{as_id(plan_id, '规划编号')}"


def build_pack(db: sqlite_utils.Database, actor: Actor, today: dt.date, plan_id: int | None = None) -> Pack:
    """Build the meeting pack and ledger for `today`, locking the reporting period; a period's figures are
    stored with it, so a pack rebuilt for a locked period shows the same figures.

    The Word and Excel files are rendered inside the transaction that locks the period: if rendering fails,
    nothing is locked or stored and the office can simply try again."""
    from duban.reports import ledger, meeting_pack

    require_office(actor)
    if plan_id is not None and q.plan(db, as_id(plan_id, "规划编号")) is None:
        raise NotFound("规划不存在。")
    key = _scope_key(plan_id)
    try:
        with transaction(db):
            period = lock_period(db, actor, today)
            snapshot = json.loads(period["snapshot"] or "{}")
            reused = key in snapshot
            if reused:
                data = snapshot[key]
            else:
                data = meeting_pack.collect(db, actor, today, plan_id, period)
                snapshot[key] = data
                q.set_snapshot(db, period["id"], json.dumps(snapshot, ensure_ascii=False))
                audit.record(db, actor, "生成会议材料", "report_period", period["id"],
                             {"scope": key, "today": today.isoformat(), "summary": data["summary"]})
            return Pack(docx=meeting_pack.render_docx(data), xlsx=ledger.render_xlsx(data), data=data,
                        period=period["label"], reused=reused)
    except DubanError:
        raise
    except Exception as e:  # noqa: BLE001 - a rendering failure: the office is told, the period stays open
        log.exception("会议材料生成失败")
        raise DubanError(f"会议材料生成失败,报送期未锁定,请稍后重试({type(e).__name__})。") from e


def stored_pack(db: sqlite_utils.Database, actor: Actor, label: str, plan_id: int | None = None) -> Pack:
    """A locked period's pack, rendered again from the figures stored when it was built."""
    from duban.reports import ledger, meeting_pack

    _require_reader(actor)
    period = q.period(db, label)
    if period is None or not period["locked_at"]:
        raise NotFound("该报送期不存在或尚未锁定。")
    data = json.loads(period["snapshot"] or "{}").get(_scope_key(plan_id))
    if data is None:
        raise NotFound("该报送期没有生成过这一范围的会议材料。")
    return Pack(docx=meeting_pack.render_docx(data), xlsx=ledger.render_xlsx(data), data=data, period=label, reused=True)


def period_snapshot(db: sqlite_utils.Database, actor: Actor, label: str) -> dict:
    """The figures stored for a locked period, by scope (office and leaders)."""
    _require_reader(actor)
    period = q.period(db, label)
    if period is None:
        raise NotFound("该报送期不存在。")
    return json.loads(period["snapshot"] or "{}")


# ---------------------------------------------------------------- after the meeting: decisions and assigned tasks (交办)

def _units(lead_ids, co_ids) -> list[tuple[int, str]]:
    try:
        lead = [int(d) for d in (lead_ids or [])]
        co = [int(d) for d in (co_ids or []) if int(d) not in lead]
    except (TypeError, ValueError):
        raise InputError("责任单位的编号不正确。") from None
    if not lead:
        raise InputError("请至少指定一个牵头单位。")
    return [(d, "lead") for d in lead] + [(d, "co") for d in co]


def _due_phrase(due: dt.date) -> str:
    return f"{cn_date(due)}前"


def record_decision(db: sqlite_utils.Database, actor: Actor, meeting_id: int, title: str, lead_ids: list[int],
                    co_ids: list[int] | None, due, today: dt.date, body: str | None = None) -> int:
    """Record one 议定事项 of a meeting held: it becomes a tracked task of its units, due on its deadline."""
    from duban.services.tasks import add_task

    require_office(actor)
    m = q.meeting(db, as_id(meeting_id, "会议编号"))
    if m is None:
        raise NotFound("会议不存在。")
    if m["date"] > today.isoformat():
        raise InputError("会议尚未召开,召开后再录入议定事项。")
    due = _as_date(due, "完成时限")
    return add_task(db, actor, title, _units(lead_ids, co_ids),
                    [{"kind": "once", "due": due.isoformat(), "phrase": _due_phrase(due)}],
                    source="议定事项", source_note=f"{m['title']}({m['date']})", meeting_id=m["id"],
                    body=(body or "").strip() or None, today=today)


def add_assigned_task(db: sqlite_utils.Database, actor: Actor, source: str, title: str, lead_ids: list[int],
                  co_ids: list[int] | None, due, today: dt.date, source_note: str | None = None,
                  body: str | None = None) -> int:
    """Add a task from a leader's instruction (领导批示) or a higher authority (上级交办), carrying its source."""
    from duban.services.tasks import add_task

    require_office(actor)
    if source not in ASSIGNED_SOURCES:
        raise InputError(f"任务来源应为:{'、'.join(ASSIGNED_SOURCES)}。")
    due = _as_date(due, "完成时限")
    return add_task(db, actor, title, _units(lead_ids, co_ids),
                    [{"kind": "once", "due": due.isoformat(), "phrase": _due_phrase(due)}],
                    source=source, source_note=(source_note or "").strip() or None, body=(body or "").strip() or None,
                    today=today)
