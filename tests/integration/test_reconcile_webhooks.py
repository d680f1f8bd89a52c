"""SePay and Casso notifications through their webhook doors.

Payload shapes and authentication follow the services' published documentation:
- SePay: developer.sepay.vn/en/sepay-webhooks/tich-hop-webhook (payload: id, gateway,
  transactionDate, accountNumber, code, content, transferType, transferAmount, accumulated,
  subAccount, referenceCode; answer {"success": true} with 2xx, any other status is retried)
  and /xac-thuc, /bao-mat (HMAC-SHA256 in X-SePay-Signature over "<X-SePay-Timestamp>.<body>",
  timestamps more than 5 minutes off refused; "Authorization: Apikey <key>").
- Casso: developer.casso.vn/webhook/thiet-lap-webhook-thu-cong and
  github.com/CassoHQ/casso-webhook-v2-verify-signature (X-Casso-Signature "t=<ms>,v1=<hex>",
  HMAC-SHA512 over "<t>." + the payload as compact JSON with keys sorted A→Z).
"""
import pytest

from payments.constants import OrderStatus
from reconcile.constants import MatchState
from tests.factories import make_seller, place_order
from tests.factories import (CASSO_SECRET, SEPAY_API_KEY, casso_payload, connect_feed, order_row,
                                               post_casso, post_sepay, sepay_payload, transactions)


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


@pytest.fixture
def sepay(app, seller):
    return connect_feed(app, seller, "sepay", "sepay_hmac", "sepay-hmac-secret-0123456789abcdef")


@pytest.fixture
def casso(app, seller):
    return connect_feed(app, seller, "casso", "casso_signature", CASSO_SECRET)


def test_sepay_payment_in_full_marks_the_order_paid_and_the_buyer_sees_it(app, client, seller, sepay):
    buyer = app.test_client()
    code = place_order(buyer, seller.product_id, quantity="2")
    response = post_sepay(client, sepay, sepay_payload(92704, 240_000, f"{code} Mat ong rung U Minh"))
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "stored": True, "duplicate": False, "state": "matched",
                                   "order": code}
    row = order_row(app, code)
    assert row["status"] == OrderStatus.PAID and row["received"] == 240_000 and row["paid_at"]
    page = buyer.get(f"/don-hang/{code}").get_data(as_text=True)
    assert "Đã nhận tiền" in page and 'id="da-nhan-tien"' in page
    # The producer's order page lists the transfer.
    from tests.conftest import Auth

    producer = Auth(app.test_client())
    producer.login(seller.phone)
    page = producer.client.get(f"/nha-san-xuat/don-hang/{code}").get_data(as_text=True)
    assert "Các khoản tiền đã nhận" in page and f"MBVCB.{3278907687 + 92704}" in page and "240.000" in page


def test_a_duplicate_delivery_changes_nothing(app, client, seller, sepay):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    payload = sepay_payload(5001, 60_000, f"{code} mat ong")
    first = post_sepay(client, sepay, payload)
    again = post_sepay(client, sepay, payload)
    assert first.status_code == again.status_code == 200
    assert again.get_json()["duplicate"] is True and again.get_json()["stored"] is False
    assert order_row(app, code)["received"] == 60_000
    assert len(transactions(app)) == 1


def test_a_bad_signature_is_refused_with_401_and_nothing_is_stored(app, client, seller, sepay):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    payload = sepay_payload(5002, 120_000, code)
    assert post_sepay(client, sepay, payload, secret="someone-elses-secret-000000").status_code == 401
    # A body changed after signing, and a replay of an old signature, are refused too.
    signed = post_sepay(client, sepay, payload, body=b'{"id": 1}')
    assert signed.status_code in (400, 401)
    assert post_sepay(client, sepay, payload, timestamp=1_600_000_000).status_code == 401
    assert client.post(sepay, json=payload).status_code == 401
    assert transactions(app) == [] and order_row(app, code)["status"] == OrderStatus.NEW


