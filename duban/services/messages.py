"""Messages other features send through the reminder channels (a meeting's request for updates), once per key."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from db import transaction
from db.queries import notifications as nq
from db.queries import reminders as q
from duban.errors import InputError, NotFound
from duban.services.channel_settings import smtp_config


def queue_message(db: sqlite_utils.Database, department_id: int, subject: str, body: str, key: str,
                  today: dt.date) -> int:
    """Queue a message to a department's accounts (in-app) and liaison addresses (e-mail); returns how many.

    The same key never queues twice, whoever calls and however often; the outbox sends the messages
    on the next working-day run and retries failures.
    """
    key = (key or "").strip()
    if not key:
        raise InputError("消息需要一个唯一标识(key)。")
    if not (subject or "").strip():
        raise InputError("消息标题不能为空。")
    with transaction(db):
        department = q.department(db, department_id)
        if department is None:
            raise NotFound("单位不存在。")
        targets: list[tuple[str, str, int | None]] = []
        users = q.department_users(db, [department_id])
        for u in users:
            targets.append(("inapp", f"user:{u['id']}", u["id"]))
        if smtp_config(db) is not None:
            addresses = {u["email"].strip().lower() for u in users if u["email"]}
            if department.get("liaison_email"):
                addresses.add(department["liaison_email"].strip().lower())
            targets += [("email", a, None) for a in sorted(addresses)]
        queued = 0
        if not users and q.log_once(db, 0, 0, key, f"department:{department_id}", "inapp", ""):
            nq.insert(db, None, department_id, "message", subject, body)
            queued += 1
        for channel, recipient, user_id in targets:
            if not q.log_once(db, 0, 0, key, recipient, channel, ""):
                continue
            outbox_id = q.insert_outbox(db, {
                "kind": "message", "channel": channel, "recipient": recipient, "user_id": user_id,
                "department_id": department_id, "day": today.isoformat(), "subject": subject, "body": body,
                "ref": key})
            q.attach_log(db, outbox_id, [(0, 0, key, recipient, channel, "")])
            queued += 1
    return queued


def already_queued(db: sqlite_utils.Database, key: str) -> bool:
    """Whether a message with this key was ever queued."""
    return q.ref_logged(db, key)
