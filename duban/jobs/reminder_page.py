"""What the 提醒设置 page shows, tab by tab, and the actions behind its buttons, in one place.

Rules, channels and sending times serve every place: the system administrator and the whole database's office
change them; the office of one place reads them, and sees only the messages of its own places (what is sent to
its places' units and accounts about its places' tasks)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from db.queries import reminders as q
from duban.access import Actor, require_settings_viewer
from duban.clock import local_time
from duban.errors import AccessDenied, DubanError
from duban.jobs import channels, digest, jobs, outbox
from duban.jobs.wording import day_label
from duban.reports import ics, notice
from duban.rules.dates import cn_month_day
from duban.rules.names import JOB_LABELS, ROLE_NAMES, RUN_STATUS_LABELS
from duban.rules.notice_levels import LEVELS
from duban.services import calendars, channel_settings, notices, reminder_rules, reminder_settings, workdays

KIND_LABELS = reminder_rules.KIND_LABELS
CHANNEL_LABELS = reminder_rules.CHANNEL_LABELS
TLS_MODES = channel_settings.TLS_MODES
WEBHOOK_KINDS = channel_settings.WEBHOOK_KINDS
OUTBOX_FILTERS = {"": "全部", "failed,abandoned": "发送失败", "pending,sending": "待发送", "sent": "已发送"}
OUTBOX_STATES = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败,等待重试",
                 "abandoned": "已停止自动发送(见原因)"}
GENERAL_KEYS = reminder_settings.GENERAL_KEYS
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# the settings the page edits, as the services keep them
list_rules, save_rule, delete_rule = reminder_rules.list_rules, reminder_rules.save_rule, reminder_rules.delete_rule
smtp_form, save_smtp, send_test_email = reminder_settings.smtp_form, reminder_settings.save_smtp, channels.send_test_email
list_webhooks, add_webhook = reminder_settings.list_webhooks, reminder_settings.add_webhook
robot_departments, require_viewer = reminder_settings.robot_departments, require_settings_viewer
general, save_general, create_notice = reminder_settings.general, reminder_settings.save_general, notice.build


@dataclass(frozen=True)
class Summary:
    """The figures above the tabs, and the years a holiday calendar is missing for."""

    today: str
    sent: int
    pending: int
    failed: int
    years_without_calendar: list[int]


def summary(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> Summary:
    """Today (marked 休 on a day off), the outbox's counts, and this year or next lacking holiday data."""
    workdays.load_office_calendar(db)
    counts = outbox.counts(db, actor)
    return Summary(today=cn_month_day(today) + ("" if workdays.is_workday(today) else "(休)"),
                   sent=counts.get("sent", 0), pending=counts.get("pending", 0) + counts.get("sending", 0),
                   failed=counts.get("failed", 0) + counts.get("abandoned", 0),
                   years_without_calendar=[y for y in (today.year, today.year + 1)
                                           if not workdays.has_calendar_data(dt.date(y, 12, 31))])


