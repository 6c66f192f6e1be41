"""Sending what waits in the outbox: each message claimed by one sender, failures retried with backoff."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import notifications as nq
from db.queries import reminders as q
from duban.access import Actor, require_settings_viewer
from duban.errors import NotFound
from duban.jobs import lease
from duban.jobs.channels import EmailSender, scrub, send_webhook
from duban.services.channel_settings import SendError, smtp_config, stored_hook
from duban.services.workdays import is_workday, load_office_calendar

log = logging.getLogger("duban.jobs")

MAX_ATTEMPTS = 12
FIRST_BACKOFF = 60            # seconds; doubles each failure
MAX_BACKOFF = 6 * 3600
STALE_SENDING = 15 * 60       # a claim older than this belongs to a sender that died
INTERRUPTED = ("发送过程中断(发送进程意外退出),邮件服务器可能已收到此消息。为避免重复发送,系统未自动重发;"
               "请向收件单位核实,确需补发时点“重新发送”(补发的邮件与原邮件编号相同)。")


def holder_id() -> str:
    """Who is sending: host, process and thread, unique enough to tell two senders apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:6]}"


def _ts(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat(sep=" ")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def backoff_seconds(attempts: int) -> int:
    """Wait before the next try after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours."""
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1))


@dataclass
class FlushResult:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def flush(db: sqlite_utils.Database, today: dt.date, *, now: dt.datetime | None = None,
          channels: set[str] | None = None, created_at: str | None = None, read: bool = False,
          holder: str | None = None) -> FlushResult:
    """Send every message that is due (nothing on a non-working day). `now` defaults to the clock (UTC)."""
    result = FlushResult()
    load_office_calendar(db)
    if not is_workday(today):
        return result
    now = now or utcnow()
    holder = holder or holder_id()
    now_s, stale_s = _ts(now), _ts(now - dt.timedelta(seconds=STALE_SENDING))
    settle_interrupted(db, stale_s)
    email = None
    try:
        for row in q.due_outbox(db, now_s, stale_s):
            if channels and row["channel"] not in channels:
                continue
            if row["status"] == "sending" and row["channel"] != "inapp":
                continue  # an interrupted e-mail or robot message may have gone out: never resent by itself
            if row["channel"] == "inapp":
                _deliver_inapp(db, row, holder, now_s, stale_s, created_at, read, result)
                continue
            with transaction(db):
                if not q.claim_outbox(db, row["id"], holder, now_s, stale_s):
                    continue
            try:
                if row["channel"] == "email":
                    if email is None:
                        cfg = smtp_config(db)
                        if cfg is None:
                            raise SendError("未设置邮件服务器(SMTP),无法发送邮件。")
                        email = EmailSender(cfg)
                    email.send(row["recipient"], row["subject"], row["body"], message_id=message_key(row))
                else:
                    _send_to_robot(db, row)
            except SendError as e:
                _failed(db, row, str(e), now, result)
            except Exception as e:  # an unexpected failure must not leave the message claimed
                _failed(db, row, f"发送出错:{type(e).__name__}: {e}", now, result)
            else:
                with transaction(db):
                    q.mark_sent(db, row["id"], _ts(utcnow()))
                result.sent += 1
    finally:
        if email is not None:
            email.close()
    return result


def message_key(row: dict) -> str:
    """The message's own key, the same on every try: its Message-ID, so a resent copy is recognisably the same."""
    return f"duban.outbox.{row['id']}.{row['created_at'].replace(' ', 'T').replace(':', '')}"


