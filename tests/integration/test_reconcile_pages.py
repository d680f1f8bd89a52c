"""The producer's payment pages: statement upload (sheets laid out like Vietcombank's and
Techcombank's exports, see tests/integration/statement_sheets.py), orders by payment with CSV
export, transfers matched by hand, and the SePay/Casso connection whose secret is never shown."""
import csv
import io
from datetime import timedelta

import pytest

from core.clock import utcnow
from extensions import db
from payments.models import Order
from payments.constants import OrderStatus
from producers.models import AuditEvent
from reconcile import services
from reconcile.models import BankFeed
from reconcile.constants import PaymentProgress
from tests.conftest import csrf_token_from
from tests.factories import make_seller, place_order
from tests.factories import order_row, post_sepay, sepay_payload, transactions
from tests.integration.statement_sheets import at, techcombank_xlsx, vietcombank_xlsx

UPLOAD = "/nha-san-xuat/thanh-toan/sao-ke"
LIST = "/nha-san-xuat/thanh-toan"
TRANSFERS = "/nha-san-xuat/thanh-toan/giao-dich"
FEEDS = "/nha-san-xuat/thanh-toan/ket-noi"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


def upload(client, path, name=None):
    token = csrf_token_from(client.get(UPLOAD).get_data(as_text=True))
    with open(path, "rb") as handle:
        return client.post(UPLOAD, data={"csrf_token": token, "file": (handle, name or path.name)},
                           content_type="multipart/form-data")


