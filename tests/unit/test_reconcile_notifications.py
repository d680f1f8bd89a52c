"""Reading and authenticating SePay and Casso notifications, without Flask.

Sources: SePay developer docs (developer.sepay.vn/en/sepay-webhooks/tich-hop-webhook for the
payload, /xac-thuc and /bao-mat for HMAC-SHA256 and API keys); Casso webhook V2
(developer.casso.vn/webhook/thiet-lap-webhook-thu-cong) and its signature samples
(github.com/CassoHQ/casso-webhook-v2-verify-signature, whose published sample and signature
are replayed here byte for byte).
"""
import json
import time

import pytest

from reconcile.notifications import (NotificationRefused, api_key_digest, check_casso_signature,
                                     check_sepay_api_key, check_sepay_hmac, parse_casso, parse_json, parse_sepay,
                                     sepay_hmac_signature)
from reconcile.constants import Source

CASSO_SAMPLE = {"error": 0, "data": {
    "id": 0, "reference": "MA_GIAO_DICH_THU_NGHIEM", "description": "giao dich thu nghiem", "amount": 599000,
    "runningBalance": 25000000, "transactionDateTime": "2024-10-03 15:06:37", "accountNumber": "88888888",
    "bankName": "VPBank", "bankAbbreviation": "VPB", "virtualAccountNumber": "", "virtualAccountName": "",
    "counterAccountName": "NGUYEN VAN A", "counterAccountNumber": "8888888888", "counterAccountBankId": "970415",
    "counterAccountBankName": "VietinBank"}}
CASSO_SAMPLE_KEY = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
CASSO_SAMPLE_SIGNATURE = ("t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868"
                          "fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3")
SEPAY_SAMPLE = {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
                "accountNumber": "0123499999", "code": None, "content": "chuyen tien mua iphone",
                "transferType": "in", "transferAmount": 2277000, "accumulated": 19077000, "subAccount": None,
                "referenceCode": "MBVCB.3278907687", "description": ""}


def test_casso_published_sample_verifies_and_reads():
    check_casso_signature(CASSO_SAMPLE_KEY, {"X-Casso-Signature": CASSO_SAMPLE_SIGNATURE}, CASSO_SAMPLE)
    incoming = parse_casso(CASSO_SAMPLE)
    assert (incoming.source, incoming.external_id, incoming.amount_vnd) == (Source.CASSO, "0", 599000)
    assert incoming.bank_reference == "MA_GIAO_DICH_THU_NGHIEM" and incoming.occurred_at.hour == 15


@pytest.mark.parametrize("header", [
    CASSO_SAMPLE_SIGNATURE.replace("v1=ed0a", "v1=ed0b"),
    CASSO_SAMPLE_SIGNATURE.replace("t=1727948258788", "t=1727948258789"),
    "", "t=abc,v1=00", "v1=" + "0" * 128,
])
def test_casso_wrong_signatures_are_refused(header):
    with pytest.raises(NotificationRefused) as refused:
        check_casso_signature(CASSO_SAMPLE_KEY, {"X-Casso-Signature": header}, CASSO_SAMPLE)
    assert refused.value.code == "bad_signature"


def test_casso_changed_amount_fails_the_signature():
    changed = json.loads(json.dumps(CASSO_SAMPLE))
    changed["data"]["amount"] = 5_990_000
    with pytest.raises(NotificationRefused):
        check_casso_signature(CASSO_SAMPLE_KEY, {"X-Casso-Signature": CASSO_SAMPLE_SIGNATURE}, changed)


def test_sepay_published_sample_reads():
    incoming = parse_sepay(SEPAY_SAMPLE)
    assert (incoming.source, incoming.external_id, incoming.amount_vnd) == (Source.SEPAY, "92704", 2277000)
    assert incoming.bank_reference == "MBVCB.3278907687" and incoming.description == "chuyen tien mua iphone"
    assert parse_sepay({**SEPAY_SAMPLE, "transferType": "out"}).amount_vnd == -2277000
    # SePay's detected payment code is looked at too.
    assert "CQABC234" in parse_sepay({**SEPAY_SAMPLE, "code": "CQABC234"}).description


def test_sepay_hmac_with_its_timestamp():
    body = json.dumps(SEPAY_SAMPLE).encode()
    now = 1_764_000_000
    headers = {"X-SePay-Signature": sepay_hmac_signature("k" * 32, str(now), body), "X-SePay-Timestamp": str(now)}
    check_sepay_hmac("k" * 32, headers, body, now=now + 60)
    headers_without_prefix = dict(headers, **{"X-SePay-Signature": headers["X-SePay-Signature"][7:]})
    check_sepay_hmac("k" * 32, headers_without_prefix, body, now=now)
    for bad in ({**headers, "X-SePay-Timestamp": str(now + 1)}, {"X-SePay-Timestamp": str(now)}, {}):
        with pytest.raises(NotificationRefused):
            check_sepay_hmac("k" * 32, bad, body, now=now)
    with pytest.raises(NotificationRefused):  # older than 5 minutes: a replay
        check_sepay_hmac("k" * 32, headers, body, now=now + 301)
    with pytest.raises(NotificationRefused):
        check_sepay_hmac("k" * 32, headers, body + b" ", now=now)
    assert time.time() > now


def test_sepay_api_key():
    digest = api_key_digest("my-api-key-123456")
    check_sepay_api_key(digest, {"Authorization": "Apikey my-api-key-123456"})
    for header in ("Apikey other", "Bearer my-api-key-123456", "", "Apikey "):
        with pytest.raises(NotificationRefused):
            check_sepay_api_key(digest, {"Authorization": header})


@pytest.mark.parametrize("body", [b"", b"[]", b"\xff\xfe", b"{", b'"text"'])
def test_bodies_that_are_not_json_objects(body):
    with pytest.raises(NotificationRefused) as refused:
        parse_json(body)
    assert refused.value.code == "bad_payload"


@pytest.mark.parametrize("change", [{"transferAmount": "abc"}, {"transferAmount": 10.5}, {"transferAmount": True},
                                    {"transferType": "sideways"}, {"id": None}, {"transferAmount": -5}])
def test_sepay_payloads_that_are_not_transactions(change):
    with pytest.raises(NotificationRefused):
        parse_sepay({**SEPAY_SAMPLE, **change})


@pytest.mark.parametrize("payload", [{"error": 1, "data": CASSO_SAMPLE["data"]}, {"error": 0, "data": []},
                                     {"error": 0}])
def test_casso_payloads_that_are_not_transactions(payload):
    with pytest.raises(NotificationRefused):
        parse_casso(payload)
