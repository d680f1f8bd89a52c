"""Producer side: add and edit products, prices as typed, references, publishing rules,
duplicating, permissions across communes and help given on a producer's behalf."""
import pytest

from accounts.models import Role
from catalog.models import Product, ProductStatus
from extensions import db
from producers.models import AuditEvent, ProducerStatus
from tests.factories import add_certificate, add_product, make_producer, place


def form_data(**overrides):
    data = {"name": "Mật ong bạc hà Mèo Vạc", "product_set_code": "4", "certificate_id": "", "price": "250.000",
            "unit": "chai 500ml", "weight": "700", "description": "Mật ong nguyên chất.", "availability": "in_stock",
            "harvest_season": "", "ref": "", "status": "draft"}
    data.update(overrides)
    return data


@pytest.fixture
def owner(app, make_user, auth):
    user_id, phone = make_user()
    producer_id = make_producer(app, owner_id=user_id)
    auth.login(phone)
    return {"user_id": user_id, "producer_id": producer_id, "base": f"/nha-san-xuat/{producer_id}/san-pham"}


def products(app, producer_id):
    with app.app_context():
        return [(p.ref, p.name, p.price_vnd, p.status) for p in db.session.scalars(
            db.select(Product).where(Product.producer_id == producer_id).order_by(Product.id))]


def post_form(auth, path, data):
    return auth.post(path, data, form_page=path)


def test_my_products_sends_a_single_producer_owner_to_their_list(client, owner):
    response = client.get("/nha-san-xuat/san-pham")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(owner["base"])
    assert client.get(owner["base"]).status_code == 200


def test_add_a_product_with_a_price_as_typed(app, auth, owner):
    response = post_form(auth, owner["base"] + "/moi", form_data(price="1 250 000 đ"))
    assert response.status_code == 302
    assert products(app, owner["producer_id"]) == [("SP0001", "Mật ong bạc hà Mèo Vạc", 1_250_000, "draft")]
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert product.slug == "mat-ong-bac-ha-meo-vac" and product.weight_g == 700 and product.unit == "chai 500ml"
        assert product.created_by_id == owner["user_id"]


@pytest.mark.parametrize("typed, expected", [("120.000", 120_000), ("120000", 120_000), ("120 000", 120_000),
                                             ("120,000", 120_000), ("120k", 120_000), ("120.000 ₫", 120_000)])
def test_prices_are_accepted_as_people_type_them(app, auth, owner, typed, expected):
    assert post_form(auth, owner["base"] + "/moi", form_data(price=typed)).status_code == 302
    assert products(app, owner["producer_id"])[0][2] == expected


@pytest.mark.parametrize("typed, message", [
    ("120.5", "không có phần thập phân"), ("12,50", "không có phần thập phân"), ("-5000", "không được âm"),
    ("0", "lớn hơn 0"), ("mười nghìn", "chỉ nhập chữ số"), ("", "Vui lòng nhập giá")])
def test_bad_prices_are_refused_with_a_clear_message_and_the_input_kept(app, auth, owner, typed, message):
    response = post_form(auth, owner["base"] + "/moi", form_data(price=typed, name="Chè búp khô"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Chè búp khô"' in page
    assert products(app, owner["producer_id"]) == []


def test_ref_is_unique_per_producer_with_a_friendly_message(app, auth, owner, make_user):
    assert post_form(auth, owner["base"] + "/moi", form_data(ref="MO-500")).status_code == 302
    response = post_form(auth, owner["base"] + "/moi", form_data(ref="mo-500", name="Mật ong khác"))
    assert response.status_code == 400
    assert "Bạn đã có sản phẩm với mã “mo-500”" in response.get_data(as_text=True)
    bad = post_form(auth, owner["base"] + "/moi", form_data(ref="mã sản phẩm"))
    assert bad.status_code == 400 and "chữ không dấu" in bad.get_data(as_text=True)
    # Another producer may use the same reference.
    other_id = make_producer(app, name="HTX Khác", phone="+84911000002")
    add_product(app, other_id, ref="MO-500")
    assert [p[0] for p in products(app, owner["producer_id"])] == ["MO-500"]


def test_seasonal_products_need_months(app, auth, owner):
    response = post_form(auth, owner["base"] + "/moi", form_data(availability="seasonal"))
    assert response.status_code == 400 and "đánh dấu các tháng" in response.get_data(as_text=True)
    data = form_data(availability="seasonal", season_months=["6", "5", "7"], harvest_season="tháng 5 đến tháng 7")
    assert post_form(auth, owner["base"] + "/moi", data).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Product.season_months)) == "5,6,7"


