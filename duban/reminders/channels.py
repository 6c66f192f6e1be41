"""Getting a message out: e-mail over SMTP, 企业微信 / 钉钉 group robots, a generic JSON POST."""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import sqlite_utils

from db.queries import settings as settings_q
from duban.reminders import vault

SMTP_FIELDS = ("host", "port", "tls", "user", "password", "sender")
ENV = {f: f"DUBAN_SMTP_{'FROM' if f == 'sender' else f.upper()}" for f in SMTP_FIELDS}
TLS_MODES = {"none": "不加密", "starttls": "STARTTLS", "ssl": "SSL/TLS"}
WEBHOOK_KINDS = {"wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人", "json": "通用 JSON 接口"}
TIMEOUT = 20
WECOM_LIMIT = 4000      # bytes of markdown content 企业微信 accepts (4096)
DINGTALK_LIMIT = 18000  # characters, well inside 钉钉's 20000


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


def build_email(cfg: SmtpConfig, to: str, subject: str, body: str, sender_name: str = "督办系统",
                message_id: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 message with a Message-ID, so mail clients thread and show Chinese correctly.

    A message sent again after an interrupted send carries the Message-ID of the first try (`message_id`,
    a key without the <@domain> part), so mail clients that see both show it once.
    """
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = formataddr((sender_name, cfg.sender)) if "<" not in cfg.sender else cfg.sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    domain = cfg.sender.rsplit("@", 1)[-1].strip(">") if "@" in cfg.sender else "duban.local"
    msg["Message-ID"] = f"<{message_id}@{domain}>" if message_id else make_msgid(domain=domain)
    msg.set_content(body, charset="utf-8")
    return msg


class EmailSender:
    """One SMTP connection for a batch of messages, opened on first use; a connection failure fails the batch fast."""

    def __init__(self, cfg: SmtpConfig) -> None:
        self.cfg = cfg
        self._smtp: smtplib.SMTP | None = None
        self._broken: str | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        if cfg.password_error:
            raise SendError(f"邮件服务器密码:{cfg.password_error}")
        try:
            if cfg.tls == "ssl":
                smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT)
                if cfg.tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if cfg.user:
                smtp.login(cfg.user, cfg.password or "")
            return smtp
        except smtplib.SMTPAuthenticationError as e:
            raise SendError(f"邮件服务器拒绝登录(用户名或密码错误):{_smtp_reply(e)}") from None
        except (OSError, smtplib.SMTPException) as e:
            raise SendError(f"无法连接邮件服务器 {cfg.host}:{cfg.port}:{e}") from None

    def send(self, to: str, subject: str, body: str, message_id: str | None = None) -> None:
        if self._broken:
            raise SendError(self._broken)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except SendError as e:
                self._broken = str(e)
                raise
        msg = build_email(self.cfg, to, subject, body, message_id=message_id)
        try:
            refused = self._smtp.send_message(msg, from_addr=_bare(self.cfg.sender), to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as e:
            raise SendError(f"收件人被拒绝:{to} {e.recipients.get(to, '')}") from None
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            self._smtp = None
            raise SendError(f"与邮件服务器的连接中断:{e}") from None
        except smtplib.SMTPException as e:
            raise SendError(f"邮件服务器拒收:{_smtp_reply(e)}") from None
        if refused:
            raise SendError(f"收件人被拒绝:{refused}")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def _bare(address: str) -> str:
    if "<" in address:
        return address.split("<", 1)[1].split(">", 1)[0].strip()
    return address.strip()


def _smtp_reply(e: smtplib.SMTPException) -> str:
    code = getattr(e, "smtp_code", None)
    text = getattr(e, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(e)


def send_email(cfg: SmtpConfig, to: str, subject: str, body: str) -> None:
    """Send one message on its own connection (the settings page's test button)."""
    sender = EmailSender(cfg)
    try:
        sender.send(to, subject, body)
    finally:
        sender.close()


# ---- chat robots --------------------------------------------------------------------------------

def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[: limit - 60].decode("utf-8", "ignore")
    return cut.rsplit("\n", 1)[0] + "\n……(内容较多,请登录督办系统查看全部)"


def wecom_payload(subject: str, body: str) -> dict:
    """企业微信群机器人 markdown message (content at most 4096 bytes)."""
    content = _truncate_bytes(f"**{subject}**\n{body}", WECOM_LIMIT)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(subject: str, body: str) -> dict:
    """钉钉群机器人 markdown message: a title and the text (line breaks kept as markdown breaks)."""
    text = f"#### {subject}\n\n" + body.replace("\n", "  \n")
    if len(text) > DINGTALK_LIMIT:
        text = text[:DINGTALK_LIMIT].rsplit("\n", 1)[0] + "\n……(内容较多,请登录督办系统查看全部)"
    return {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}


def json_payload(subject: str, body: str, extra: dict | None = None) -> dict:
    """The generic POST: subject, text and the structured items, for any system that wants them."""
    return {"source": "duban", "subject": subject, "text": body, **(extra or {})}


def dingtalk_signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉 加签: timestamp and an HMAC-SHA256 signature of "timestamp\\nsecret", appended to the URL."""
    ts = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def post_json(url: str, payload: dict, timeout: float = TIMEOUT) -> str:
    """POST JSON; returns the response text, raising SendError for network or HTTP errors."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8",
                                          "User-Agent": "duban-reminders"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        raise SendError(f"接口返回 HTTP {e.code}:{e.read()[:200].decode('utf-8', 'replace')}") from None
    except (urllib.error.URLError, OSError) as e:
        raise SendError(f"无法连接接口 {mask_url(url)}:{getattr(e, 'reason', e)}") from None


def stored_hook(db: sqlite_utils.Database, hook: dict) -> dict:
    """A stored robot with its address and key decrypted, ready for send_webhook."""
    try:
        return {**hook, "url": vault.reveal(db, hook["url"]), "secret": vault.reveal(db, hook.get("secret"))}
    except vault.SecretUnreadable as e:
        raise SendError(str(e)) from None


def send_webhook(hook: dict, subject: str, body: str, extra: dict | None = None) -> None:
    """Post a message to a robot in its own format; a robot's non-zero errcode is a failure.

    Whatever goes wrong, the error names the robot's address without its key (a malformed stored address
    makes the HTTP library quote it in full)."""
    try:
        _send_webhook(hook, subject, body, extra)
    except SendError as e:
        raise SendError(scrub(str(e), hook)) from None
    except (http.client.InvalidURL, ValueError) as e:  # e.g. a space or a Chinese character: quotes the address
        raise SendError(scrub(f"机器人地址无效,请删除该机器人后按正确的地址重新添加({type(e).__name__}: {e})",
                              hook)) from None
    except Exception as e:  # noqa: BLE001 - whatever else went wrong, the office sees why, without the key
        raise SendError(scrub(f"发送出错:{type(e).__name__}: {e}", hook)) from None


def _send_webhook(hook: dict, subject: str, body: str, extra: dict | None) -> None:
    kind = hook["kind"]
    url = hook["url"]
    if kind == "wecom":
        payload = wecom_payload(subject, body)
    elif kind == "dingtalk":
        payload = dingtalk_payload(subject, body)
        if hook.get("secret"):
            url = dingtalk_signed_url(url, hook["secret"])
    else:
        payload = json_payload(subject, body, extra)
    text = post_json(url, payload)
    if kind in ("wecom", "dingtalk"):
        try:
            reply = json.loads(text or "{}")
        except ValueError:
            raise SendError(f"机器人返回了无法识别的内容:{text[:200]}") from None
        if reply.get("errcode", 0) != 0:
            raise SendError(f"机器人拒收:errcode {reply.get('errcode')} {reply.get('errmsg', '')}")


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


_URL_IN_TEXT = re.compile(r"https?://[^\s'\"<>()()]+", re.IGNORECASE)
_KEY_IN_TEXT = re.compile(r"(?i)\b(access_token|key|token|secret|sign|signature|timestamp)=[^&\s'\"]*")


def scrub(text: str, hook: dict | None = None) -> str:
    """An error message with no robot key in it: the robot's address, query and key replaced by their masked
    form, and any other address or key=value in the text masked too."""
    text = str(text)
    if hook:
        url = str(hook.get("url") or "")
        secrets: list[tuple[str, str]] = [(url, mask_url(url))]
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            parts = None
        if parts is not None:
            if parts.query:
                secrets.append((f"{parts.path}?{parts.query}", (parts.path[:8] + "…" if len(parts.path) > 12
                                                                else parts.path) + "?…"))
                secrets.append((parts.query, "…"))
                secrets += [(v, "…") for _, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                            if len(v) >= 4]
            if len(parts.path) > 12:
                secrets.append((parts.path, parts.path[:8] + "…"))
        if hook.get("secret"):
            secrets.append((str(hook["secret"]), "…"))
        for secret, masked in sorted(secrets, key=lambda pair: -len(pair[0])):
            if secret:
                text = text.replace(secret, masked)
    text = _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)
    return _KEY_IN_TEXT.sub(lambda m: f"{m.group(1)}=…", text)