def preview(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> tuple[list[dict], str]:
    """The messages today's run would send, without sending or recording anything; and what to say if none.
    The office of a place previews its own places' messages only (see concerns)."""
    require_settings_viewer(actor)
    messages = [m for m in digest.decide_messages(db, today, dry_run=True) if concerns(db, actor, m)]
    rows = [{"渠道": CHANNEL_LABELS.get(m.channel, m.channel), "收件人": m.name,
             "地址": m.recipient if m.channel == "email" else "", "标题": m.subject, "事项数": len(m.items)}
            for m in messages]
    return rows, "今天没有需要发送的提醒。" if workdays.is_workday(today) else "今天不是工作日,不发送提醒。"


def concerns(db: sqlite_utils.Database, actor: Actor, message: digest.Outgoing) -> bool:
    """Whether a message is the actor's to see: every message for a whole-database account; for the office of a
    place, one to a unit, robot or account of its places carrying only its places' tasks (the outbox's rule)."""
    if actor.places is None:
        return True
    if any(item.get("place_id") not in actor.places for item in message.items):
        return False
    return bool(q.recipient_places(db, message.department_id, message.user_id) & actor.places)


def send_now(db: sqlite_utils.Database, actor: Actor, today: dt.date) -> tuple[bool, str]:
    """Run today's reminders now, even if they ran already; whether it ran and what it did (or why it was
    refused: the run reminds every place, so one place's office may not start it)."""
    try:
        outcome = jobs.run_job(db, actor, jobs.REMIND, today, once_per_day=False)
    except AccessDenied as e:
        return False, str(e)
    return outcome.status == "ran", outcome.detail


def run_rows(db: sqlite_utils.Database, actor: Actor, limit: int = 10) -> list[dict]:
    """The last job runs in Chinese (counts only, nothing of any task)."""
    require_settings_viewer(actor)
    return [{"任务": JOB_LABELS.get(r["job"], r["job"]), "日期": r["day"],
             "结果": RUN_STATUS_LABELS.get(r["status"], r["status"]), "说明": r["detail"],
             "开始": local_time(r["started_at"])} for r in jobs.recent_runs(db, limit)]


def rule_rows(rules: list[reminder_rules.Rule]) -> list[dict]:
    """The rules table."""
    yes = {True: "是", False: "否"}
    return [{"编号": r.id, "规则": r.label, "类型": KIND_LABELS[r.kind], "提醒配合单位": yes[r.to_co],
             "抄送办公室": yes[r.copy_office], "渠道": "、".join(CHANNEL_LABELS[c] for c in CHANNEL_LABELS
                                                          if c in r.channels),
             "启用": yes[r.active], "说明": r.note or ""} for r in rules]


def robot_action(db: sqlite_utils.Database, actor: Actor, hook: dict, action: str, today: dt.date) -> str:
    """A robot card's button: 'test' posts a test message, 'toggle' switches it off or on, 'delete' removes it;
    what to tell the office (nothing for a switch)."""
    if action == "test":
        return channels.send_test_webhook(db, actor, hook["id"], today)
    if action == "toggle":
        reminder_settings.set_webhook_active(db, actor, hook["id"], not hook["active"])
        return ""
    if action == "delete":
        reminder_settings.delete_webhook(db, actor, hook["id"])
        return "已删除。"
    raise ValueError(f"unknown robot action {action}")


def outbox_rows(db: sqlite_utils.Database, actor: Actor, status: str | None) -> tuple[list[dict], list[int]]:
    """The send log in Chinese, and the numbers of the messages that failed (to send again)."""
    rows = outbox.list_outbox(db, actor, status or None)
    shown = [{"编号": r["id"], "日期": r["day"], "渠道": CHANNEL_LABELS.get(r["channel"], r["channel"]),
              "收件人": r["recipient_name"], "标题": r["subject"], "状态": OUTBOX_STATES.get(r["status"], r["status"]),
              "尝试次数": r["attempts"], "失败原因": r["last_error"] or "",
              "下次重试": local_time(r["next_attempt_at"]) if r["status"] == "failed" else "",
              "发出时间": local_time(r["sent_at"])} for r in rows]
    return shown, [r["id"] for r in rows if r["status"] in ("failed", "abandoned")]


def send_again(db: sqlite_utils.Database, actor: Actor, ids: list[int], today: dt.date) -> tuple[list[str], str]:
    """Put failed messages back in line and send the outbox now; the errors met, and what the send did."""
    errors = []
    for outbox_id in ids:
        try:
            outbox.retry_now(db, actor, outbox_id)
        except DubanError as e:
            errors.append(str(e))
    return errors, jobs.run_job(db, actor, jobs.OUTBOX, today, once_per_day=False).detail


def notice_departments(db: sqlite_utils.Database, actor: Actor,
                       today: dt.date) -> tuple[list[int], dict[int, str], dict[int, str]]:
    """The units, most red then yellow items first; each labelled with its counts; and their plain names."""
    levels = notices.levels_by_department(db, today, actor=actor)
    names = {d["id"]: d["label"] for d in calendars.calendar_departments(db, actor)}
    order = sorted(names, key=lambda i: (-levels.get(i, {}).get("红", 0), -levels.get(i, {}).get("黄", 0),
                                         -levels.get(i, {}).get("蓝", 0), names[i]))
    counted = {i: names[i] + (f"(红 {c['红']} · 黄 {c['黄']} · 蓝 {c['蓝']})" if (c := levels.get(i))
                              else "(无待催办事项)") for i in order}
    return order, counted, names


def notice_rows(db: sqlite_utils.Database, actor: Actor, department_id: int, today: dt.date) -> list[dict]:
    """A unit's items a notice would list: level, task, role, due date, how far off, state."""
    return [{"预警": f"{i['level']}色 · {LEVELS[i['level']]}", "任务": i["title"],
             "责任": ROLE_NAMES.get(i["role"], "配合"), "截止": i["due"],
             "情况": day_label(dt.date.fromisoformat(i["due"]), today), "状态": i["status"]}
            for i in notices.classify(db, department_id, today, actor=actor)]


def department_calendar(db: sqlite_utils.Database, actor: Actor, department_id: int) -> bytes:
    """A unit's deadlines as an .ics calendar."""
    return ics.department_calendar(db, actor, department_id)