def test_edit_updates_fields_and_records_an_audit_event(app, auth, owner):
    product_id = add_product(app, owner["producer_id"], name="Cá chạch", status=ProductStatus.DRAFT)
    path = f"{owner['base']}/{product_id}"
    page = auth.client.get(path).get_data(as_text=True)
    assert 'value="120.000"' in page  # the price is shown as it is typed
    response = post_form(auth, path, form_data(name="Cá chạch sấy giòn", price="135.000", ref="SP0001"))
    assert response.status_code == 302
    with app.app_context():
        product = db.session.get(Product, product_id)
        assert (product.name, product.price_vnd, product.slug) == ("Cá chạch sấy giòn", 135_000, "ca-chach-say-gion")
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="product_updated"))
        assert event.actor_id == owner["user_id"]
        assert event.changes["price_vnd"] == {"from": 120_000, "to": 135_000}


def test_only_verified_producers_can_publish(app, auth, make_user):
    user_id, phone = make_user()
    producer_id = make_producer(app, owner_id=user_id, status=ProducerStatus.SUBMITTED)
    auth.login(phone)
    base = f"/nha-san-xuat/{producer_id}/san-pham"
    refused = post_form(auth, base + "/moi", form_data(status="published"))
    assert refused.status_code == 400 and "Chỉ cơ sở đã được xác minh" in refused.get_data(as_text=True)
    assert products(app, producer_id) == []
    assert post_form(auth, base + "/moi", form_data(status="draft")).status_code == 302
    product_id = products_ids(app, producer_id)[0]
    auth.post(f"{base}/{product_id}/trang-thai", {"status": "published"}, form_page=f"{base}/{product_id}")
    assert products(app, producer_id)[0][3] == "draft"


def products_ids(app, producer_id):
    with app.app_context():
        return list(db.session.scalars(db.select(Product.id).where(Product.producer_id == producer_id)))


def test_publish_and_hide_change_what_buyers_see(app, auth, owner, client):
    product_id = add_product(app, owner["producer_id"], name="Cá chạch sấy khô", status=ProductStatus.DRAFT)
    path = f"{owner['base']}/{product_id}"
    public = f"/san-pham/ca-chach-say-kho-{product_id}"
    assert client.get(public).status_code == 404
    auth.post(path + "/trang-thai", {"status": "published"}, form_page=path)
    assert client.get(public).status_code == 200
    with app.app_context():
        assert db.session.get(Product, product_id).published_at is not None
    auth.post(path + "/trang-thai", {"status": "hidden"}, form_page=path)
    assert client.get(public).status_code == 404
    with app.app_context():
        actions = [e.changes["status"] for e in db.session.scalars(
            db.select(AuditEvent).filter_by(action="product_status_changed").order_by(AuditEvent.id))]
    assert actions == [{"from": "draft", "to": "published"}, {"from": "published", "to": "hidden"}]


def test_duplicate_copies_fields_as_a_draft_with_a_new_ref(app, auth, owner):
    certificate = add_certificate(app, owner["producer_id"], stars=4)
    product_id = add_product(app, owner["producer_id"], name="Cá chạch sấy khô", ref="CC-200",
                             certificate_id=certificate, weight_g=250)
    path = f"{owner['base']}/{product_id}"
    response = auth.post(path + "/nhan-ban", form_page=path)
    assert response.status_code == 302
    auth.post(path + "/nhan-ban", form_page=path)
    with app.app_context():
        rows = db.session.scalars(db.select(Product).order_by(Product.id)).all()
        assert [(p.ref, p.status) for p in rows] == [("CC-200", "published"), ("CC-200-2", "draft"),
                                                     ("CC-200-3", "draft")]
        assert {(p.name, p.price_vnd, p.certificate_id, p.weight_g) for p in rows} == {
            ("Cá chạch sấy khô", 120_000, certificate, 250)}
    assert response.headers["Location"].endswith(f"{owner['base']}/{rows[1].id}")


