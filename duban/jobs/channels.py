"""Getting a message out: e-mail over SMTP, 企业微信 / 钉钉 group robots, a generic JSON POST; the settings
page's test messages."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import sqlite_utils

from db import transaction
from db.queries import audit
from db.queries import reminders as q
from duban.access import Actor, require_system_manager
from duban.errors import InputError, NotFound
from duban.rules.dates import cn_date
from duban.services.channel_settings import (
    EMAIL_RE,
    SendError,
    SmtpConfig,
    bare_address,
    mask_url,
    smtp_config,
    stored_hook,
)

TIMEOUT = 20
WECOM_LIMIT = 4000      # bytes of markdown content 企业微信 accepts (4096)
DINGTALK_LIMIT = 18000  # characters, well inside 钉钉's 20000


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
            refused = self._smtp.send_message(msg, from_addr=bare_address(self.cfg.sender), to_addrs=[to])
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
                                          "User-Agent": "duban"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        raise SendError(f"接口返回 HTTP {e.code}:{e.read()[:200].decode('utf-8', 'replace')}") from None
    except (urllib.error.URLError, OSError) as e:
        raise SendError(f"无法连接接口 {mask_url(url)}:{getattr(e, 'reason', e)}") from None


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


# ---- tests from the settings page ---------------------------------------------------------------

def send_test_email(db: sqlite_utils.Database, actor: Actor, to: str, today: dt.date) -> str:
    """Send a test message now (any day); returns what was done, raises InputError with the reason. The mail
    server serves every place: it is tried by whoever may change it, not by one place's office."""
    require_system_manager(actor)
    to = (to or "").strip()
    if not EMAIL_RE.match(to):
        raise InputError(f"收件地址格式不正确:{to}")
    cfg = smtp_config(db)
    if cfg is None:
        raise InputError("尚未设置邮件服务器。")
    try:
        send_email(cfg, to, f"【督办】测试邮件 {cn_date(today)}", "这是一封测试邮件:督办系统的邮件提醒设置可以正常使用。")
    except SendError as e:
        raise InputError(f"测试邮件发送失败:{e}") from None
    with transaction(db):
        audit.record(db, actor, "发送测试邮件", "settings", None, {"to": to})
    return f"测试邮件已发送至 {to}。"


def send_test_webhook(db: sqlite_utils.Database, actor: Actor, webhook_id: int, today: dt.date) -> str:
    """Post a test message to one robot now (robots, like the mail server, are run by the system's managers)."""
    require_system_manager(actor)
    hook = q.webhook_by_id(db, webhook_id)
    if hook is None:
        raise NotFound("群机器人不存在。")
    try:
        send_webhook(stored_hook(db, hook), f"【督办】测试消息 {cn_date(today)}",
                     "这是一条测试消息:督办系统的群机器人设置可以正常使用。", {"kind": "test"})
    except SendError as e:
        raise InputError(f"测试消息发送失败:{e}") from None
    with transaction(db):
        audit.record(db, actor, "测试群机器人", "webhook", webhook_id)
    return f"测试消息已发送到“{hook['name']}”。"