def test_vietcombank_statement_marks_orders_paid_and_a_second_upload_changes_nothing(app, seller, auth, tmp_path):
    buyer = app.test_client()
    paid, partly = place_order(buyer, seller.product_id, quantity="2"), place_order(buyer, seller.product_id)
    path = vietcombank_xlsx(tmp_path / "SaoKeTaiKhoan_VCB.xlsx", [
        ("01/12/2026", "5243.65937", "", "240,000", f"MBVCB.4525077405.029552.{paid} mat ong.CT tu 0351000646393"),
        ("02/12/2026", "5243.65938", "", "20,000", f"MBVCB.4525077406.{partly.lower()}.CT tu 0351000646393"),
        ("02/12/2026", "5243.65939", "", "75,000", "NGUYEN VAN A chuyen tien"),
        ("03/12/2026", "5243.65940", "99,000", "", "MBVCB.4525077407.CT tu 1234567890123"),
    ])
    auth.login(seller.phone)
    response = upload(auth.client, path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[page.find("<main"):][:1500]
    assert "Đã đọc 3 dòng tiền vào: 3 dòng mới, 0 dòng đã có." in page
    assert order_row(app, paid)["status"] == OrderStatus.PAID
    assert (order_row(app, partly)["status"], order_row(app, partly)["received"]) == (OrderStatus.NEW, 20_000)
    assert "Đã nhận tiền" in buyer.get(f"/don-hang/{paid}").get_data(as_text=True)
    assert "Đã nhận một phần" in buyer.get(f"/don-hang/{partly}").get_data(as_text=True)
    again = upload(auth.client, path).get_data(as_text=True)
    assert "0 dòng mới, 3 dòng đã có" in again
    assert order_row(app, paid)["received"] == 240_000 and len(transactions(app)) == 3


def test_techcombank_statement(app, seller, auth, tmp_path):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    path = techcombank_xlsx(tmp_path / "TCB_Statement.xlsx", [
        (at(1), "TRAN THI BINH", f"TRAN THI BINH chuyen tien {code[:5]} {code[5:]}", "FT26335123456789", None,
         120_000),
        (at(2), "CONG TY DIEN LUC", "Thanh toan tien dien", "FT26336123456789", 320_000, None)])
    auth.login(seller.phone)
    page = upload(auth.client, path).get_data(as_text=True)
    assert code in page and "Đã trả đủ" in page, page[page.find("<main"):][:2500]
    assert order_row(app, code)["status"] == OrderStatus.PAID


def test_bad_statement_files_get_a_vietnamese_message_and_change_nothing(app, seller, auth, tmp_path):
    auth.login(seller.phone)
    not_a_statement = tmp_path / "danh-ba.csv"
    not_a_statement.write_text("Họ tên,Địa chỉ\nAn,Lào Cai\n", encoding="utf-8")
    response = upload(auth.client, not_a_statement)
    assert response.status_code == 400 and "Không tìm thấy dòng tên cột" in response.get_data(as_text=True)
    old = tmp_path / "saoke.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    response = upload(auth.client, old)
    assert response.status_code == 400 and ".xlsx" in response.get_data(as_text=True)
    assert transactions(app) == []


def _sepay_feed(app, seller):
    from tests.factories import connect_feed

    return connect_feed(app, seller, "sepay", "sepay_hmac", "sepay-hmac-secret-0123456789abcdef")


def test_an_unmatched_transfer_is_matched_by_hand(app, client, seller, auth, make_user):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    hook = _sepay_feed(app, seller)
    post_sepay(client, hook, sepay_payload(1, 120_000, "chuyen tien mua mat ong"))
    post_sepay(client, hook, sepay_payload(2, 50_000, "tien rieng"))
    auth.login(seller.phone)
    page = auth.client.get(TRANSFERS).get_data(as_text=True)
    token = csrf_token_from(page)
    first, second = [t for t in transactions(app)]
    with app.app_context():
        ids = [row.id for row in db.session.scalars(db.select(services.BankTransaction).order_by("id"))]
    wrong = auth.client.post(f"{TRANSFERS}/{ids[0]}/ghep", data={"csrf_token": token, "order_code": "CQZZZZZZ"})
    assert wrong.status_code == 303 and order_row(app, code)["status"] == OrderStatus.NEW
    response = auth.client.post(f"{TRANSFERS}/{ids[0]}/ghep", data={"csrf_token": token, "order_code": code.lower()},
                                follow_redirects=True)
    assert f"đã được tính cho đơn {code}" in response.get_data(as_text=True)
    assert order_row(app, code)["status"] == OrderStatus.PAID
    auth.client.post(f"{TRANSFERS}/{ids[1]}/bo-qua", data={"csrf_token": token})
    assert [t[3] for t in transactions(app)] == ["matched", "ignored"]
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="payment_matched_by_hand"))
    # Another producer cannot see or match these transfers.
    other = make_seller(app, make_user, name="HTX Chè", ref="CHE-01")
    auth.logout()
    auth.login(other.phone)
    assert "chuyen tien mua mat ong" not in auth.client.get(TRANSFERS).get_data(as_text=True)
    token = csrf_token_from(auth.client.get(TRANSFERS).get_data(as_text=True))
    assert auth.client.post(f"{TRANSFERS}/{ids[1]}/ghep", data={"csrf_token": token, "order_code": code}
                            ).status_code == 404
    assert first and second


def _make_orders(app, seller, buyer):
    codes = {}
    for name in ("awaiting", "partly", "paid", "expired", "cancelled"):
        codes[name] = place_order(buyer, seller.product_id, buyer_name=f"=HYPERLINK(\"x\") {name}")
    with app.app_context():
        rows = {o.code: o for o in db.session.scalars(db.select(Order))}
        rows[codes["partly"]].received_vnd = 20_000
        rows[codes["paid"]].status, rows[codes["paid"]].received_vnd = OrderStatus.PAID, 120_000
        rows[codes["expired"]].created_at = utcnow() - timedelta(days=4)
        rows[codes["cancelled"]].status = OrderStatus.CANCELLED
        db.session.commit()
    return codes