def test_a_tampered_body_fails_the_signature(app, client, seller, sepay):
    import json
    import time

    from reconcile.notifications import sepay_hmac_signature

    payload = sepay_payload(5003, 1_000, "CQ")
    timestamp = str(int(time.time()))
    signature = sepay_hmac_signature("sepay-hmac-secret-0123456789abcdef", timestamp, json.dumps(payload).encode())
    payload["transferAmount"] = 9_999_999
    response = client.post(sepay, data=json.dumps(payload), content_type="application/json",
                           headers={"X-SePay-Signature": signature, "X-SePay-Timestamp": timestamp})
    assert response.status_code == 401 and response.get_json()["success"] is False
    assert "chữ ký" in response.get_json()["message"].lower()


def test_an_unknown_order_code_is_stored_and_waits_for_the_producer(app, client, seller, sepay, auth):
    response = post_sepay(client, sepay, sepay_payload(6001, 150_000, "CQZZZZZZ chuyen tien"))
    assert response.status_code == 200  # stored: retrying would not help
    assert response.get_json()["state"] == MatchState.UNMATCHED and response.get_json()["order"] is None
    auth.login(seller.phone)
    page = auth.client.get("/nha-san-xuat/thanh-toan/giao-dich").get_data(as_text=True)
    assert "CQZZZZZZ chuyen tien" in page and "150.000" in page


def test_a_partial_payment_then_the_rest(app, client, seller, sepay):
    buyer = app.test_client()
    code = place_order(buyer, seller.product_id, quantity="2")  # 240,000
    post_sepay(client, sepay, sepay_payload(7001, 100_000, f"{code} dat coc"))
    row = order_row(app, code)
    assert (row["status"], row["received"]) == (OrderStatus.NEW, 100_000)
    page = buyer.get(f"/don-hang/{code}").get_data(as_text=True)
    assert "Đã nhận một phần" in page and "Đã nhận tiền" not in page
    post_sepay(client, sepay, sepay_payload(7002, 140_000, f"{code} con lai"))
    row = order_row(app, code)
    assert (row["status"], row["received"]) == (OrderStatus.PAID, 240_000)
    assert [t[5] for t in transactions(app)] == ["partial", "full"]


def test_an_overpayment_marks_paid_and_says_overpaid(app, client, seller, sepay, auth):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    post_sepay(client, sepay, sepay_payload(7101, 150_000, code))
    assert order_row(app, code)["status"] == OrderStatus.PAID
    assert transactions(app)[0][5] == "over"


@pytest.mark.parametrize("rewrite", [
    "MBVCB.4525077405.029552.{spaced}.CT tu 0351000646393 TRAN THI BINH toi 1234567890123",
    "IBFT {dotted} mat ong",
    "TKThe :0351000646393, tai VCB. {lower} thanh toan",
    "{glued}",
])
def test_a_memo_rewritten_by_a_bank_still_finds_the_order(app, client, seller, sepay, rewrite):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    memo = rewrite.format(spaced=f"{code[:2]} {code[2:5]} {code[5:]}", dotted=".".join(code),
                          lower=code.lower(), glued=f"MBVCB1234567{code}CHUYENTIEN")
    response = post_sepay(client, sepay, sepay_payload(8000 + len(memo), 120_000, memo))
    assert response.get_json()["order"] == code
    assert order_row(app, code)["status"] == OrderStatus.PAID


def test_money_out_is_acknowledged_but_not_stored(app, client, seller, sepay):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    response = post_sepay(client, sepay, sepay_payload(9001, 120_000, code, transferType="out"))
    assert response.status_code == 200 and response.get_json()["stored"] is False
    assert transactions(app) == []


