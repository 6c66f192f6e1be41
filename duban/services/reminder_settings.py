"""The reminder settings: mail server, robots, office details; secrets are stored encrypted, never shown back.

They serve every place, so the office of one place reads them (its own units' robots only) and the system
administrator or the whole database's office changes them."""
from __future__ import annotations

import os
import re
import urllib.parse

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reminders as q
from db.queries import settings as settings_q
from duban.access import Actor, require_settings_viewer, require_system_manager
from duban.errors import InputError, NotFound
from duban.services import channel_settings, vault

GENERAL_KEYS = {"office_name": "办公室名称", "office_email": "办公室邮箱", "remind_time": "每日提醒时间",
                "remind_catchup_days": "补发天数", "notice_reply_days": "回复期限(工作日)",
                "notice_red_days": "督办单逾期天数"}


def smtp_form(db: sqlite_utils.Database, actor: Actor) -> dict:
    """What the settings form shows: every field but the password, whether one is stored, and env overrides."""
    require_settings_viewer(actor)
    values = channel_settings.smtp_values(db)
    env = values["host"][1] == "env"
    stored = settings_q.settings_with_prefix(db, "smtp_")
    # the form always edits what the page stored; the summary says what is in force
    out: dict = {f: stored.get(f"smtp_{f}") for f in channel_settings.SMTP_FIELDS if f != "password"}
    out["password"] = None
    out["has_password"] = bool(stored.get("smtp_password"))
    out["from_env"] = sorted(v for f, v in channel_settings.ENV.items() if env and os.environ.get(v))
    cfg = channel_settings.smtp_config(db)
    out["summary"] = cfg.describe() if cfg else "未设置邮件服务器,邮件提醒暂不发送。"
    return out


def save_smtp(db: sqlite_utils.Database, actor: Actor, *, host: str, port: str | int | None, tls: str,
              user: str | None, sender: str | None, password: str | None = None,
              clear_password: bool = False) -> None:
    """Store the mail server settings; an empty password field keeps the stored password."""
    require_system_manager(actor)
    host = (host or "").strip()
    port_text = str(port or "").strip()
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise InputError("端口应为 1–65535 之间的数字。")
    if tls not in channel_settings.TLS_MODES:
        raise InputError("加密方式应为 不加密 / STARTTLS / SSL。")
    sender = (sender or "").strip()
    if sender and not channel_settings.EMAIL_RE.match(channel_settings.bare_address(sender)):
        raise InputError(f"发件人地址格式不正确:{sender}")
    with transaction(db):
        settings_q.set_setting(db, "smtp_host", host or None)
        settings_q.set_setting(db, "smtp_port", port_text or None)
        settings_q.set_setting(db, "smtp_tls", tls)
        settings_q.set_setting(db, "smtp_user", (user or "").strip() or None)
        settings_q.set_setting(db, "smtp_sender", sender or None)
        if clear_password:
            settings_q.set_setting(db, "smtp_password", None)
        elif password:
            settings_q.set_setting(db, "smtp_password", vault.seal(db, password))
        _seal_clear_values(db)
        audit.record(db, actor, "修改邮件设置", "settings", None,
                     {"host": host, "port": port_text, "tls": tls, "user": (user or "").strip(),
                      "sender": sender, "password": "已更改" if password or clear_password else "未更改"})


def general(db: sqlite_utils.Database, actor: Actor) -> dict[str, str | None]:
    """Office name and address, reminder time, catch-up days, notice settings."""
    require_settings_viewer(actor)
    return {k: settings_q.setting(db, k) for k in GENERAL_KEYS}


def save_general(db: sqlite_utils.Database, actor: Actor, values: dict[str, str | None]) -> None:
    """Store the general settings after checking each."""
    require_system_manager(actor)
    clean: dict[str, str | None] = {}
    for key, value in values.items():
        if key not in GENERAL_KEYS:
            raise InputError(f"未知的设置项:{key}")
        value = (str(value).strip() if value is not None else "") or None
        if value and key == "office_email" and not channel_settings.EMAIL_RE.match(value):
            raise InputError(f"办公室邮箱格式不正确:{value}")
        if value and key == "remind_time":
            m = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
            if not m or int(m[1]) > 23 or int(m[2]) > 59:
                raise InputError("每日提醒时间应为 HH:MM,例如 08:30。")
            value = f"{int(m[1]):02d}:{m[2]}"
        if value and key in ("remind_catchup_days", "notice_reply_days", "notice_red_days"):
            if not value.isdigit() or int(value) > 60:
                raise InputError(f"{GENERAL_KEYS[key]}应为 0–60 之间的整数。")
        clean[key] = value
    with transaction(db):
        for key, value in clean.items():
            settings_q.set_setting(db, key, value)
        _seal_clear_values(db)
        audit.record(db, actor, "修改提醒设置", "settings", None, clean)


