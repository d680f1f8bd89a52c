"""The ways a message leaves the site, behind one interface: `channel.send(outgoing)` either
returns (delivered to the provider) or raises `DeliveryFailed`. Each channel is configured
by FLASK_ settings; `configured(config)` gives only the channels whose settings are complete.

- e-mail over SMTP (smtplib): MAIL_SERVER, MAIL_PORT, MAIL_FROM, MAIL_USERNAME, MAIL_PASSWORD,
  MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL. The outbox row id goes into the Message-ID, so a
  resent copy is recognisably the same message.
- SMS through an HTTP brandname gateway, in eSMS.vn's published JSON form
  (POST …/MainService.svc/json/SendMultipleMessage_V4_post_json/ with ApiKey, SecretKey, Phone,
  Content, Brandname, SmsType "2" = customer care, IsUnicode, Sandbox, RequestId; success is
  CodeResult "100"; source: eSMS developer docs, github.com/devesms/gitbook_esms_for_develop_v2_en
  "Send OTP/Customer care message"). RequestId = the outbox row id (the request's own id in
  the gateway's records; the outbox's claim is what keeps a row from being sent twice). SMS_GATEWAY_URL,
  SMS_API_KEY, SMS_SECRET_KEY, SMS_BRANDNAME, SMS_SANDBOX.
- Zalo ZNS (Zalo Notification Service), the published send-template API: POST
  https://business.openapi.zalo.me/message/template, header `access_token`, JSON body phone
  (84… without +), template_id, template_data, tracking_id; success is `"error": 0`
  (source: developers.zalo.me/docs/zalo-notification-service, "Gửi ZNS"). tracking_id = the
  outbox row id. ZALO_ZNS_URL, ZALO_ZNS_ACCESS_TOKEN, ZALO_ZNS_TEMPLATE_ID (one approved
  template with the parameters `content` and `link`), ZALO_ZNS_TEMPLATE_IDS (JSON {kind: id}
  for kinds with a template of their own).
"""
from __future__ import annotations

import json
import logging
import smtplib
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from notifications.rules import international_digits, sms_body