def test_malformed_payloads_get_400_and_unknown_hooks_404(app, client, seller, sepay):
    assert post_sepay(client, sepay, None, body=b"not json").status_code == 400
    assert post_sepay(client, sepay, sepay_payload(1, "12abc", "x")).status_code == 400
    assert post_sepay(client, sepay, sepay_payload(1, 1000.5, "x")).status_code == 400
    assert post_sepay(client, "/api/webhooks/sepay/unknown-hook-id", sepay_payload(1, 1000, "x")).status_code == 404
    assert transactions(app) == []


def test_a_database_failure_answers_503_so_the_service_retries(app, client, seller, sepay, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from reconcile import services

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    code = place_order(app.test_client(), seller.product_id, quantity="1")
    monkeypatch.setattr(services, "record_incoming", broken)
    response = post_sepay(client, sepay, sepay_payload(9101, 120_000, code))
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    monkeypatch.undo()
    assert post_sepay(client, sepay, sepay_payload(9101, 120_000, code)).status_code == 200
    assert order_row(app, code)["status"] == OrderStatus.PAID


def test_sepay_api_key_authentication(app, client, seller):
    path = connect_feed(app, seller, "sepay", "sepay_api_key", SEPAY_API_KEY)
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    payload = sepay_payload(9201, 120_000, code)
    assert client.post(path, json=payload, headers={"Authorization": "Apikey wrong-key"}).status_code == 401
    assert client.post(path, json=payload).status_code == 401
    response = client.post(path, json=payload, headers={"Authorization": f"Apikey {SEPAY_API_KEY}"})
    assert response.status_code == 200 and response.get_json()["order"] == code


def test_casso_v2_payment_duplicate_and_bad_signature(app, client, seller, casso):
    buyer = app.test_client()
    code = place_order(buyer, seller.product_id, quantity="1")
    payload = casso_payload(3801, 120_000, f"TRAN THI BINH chuyen tien {code} Mật ong")
    assert post_casso(client, casso, payload, secret="not-the-checksum-key-000000").status_code == 401
    assert transactions(app) == []
    first = post_casso(client, casso, payload)
    assert first.status_code == 200 and first.get_json()["order"] == code
    assert post_casso(client, casso, payload).get_json()["duplicate"] is True
    assert order_row(app, code)["received"] == 120_000
    assert "Đã nhận tiền" in buyer.get(f"/don-hang/{code}").get_data(as_text=True)


def test_casso_partial_payment_and_unknown_code(app, client, seller, casso):
    code = place_order(app.test_client(), seller.product_id, quantity="2")
    post_casso(client, casso, casso_payload(3901, 40_000, f"{code} coc truoc"))
    assert order_row(app, code)["status"] == OrderStatus.NEW and order_row(app, code)["received"] == 40_000
    unknown = post_casso(client, casso, casso_payload(3902, 40_000, "CQXXXXXX"))
    assert unknown.status_code == 200 and unknown.get_json()["state"] == "unmatched"
    money_out = post_casso(client, casso, casso_payload(3903, -40_000, "rut tien"))
    assert money_out.get_json()["stored"] is False


def test_the_casso_published_sample_is_accepted_as_signed(app, client, seller, casso):
    """The sample delivery of CassoHQ/casso-webhook-v2-verify-signature, with its signature."""
    from tests.unit.test_reconcile_notifications import CASSO_SAMPLE, CASSO_SAMPLE_SIGNATURE

    response = client.post(casso, json=CASSO_SAMPLE, headers={"X-Casso-Signature": CASSO_SAMPLE_SIGNATURE})
    assert response.status_code == 200 and response.get_json()["state"] == "unmatched"


def test_another_producers_order_code_is_not_matched(app, client, seller, sepay, make_user):
    other = make_seller(app, make_user, name="HTX Chè", ref="CHE-01")
    code = place_order(app.test_client(), other.product_id, quantity="1")
    response = post_sepay(client, sepay, sepay_payload(9301, 120_000, code))
    assert response.get_json()["state"] == "unmatched"
    assert order_row(app, code)["status"] == OrderStatus.NEW