def settle_interrupted(db: sqlite_utils.Database, stale_before: str) -> int:
    """Messages whose sender died between claiming and recording them: stop them, for the office to decide.

    A message is claimed ('sending', committed) before it is handed to the mail server or robot, and marked
    sent right after. A claim left behind means the sender died in between, perhaps after the server had
    accepted the message; the server cannot be asked, so resending could deliver it twice. Such a message is
    not resent by itself; it shows as stopped, with the reason, on the settings page.
    """
    settled = 0
    for row in q.sending_outbox(db):
        if row["channel"] == "inapp":
            continue  # written in one transaction with its sent mark: never left half-done
        if not (lease.holder_gone(row["claimed_by"]) or (row["claimed_at"] or "") < stale_before):
            continue
        with transaction(db):
            if q.mark_interrupted(db, row["id"], row["claimed_by"], INTERRUPTED):
                settled += 1
                log.warning("消息 %s(%s)发送中断,未自动重发。", row["id"], row["recipient"])
    return settled


def _deliver_inapp(db, row, holder, now_s, stale_s, created_at, read, result) -> None:
    """An in-app message is a row in the inbox, written in the same transaction that marks it sent."""
    if not row["user_id"]:
        with transaction(db):
            if q.claim_outbox(db, row["id"], holder, now_s, stale_s):
                q.mark_failed(db, row["id"], "站内消息缺少收件账号。", now_s, give_up=True)
                result.failed += 1
        return
    with transaction(db):
        if not q.claim_outbox(db, row["id"], holder, now_s, stale_s):
            return
        nid = nq.insert(db, row["user_id"], row["department_id"], "reminder" if row["kind"] != "message"
                        else "message", row["subject"], row["body"], "my_tasks" if row["kind"] == "digest" else None)
        if created_at:
            nq.set_created(db, nid, created_at)
        if read:
            nq.mark_read(db, row["user_id"], [], [nid])
        q.mark_sent(db, row["id"], now_s)
    result.sent += 1


def _send_to_robot(db: sqlite_utils.Database, row: dict) -> None:
    hook_id = int(row["recipient"].split(":", 1)[1])
    hook = q.webhook_by_id(db, hook_id)
    if hook is None or not hook["active"]:
        raise SendError("该群机器人已删除或停用。")
    payload = json.loads(row["payload"] or "{}")
    send_webhook(stored_hook(db, hook), row["subject"], row["body"], {"day": row["day"], "kind": row["kind"], **payload})


def _failed(db: sqlite_utils.Database, row: dict, error: str, now: dt.datetime, result: FlushResult) -> None:
    error = scrub(error)  # the send log is shown to the office: no robot key in it, whatever the error said
    attempts = row["attempts"] + 1
    give_up = attempts >= MAX_ATTEMPTS
    nxt = _ts(now + dt.timedelta(seconds=backoff_seconds(attempts)))
    with transaction(db):
        q.mark_failed(db, row["id"], error, nxt, give_up)
    result.failed += 1
    result.errors.append(f"{row['recipient']}:{error}")
    log.warning("发送失败(第 %s 次)%s %s:%s", attempts, row["channel"], row["recipient"], error)


def list_outbox(db: sqlite_utils.Database, actor: Actor, status: str | None = None, limit: int = 200) -> list[dict]:
    """Recent messages with their state and last error, for the settings page; the office of a place sees
    those to its places' units and accounts about its places' tasks only."""
    require_settings_viewer(actor)
    rows = q.recent_outbox(db, status, limit, actor.places)
    for r in rows:
        if r["last_error"]:
            r["last_error"] = scrub(r["last_error"])
    return rows


def counts(db: sqlite_utils.Database, actor: Actor) -> dict[str, int]:
    """How many of the messages the actor sees are in each state."""
    require_settings_viewer(actor)
    return q.outbox_counts(db, actor.places)


def retry_now(db: sqlite_utils.Database, actor: Actor, outbox_id: int) -> None:
    """Put a failed or abandoned message back in line for the next send (one the actor sees: the office of a
    place resends its own places' messages, never another place's)."""
    require_settings_viewer(actor)
    with transaction(db):
        if not q.outbox_seen(db, outbox_id, actor.places):
            raise NotFound("该消息不存在。")
        q.retry_outbox(db, outbox_id, _ts(utcnow()))
        audit.record(db, actor, "重新发送", "outbox", outbox_id)
