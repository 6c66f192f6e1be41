"""Which mail server and robots the reminders go out through, as the settings page (or the environment) says."""
from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass

import sqlite_utils

from db.queries import settings as settings_q
from duban.services import vault

SMTP_FIELDS = ("host", "port", "tls", "user", "password", "sender")
ENV = {f: f"DUBAN_SMTP_{'FROM' if f == 'sender' else f.upper()}" for f in SMTP_FIELDS}
TLS_MODES = {"none": "不加密", "starttls": "STARTTLS", "ssl": "SSL/TLS"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEBHOOK_KINDS = {"wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人", "json": "通用 JSON 接口"}


class SendError(Exception):
    """A message could not be delivered; str() says why, in terms the office can act on."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str
    user: str | None
    password: str | None
    sender: str
    password_error: str | None = None  # why the stored password cannot be used (it cannot be decrypted)

    def describe(self) -> str:
        """The settings without the password, for logs and pages."""
        auth = f",用户 {self.user}" if self.user else ""
        return f"{self.host}:{self.port}({TLS_MODES.get(self.tls, self.tls)}{auth}),发件人 {self.sender}"


def _tls_mode(value: str | None, port: int) -> str:
    v = (value or "").strip().lower()
    if v in ("ssl", "tls", "smtps", "implicit"):
        return "ssl"
    if v in ("starttls", "1", "true", "yes", "on"):
        return "starttls"
    if v in ("none", "0", "false", "no", "off", "plain"):
        return "none"
    return {465: "ssl", 587: "starttls"}.get(port, "none")


def smtp_values(db: sqlite_utils.Database) -> dict[str, tuple[str | None, str]]:
    """Each SMTP field's value and where it comes from: when DUBAN_SMTP_HOST is set the environment
    defines the whole mail server ('env'), otherwise the settings page does ('page')."""
    if os.environ.get(ENV["host"]):
        return {f: (os.environ.get(ENV[f]) or None, "env") for f in SMTP_FIELDS}
    stored = settings_q.settings_with_prefix(db, "smtp_")
    return {f: (stored.get(f"smtp_{f}") or None, "page") for f in SMTP_FIELDS}


def _stored_password(db: sqlite_utils.Database, value: str | None) -> tuple[str | None, str | None]:
    """The page's stored password in clear, or None and the reason it cannot be read."""
    try:
        return vault.reveal(db, value), None
    except vault.SecretUnreadable as e:
        return None, str(e)


def smtp_config(db: sqlite_utils.Database) -> SmtpConfig | None:
    """The SMTP server to use, or None when no host is set (e-mail is then off)."""
    values = smtp_values(db)
    v = {f: val for f, (val, _) in values.items()}
    password_error = None
    if values["password"][1] == "page":
        v["password"], password_error = _stored_password(db, v["password"])
    host = (v["host"] or "").strip()
    if not host:
        return None
    try:
        port = int(v["port"] or 0)
    except ValueError:
        port = 0
    tls = _tls_mode(v["tls"], port)
    if not port:
        port = {"ssl": 465, "starttls": 587}.get(tls, 25)
    user = (v["user"] or "").strip() or None
    sender = (v["sender"] or "").strip() or user or "duban@localhost"
    return SmtpConfig(host=host, port=port, tls=tls, user=user, password=v["password"] or None, sender=sender,
                      password_error=password_error if user else None)


def bare_address(address: str) -> str:
    """An address without its display name: a@b for 督办 <a@b>."""
    if "<" in address:
        return address.split("<", 1)[1].split(">", 1)[0].strip()
    return address.strip()


def stored_hook(db: sqlite_utils.Database, hook: dict) -> dict:
    """A stored robot with its address and key decrypted, ready for send_webhook."""
    try:
        return {**hook, "url": vault.reveal(db, hook["url"]), "secret": vault.reveal(db, hook.get("secret"))}
    except vault.SecretUnreadable as e:
        raise SendError(str(e)) from None


def mask_url(url: str) -> str:
    """A robot's address without its key (access_token / key / path secrets), for pages and errors."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(无效地址)"
    if not parts.scheme:
        return "(无效地址)"
    path = parts.path
    if len(path) > 12:
        path = path[:8] + "…"
    host = parts.netloc.rsplit("@", 1)[-1]  # never a user:password written into the address
    return f"{parts.scheme}://{host}{path}" + ("?…" if parts.query else "")