def test_another_producers_products_are_404(app, auth, owner, client):
    other = make_producer(app, name="HTX Khác", phone="+84911000002")
    theirs = add_product(app, other, name="Chè của người khác")
    base = f"/nha-san-xuat/{other}/san-pham"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{theirs}").status_code == 404
    assert client.get(f"{owner['base']}/{theirs}").status_code == 404  # own producer, foreign product
    token_page = owner["base"] + "/moi"
    for path, data in ((f"{base}/moi", form_data()), (f"{base}/{theirs}", form_data()),
                       (f"{base}/{theirs}/trang-thai", {"status": "hidden"}), (f"{base}/{theirs}/nhan-ban", {}),
                       (f"{owner['base']}/{theirs}/trang-thai", {"status": "hidden"})):
        assert auth.post(path, data, form_page=token_page).status_code == 404, path
    assert products(app, other) == [("SP0001", "Chè của người khác", 120_000, "published")]


def test_anonymous_visitors_are_sent_to_log_in(client, app):
    producer = make_producer(app)
    for path in ("/nha-san-xuat/san-pham", f"/nha-san-xuat/{producer}/san-pham"):
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_a_helper_of_the_commune_works_on_the_producers_behalf_and_the_audit_log_says_so(app, auth, make_user):
    owner_id, _ = make_user()
    producer_id = make_producer(app, owner_id=owner_id)
    _, commune_code = place("Ninh Bình", "Yên Mô")
    helper_id, helper_phone = make_user(role=Role.HELPER, communes=(commune_code,))
    auth.login(helper_phone)
    base = f"/nha-san-xuat/{producer_id}/san-pham"
    page = auth.client.get(base).get_data(as_text=True)
    assert "Bạn đang làm thay cho cơ sở này" in page
    assert post_form(auth, base + "/moi", form_data(status="published")).status_code == 302
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert product.status == "published" and product.created_by_id == helper_id
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="product_created"))
        assert event.actor_id == helper_id and event.producer_id == producer_id


def test_an_officer_of_another_commune_gets_404(app, auth, make_user):
    producer_id = make_producer(app)
    _, other_commune = place("Lào Cai", "Gia Phú")
    _, officer_phone = make_user(role=Role.OFFICER, communes=(other_commune,))
    auth.login(officer_phone)
    base = f"/nha-san-xuat/{producer_id}/san-pham"
    assert auth.client.get(base).status_code == 404
    assert post_form(auth, base + "/moi", form_data()).status_code in (400, 404)
    assert products(app, producer_id) == []


def test_certificate_choice_is_limited_to_the_producers_own(app, auth, owner):
    other = make_producer(app, name="HTX Khác", phone="+84911000002")
    foreign = add_certificate(app, other, stars=5)
    own = add_certificate(app, owner["producer_id"], stars=4)
    response = post_form(auth, owner["base"] + "/moi", form_data(certificate_id=str(foreign)))
    assert response.status_code == 400
    assert post_form(auth, owner["base"] + "/moi", form_data(certificate_id=str(own))).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Product.certificate_id)) == own


def test_form_ignores_fields_it_does_not_own(app, auth, owner):
    data = form_data(producer_id="999", created_by_id="1", published_at="2020-01-01")
    assert post_form(auth, owner["base"] + "/moi", data).status_code == 302
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert product.producer_id == owner["producer_id"] and product.published_at is None


def test_changes_without_a_csrf_token_are_refused(app, auth, owner):
    product_id = add_product(app, owner["producer_id"], status=ProductStatus.DRAFT)
    assert auth.client.post(owner["base"] + "/moi", data=form_data()).status_code == 400
    assert auth.client.post(f"{owner['base']}/{product_id}/trang-thai", data={"status": "published"}).status_code == 400
    assert auth.client.post(f"{owner['base']}/{product_id}/nhan-ban").status_code == 400
    assert products(app, owner["producer_id"]) == [("SP0001", "Cá chạch sấy khô Yên Hòa", 120_000, "draft")]