log = logging.getLogger("choque.notifications")
HTTP_TIMEOUT = 15
ZNS_URL = "https://business.openapi.zalo.me/message/template"


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel sends it."""
    key: str  # idempotency key: the outbox row id
    kind: str
    address: str  # e-mail address or E.164 phone number
    text: str  # in the recipient's language
    link: str
    subject: str = ""
    detail: str = ""  # e-mail only: e.g. the officer's reason


class DeliveryFailed(Exception):
    """The provider did not take the message (worth another try later)."""


class EmailChannel:
    name = "email"

    def __init__(self, config):
        self.host = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.sender = config["MAIL_FROM"]
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.starttls = _flag(config.get("MAIL_USE_TLS"))
        self.ssl = _flag(config.get("MAIL_USE_SSL"))

    @staticmethod
    def is_configured(config) -> bool:
        return bool(config.get("MAIL_SERVER") and config.get("MAIL_FROM"))

    def message(self, outgoing: Outgoing) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = outgoing.address
        message["Subject"] = outgoing.subject or outgoing.text
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2].strip("> ") or "choque.local"
        message["Message-ID"] = make_msgid(idstring=f"notice-{outgoing.key}", domain=domain)
        message["X-Choque-Notice"] = outgoing.key
        lines = [outgoing.text]
        if outgoing.detail:
            lines += ["", outgoing.detail]
        if outgoing.link:
            lines += ["", outgoing.link]
        message.set_content("\n".join(lines) + "\n")
        return message

    def send(self, outgoing: Outgoing) -> None:
        opener = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        try:
            with opener(self.host, self.port, timeout=HTTP_TIMEOUT) as smtp:
                if self.starttls and not self.ssl:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(self.message(outgoing))
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"smtp: {error}") from None


def _post_json(url, payload, headers=None):
    """(status, parsed JSON or None) of a JSON POST; DeliveryFailed when nothing came back."""
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            status, body = response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, socket.timeout, OSError) as error:
        raise DeliveryFailed(f"unreachable: {getattr(error, 'reason', error)}") from None
    try:
        return status, json.loads(body.decode("utf-8"))
    except ValueError:
        raise DeliveryFailed(f"HTTP {status}: not JSON") from None


class SmsChannel:
    name = "sms"

    def __init__(self, config):
        self.url = config["SMS_GATEWAY_URL"]
        self.api_key = config["SMS_API_KEY"]
        self.secret_key = config.get("SMS_SECRET_KEY") or ""
        self.brandname = config.get("SMS_BRANDNAME") or ""
        self.sandbox = _flag(config.get("SMS_SANDBOX"))

    @staticmethod
    def is_configured(config) -> bool:
        return bool(config.get("SMS_GATEWAY_URL") and config.get("SMS_API_KEY"))

    def payload(self, outgoing: Outgoing) -> dict:
        return {"ApiKey": self.api_key, "SecretKey": self.secret_key, "Phone": international_digits(outgoing.address),
                "Content": sms_body(outgoing.text, outgoing.link), "Brandname": self.brandname, "SmsType": "2",
                "IsUnicode": "0", "Sandbox": "1" if self.sandbox else "0", "RequestId": outgoing.key}

    def send(self, outgoing: Outgoing) -> None:
        _status, answer = _post_json(self.url, self.payload(outgoing))
        code = str((answer or {}).get("CodeResult", ""))
        if code != "100":
            raise DeliveryFailed(f"sms gateway: CodeResult {code or '?'} {(answer or {}).get('ErrorMessage', '')}"
                                 .strip())


class ZaloChannel:
    name = "zalo"

    def __init__(self, config):
        self.url = config.get("ZALO_ZNS_URL") or ZNS_URL
        self.token = config["ZALO_ZNS_ACCESS_TOKEN"]
        self.default_template = config.get("ZALO_ZNS_TEMPLATE_ID")
        self.templates = _json_map(config.get("ZALO_ZNS_TEMPLATE_IDS"))

    @staticmethod
    def is_configured(config) -> bool:
        return bool(config.get("ZALO_ZNS_ACCESS_TOKEN") and (
            config.get("ZALO_ZNS_TEMPLATE_ID") or _json_map(config.get("ZALO_ZNS_TEMPLATE_IDS"))))

    def payload(self, outgoing: Outgoing) -> dict:
        template = self.templates.get(outgoing.kind) or self.default_template
        if not template:
            raise DeliveryFailed(f"zalo: no template for {outgoing.kind}")
        return {"phone": international_digits(outgoing.address), "template_id": str(template),
                "template_data": {"content": outgoing.text, "link": outgoing.link},
                "tracking_id": outgoing.key}

    def send(self, outgoing: Outgoing) -> None:
        _status, answer = _post_json(self.url, self.payload(outgoing), {"access_token": self.token})
        error = (answer or {}).get("error")
        if error != 0:
            raise DeliveryFailed(f"zalo zns: error {error} {(answer or {}).get('message', '')}".strip())


CHANNELS = {channel.name: channel for channel in (EmailChannel, SmsChannel, ZaloChannel)}


def configured(config) -> frozenset:
    """The names of the channels whose settings are complete."""
    return frozenset(name for name, channel in CHANNELS.items() if channel.is_configured(config))


def channel_for(name, config):
    """The channel `name` ready to send, or None when it is not configured."""
    channel = CHANNELS.get(name)
    if channel is None or not channel.is_configured(config):
        return None
    return channel(config)


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _json_map(value) -> dict:
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        found = json.loads(value)
    except ValueError:
        log.warning("ZALO_ZNS_TEMPLATE_IDS is not JSON; ignored")
        return {}
    return found if isinstance(found, dict) else {}