def test_orders_by_payment_filter_and_csv_export(app, seller, auth):
    codes = _make_orders(app, seller, app.test_client())
    auth.login(seller.phone)
    slugs = {"awaiting": "cho-thanh-toan", "partly": "thanh-toan-mot-phan", "paid": "da-thanh-toan",
             "expired": "het-han", "cancelled": "da-huy"}
    for name, slug in slugs.items():
        page = auth.client.get(f"{LIST}?tinh-trang={slug}").get_data(as_text=True)
        assert [code for code in codes.values() if code in page] == [codes[name]], name
    response = auth.client.get(f"{LIST}.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["code"] for row in rows} == set(codes.values())
    by_code = {row["code"]: row for row in rows}
    assert by_code[codes["partly"]]["payment"] == "Thanh toán một phần"
    assert by_code[codes["partly"]]["received_vnd"] == "20000"
    assert by_code[codes["expired"]]["payment"] == "Hết hạn"
    assert all(row["buyer_name"].startswith("'=") for row in rows)  # the formula guard
    only_paid = auth.client.get(f"{LIST}.csv?tinh-trang=da-thanh-toan").get_data().decode("utf-8")
    assert codes["paid"] in only_paid and codes["awaiting"] not in only_paid


def test_sql_filter_agrees_with_the_rule(app, seller, make_user):
    codes = _make_orders(app, seller, app.test_client())
    with app.app_context():
        from accounts.models import User

        user = db.session.get(User, seller.user_id)
        for progress in PaymentProgress:
            listed = {o.code for o in db.session.scalars(services.orders_by_progress(user, progress))}
            by_rule = {o.code for o in db.session.scalars(db.select(Order)) if services.progress_of(o) == progress}
            assert listed == by_rule, progress
    assert codes


def test_connecting_sepay_shows_the_url_and_never_the_secret(app, seller, auth):
    auth.login(seller.phone)
    page = auth.client.get(FEEDS).get_data(as_text=True)
    secret = "my-sepay-secret-9f8e7d6c5b4a"
    response = auth.client.post(FEEDS, data={"csrf_token": csrf_token_from(page), "service": "sepay",
                                             "auth_method": "sepay_hmac", "secret": secret}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đã kết nối SePay" in page and "…5b4a" in page
    assert secret not in page
    with app.app_context():
        feed = db.session.scalar(db.select(BankFeed))
        assert secret not in (feed.secret_encrypted or "") and feed.secret_digest is None
        assert f"https://choque.example/api/webhooks/sepay/{feed.hook_id}" in page
        hook = f"/api/webhooks/sepay/{feed.hook_id}"
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    assert post_sepay(app.test_client(), hook, sepay_payload(11, 120_000, code), secret=secret).status_code == 200
    # A too-short key is refused with a message, and nothing changes.
    token = csrf_token_from(auth.client.get(FEEDS).get_data(as_text=True))
    short = auth.client.post(FEEDS, data={"csrf_token": token, "service": "casso", "auth_method": "casso_signature",
                                          "secret": "abc"})
    assert short.status_code == 400 and "Khóa phải có từ 16 đến 200 ký tự" in short.get_data(as_text=True)
    token = csrf_token_from(auth.client.get(FEEDS).get_data(as_text=True))
    auth.client.post(f"{FEEDS}/ngat", data={"csrf_token": token, "service": "sepay", "producer": seller.producer_id})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(BankFeed)) == 0
    assert post_sepay(app.test_client(), hook, sepay_payload(12, 1_000, code), secret=secret).status_code == 404


def test_pages_need_a_login(client):
    for path in (LIST, f"{LIST}.csv", TRANSFERS, UPLOAD, FEEDS):
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_a_statement_after_sepay_does_not_count_the_same_transfer_twice(app, client, seller, auth, tmp_path):
    code = place_order(app.test_client(), seller.product_id, quantity="1")
    hook = _sepay_feed(app, seller)
    post_sepay(client, hook, sepay_payload(21, 120_000, code, transactionDate="2026-12-01 10:02:37"))
    path = vietcombank_xlsx(tmp_path / "vcb.xlsx", [
        ("01/12/2026", "5243.1", "", "120,000", f"MBVCB.4525077405.{code}.CT tu 0351000646393")])
    auth.login(seller.phone)
    upload(auth.client, path)
    assert order_row(app, code)["received"] == 120_000
    assert [t[3] for t in transactions(app)] == ["matched", "already_counted"]
