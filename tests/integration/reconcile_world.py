"""Helpers for the reconciliation tests: a connected producer, signed SePay and Casso
deliveries shaped as the services publish them (docs/RECONCILIATION.md)."""
import json
import time

from accounts.models import User
from extensions import db
from payments.models import Order
from producers.models import Producer
from reconcile import services
from reconcile.models import BankTransaction
from reconcile.notifications import casso_signature, sepay_hmac_signature
from reconcile.terms import AuthMethod, Service

SEPAY_SECRET = "sepay-hmac-secret-0123456789abcdef"
SEPAY_API_KEY = "sepay-api-key-0123456789abcdef"
CASSO_SECRET = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"


def connect_feed(app, seller, service, method, secret) -> str:
    """The webhook path of a new connection, made as the producer's settings page makes it."""
    with app.app_context():
        producer = db.session.get(Producer, seller.producer_id)
        feed = services.connect(producer, Service(service), AuthMethod(method), secret,
                                db.session.get(User, seller.user_id))
        db.session.commit()
        return f"/api/webhooks/{service}/{feed.hook_id}"


def sepay_payload(transaction_id, amount, content, **fields):
    """SePay's payload as its 'Integrate webhook' page shows it."""
    payload = {"id": transaction_id, "gateway": "Vietcombank", "transactionDate": "2026-12-03 14:02:37",
               "accountNumber": "1234567890123", "code": None, "content": content, "transferType": "in",
               "transferAmount": amount, "accumulated": 19_077_000, "subAccount": None,
               "referenceCode": f"MBVCB.{3278907687 + int(transaction_id)}", "description": ""}
    payload.update(fields)
    return payload


def post_sepay(client, path, payload, secret=SEPAY_SECRET, timestamp=None, body=None):
    body = body if body is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"X-SePay-Signature": sepay_hmac_signature(secret, timestamp, body), "X-SePay-Timestamp": timestamp}
    return client.post(path, data=body, headers=headers, content_type="application/json")


def casso_payload(transaction_id, amount, description, **fields):
    """Casso webhook V2: {"error": 0, "data": {...}} as its signature samples show it."""
    data = {"id": transaction_id, "reference": f"FT2633{transaction_id:08d}", "description": description,
            "amount": amount, "runningBalance": 25_000_000, "transactionDateTime": "2026-12-03 15:06:37",
            "accountNumber": "1234567890123", "bankName": "Agribank", "bankAbbreviation": "VBA",
            "virtualAccountNumber": "", "virtualAccountName": "", "counterAccountName": "TRAN THI BINH",
            "counterAccountNumber": "0351000646393", "counterAccountBankId": "970436",
            "counterAccountBankName": "Vietcombank"}
    data.update(fields)
    return {"error": 0, "data": data}


def post_casso(client, path, payload, secret=CASSO_SECRET, timestamp=None):
    timestamp = str(int(time.time() * 1000) if timestamp is None else timestamp)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return client.post(path, data=body, headers={"X-Casso-Signature": casso_signature(secret, timestamp, payload)},
                       content_type="application/json")


def order_row(app, code):
    with app.app_context():
        order = db.session.scalar(db.select(Order).filter_by(code=code))
        return {"status": order.status, "received": order.received_vnd, "amount": order.amount_vnd,
                "paid_at": order.paid_at}


def transactions(app):
    with app.app_context():
        return [(t.source, t.external_id, t.amount_vnd, t.state, t.order.code if t.order else None, t.outcome)
                for t in db.session.scalars(db.select(BankTransaction).order_by(BankTransaction.id))]