def _seal_clear_values(db: sqlite_utils.Database) -> None:
    """Encrypt what an older database stored in clear: the mail password, the robots' addresses and keys."""
    stored = settings_q.setting(db, "smtp_password")
    if stored and not vault.is_sealed(stored):
        settings_q.set_setting(db, "smtp_password", vault.seal(db, stored))
    for w in q.webhooks(db):
        if not vault.is_sealed(w["url"]) or (w["secret"] and not vault.is_sealed(w["secret"])):
            q.set_webhook_secrets(db, w["id"], vault.seal(db, w["url"]), vault.seal(db, w["secret"]))


# ---- robots --------------------------------------------------------------------------------------

def list_webhooks(db: sqlite_utils.Database, actor: Actor) -> list[dict]:
    """Robots with their address masked and their secret reduced to 'set or not'. The office of a place gets
    its own places' units' robots only: a robot for every unit, or another place's, is none of its business."""
    require_settings_viewer(actor)
    out = []
    for w in q.webhooks(db):
        if actor.places is not None and (w["department_id"] is None or w["place_id"] not in actor.places):
            continue
        try:
            url = channel_settings.mask_url(vault.reveal(db, w["url"]) or "")
        except vault.SecretUnreadable:
            url = "(地址无法解密,请删除后重新添加)"
        out.append({"id": w["id"], "name": w["name"], "kind": w["kind"],
                    "kind_label": channel_settings.WEBHOOK_KINDS.get(w["kind"], w["kind"]),
                    "url": url, "has_secret": bool(w["secret"]),
                    "department_id": w["department_id"], "department": w["department"] or "全部单位",
                    "active": bool(w["active"])})
    return out


def robot_departments(db: sqlite_utils.Database, actor: Actor) -> dict[int, str]:
    """Whose reminders a new robot receives: 0 for every unit, else one unit (of every place: robots are set by
    the system's managers, the system administrator included, who has no unit of its own)."""
    require_settings_viewer(actor)
    units = {d["id"]: f"{d['jurisdiction']} {d['name']}" if d["jurisdiction"] else d["name"]
             for d in q.departments(db, actor.places)}
    return {0: "全部单位", **units}


def add_webhook(db: sqlite_utils.Database, actor: Actor, name: str, kind: str, url: str,
                secret: str | None = None, department_id: int | None = None) -> int:
    """Add a robot (a department's own, or department None: every unit's reminders, grouped by unit)."""
    require_system_manager(actor)
    name = (name or "").strip()
    url = (url or "").strip()
    if not name:
        raise InputError("请填写机器人名称。")
    if kind not in channel_settings.WEBHOOK_KINDS:
        raise InputError("机器人类型应为 企业微信 / 钉钉 / 通用 JSON。")
    check_webhook_url(url)
    secret = (secret or "").strip() or None
    with transaction(db):
        if department_id is not None and q.department(db, department_id) is None:
            raise NotFound("单位不存在。")
        hook_id = q.insert_webhook(db, name, kind, vault.seal(db, url), vault.seal(db, secret), department_id)
        _seal_clear_values(db)
        audit.record(db, actor, "新增群机器人", "webhook", hook_id,
                     {"name": name, "kind": kind, "url": channel_settings.mask_url(url), "department_id": department_id})
    return hook_id


def check_webhook_url(url: str) -> None:
    """Refuse an address the robot could not be reached at: http(s), a server name, no spaces or wide characters."""
    if not url:
        raise InputError("请填写机器人地址。")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise InputError("机器人地址中不能有空格或换行,请从群机器人设置中完整复制地址。")
    if not url.isascii():
        raise InputError("机器人地址中不能有中文或全角字符,请从群机器人设置中完整复制地址。")
    try:
        parts = urllib.parse.urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise InputError("机器人地址格式不正确(服务器名或端口有误)。") from None
    if parts.scheme not in ("http", "https"):
        raise InputError("机器人地址应以 http:// 或 https:// 开头。")
    if not host:
        raise InputError("机器人地址缺少服务器名,例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")


def _require_webhook(db: sqlite_utils.Database, webhook_id: int) -> None:
    if q.webhook_by_id(db, webhook_id) is None:
        raise NotFound("群机器人不存在。")


def set_webhook_active(db: sqlite_utils.Database, actor: Actor, webhook_id: int, active: bool) -> None:
    require_system_manager(actor)
    with transaction(db):
        _require_webhook(db, webhook_id)
        q.set_webhook_active(db, webhook_id, active)
        _seal_clear_values(db)
        audit.record(db, actor, "启用群机器人" if active else "停用群机器人", "webhook", webhook_id)


def delete_webhook(db: sqlite_utils.Database, actor: Actor, webhook_id: int) -> None:
    require_system_manager(actor)
    with transaction(db):
        _require_webhook(db, webhook_id)
        q.delete_webhook(db, webhook_id)
        audit.record(db, actor, "删除群机器人", "webhook", webhook_id)
