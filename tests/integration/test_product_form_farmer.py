"""The product form a farmer can finish: no set chosen in advance, a set suggested from the
name and confirmed, and a publish button that says why it cannot be used yet."""
from lxml import html as lxml_html

from catalog.models import Product
from extensions import db
from producers.models import ProducerStatus
from tests.factories import make_producer
from tests.integration.test_products_manage import form_data, owner, post_form  # noqa: F401


def test_no_product_set_is_chosen_in_advance(client, owner):  # noqa: F811
    page = lxml_html.fromstring(client.get(owner["base"] + "/moi").get_data(as_text=True))
    assert page.xpath('//select[@name="product_set_code"]//option[@selected]') == []


def test_the_name_suggests_a_set_that_the_farmer_confirms(app, client, auth, owner):  # noqa: F811
    path = owner["base"] + "/moi"
    suggested = post_form(auth, path, form_data(name="Mật ong hoa nhãn Hưng Yên", product_set_code=""))
    assert suggested.status_code == 400
    page = lxml_html.fromstring(suggested.get_data(as_text=True))
    assert page.xpath('//select[@name="product_set_code"]//option[@selected]/@value') == ["4"]
    assert "gợi ý bộ “Mật ong và nông sản sơ chế khác”" in suggested.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0  # nothing saved until confirmed
    confirmed = post_form(auth, path, form_data(name="Mật ong hoa nhãn Hưng Yên", product_set_code="4"))
    assert confirmed.status_code == 302


def test_an_unguessable_name_asks_for_the_set(client, auth, owner):  # noqa: F811
    response = post_form(auth, owner["base"] + "/moi", form_data(name="Sản phẩm số 7", product_set_code=""))
    assert response.status_code == 400 and "Vui lòng chọn bộ sản phẩm OCOP." in response.get_data(as_text=True)


def test_a_disabled_publish_button_says_why(app, client, auth, make_user):
    user_id, phone = make_user()
    producer = make_producer(app, owner_id=user_id, status=ProducerStatus.SUBMITTED)
    auth.login(phone)
    base = f"/nha-san-xuat/{producer}/san-pham"
    created = post_form(auth, base + "/moi", form_data())
    page = lxml_html.fromstring(client.get(created.headers["Location"]).get_data(as_text=True))
    button = page.xpath('//button[@value="published"]')[0]
    assert button.get("disabled") is not None
    reason = page.xpath(f'//*[@id="{button.get("aria-describedby")}"]')[0].text_content()
    assert "xã cần xác minh" in reason
