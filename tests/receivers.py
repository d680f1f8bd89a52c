"""Real receivers for the outbox tests: an SMTP server (aiosmtpd) and a local HTTP stub that
answers as the eSMS.vn SMS gateway and as Zalo ZNS do. Each can refuse the first delivery of
every message (SMTP 451, HTTP 500), and records what it accepted, keyed by the idempotency
key the site sends (Message-ID / X-Choque-Notice, RequestId, tracking_id).

Published forms followed by the stub: eSMS "SendMultipleMessage_V4_post_json" (JSON body
ApiKey, SecretKey, Phone, Content, Brandname, SmsType, RequestId; answer CodeResult "100"),
github.com/devesms/gitbook_esms_for_develop_v2_en, esms-api/send-sms-api/
send-otp-customer-care-message.md; Zalo ZNS "send template" (POST
business.openapi.zalo.me/message/template, header access_token, phone 84…, template_id,
template_data, tracking_id; answer {"error": 0, "data": {"msg_id": …}}),
developers.zalo.me/docs/zalo-notification-service.
"""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

ZNS_TOKEN = "zns-test-token"
ZNS_TEMPLATE = "301234"
SMS_API_KEY = "esms-api-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: the messages accepted, in order."""

    def __init__(self):
        self.messages = []
        self.refused = set()
        self.refuse_first = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        key = message["X-Choque-Notice"]
        with self.lock:
            if self.refuse_first and key not in self.refused:
                self.refused.add(key)
                return "451 4.3.0 Try again later"
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def keys(self):
        return [message["X-Choque-Notice"] for message in self.messages]

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


class GatewayStub(ThreadingHTTPServer):
    """/sms answers as eSMS, /zns as Zalo ZNS. `requests`: (path, JSON body, headers) accepted."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", free_port()), _GatewayHandler)
        self.requests = []
        self.refused = set()
        self.refuse_first = False
        self.lock = threading.Lock()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def keys(self, path):
        key = "RequestId" if path == "/sms" else "tracking_id"
        return [body[key] for found, body, _headers in self.requests if found == path]

    def bodies(self, path):
        return [body for found, body, _headers in self.requests if found == path]


class _GatewayHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        stub = self.server
        if self.path == "/sms":
            key = body.get("RequestId")
            if body.get("ApiKey") != SMS_API_KEY:
                return self._answer(200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"})
        elif self.path == "/zns":
            key = body.get("tracking_id")
            if self.headers.get("access_token") != ZNS_TOKEN:
                return self._answer(200, {"error": -124, "message": "Access token is invalid"})
        else:
            return self._answer(404, {})
        with stub.lock:
            if stub.refuse_first and key not in stub.refused:
                stub.refused.add(key)
                return self._answer(500, {"error": "temporarily unavailable"})
            stub.requests.append((self.path, body, dict(self.headers)))
        if self.path == "/sms":
            return self._answer(200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": f"sms-{key}"})
        return self._answer(200, {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{key}"}})


class Receivers:
    def __init__(self):
        self.inbox = Inbox()
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=free_port())
        self.gateway = GatewayStub()

    def start(self):
        self.smtp.start()
        threading.Thread(target=self.gateway.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.smtp.stop()
        self.gateway.shutdown()
        self.gateway.server_close()

    def reset(self, refuse_first=False):
        for sink in (self.inbox, self.gateway):
            sink.refused.clear()
            sink.refuse_first = refuse_first
        self.inbox.messages.clear()
        self.gateway.requests.clear()

    def config(self):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.smtp.port, "MAIL_FROM": "Chợ Quê <tin@choque.example>",
                "SMS_GATEWAY_URL": self.gateway.base + "/sms", "SMS_API_KEY": SMS_API_KEY,
                "SMS_SECRET_KEY": "esms-secret", "SMS_BRANDNAME": "CHOQUE",
                "ZALO_ZNS_URL": self.gateway.base + "/zns", "ZALO_ZNS_ACCESS_TOKEN": ZNS_TOKEN,
                "ZALO_ZNS_TEMPLATE_ID": ZNS_TEMPLATE}

    def delivered(self, channel):
        """The idempotency keys each channel accepted, in order (duplicates kept)."""
        if channel == "email":
            return self.inbox.keys()
        return self.gateway.keys("/sms" if channel == "sms" else "/zns")
