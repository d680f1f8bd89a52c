"""Step 3: the business registration photo and OCOP certificates."""
from datetime import date, timedelta

from babel.dates import format_date

import pytest

from producers.ocop import certificate_valid_until
from tests.factories import (Wizard, audit_actions, get_producer, jpeg_bytes,
                                            photo, text, use_english)


@pytest.fixture
def wizard(client, auth, make_user):
    _user_id, phone = make_user()
    auth.login(phone)
    return Wizard(client, auth)


@pytest.fixture
def producer_id(wizard):
    return wizard.start()


def stored_files(app):
    import os

    root = app.config["UPLOAD_DIR"]
    return sorted(name for _dir, _subdirs, files in os.walk(root) for name in files)


def test_registration_photo_is_stored_as_webp_renditions(app, client, wizard, producer_id):
    response = wizard.registration(producer_id)
    assert response.status_code == 302 and response.headers["Location"].endswith("/buoc-3#registration")
    producer = get_producer(app, producer_id)
    (document,) = producer.documents
    assert document.kind == "business_registration"
    assert set(stored_files(app)) == {f"{document.image_key}-160.webp", f"{document.image_key}-1200.webp"}
    image = client.get(f"/nha-san-xuat/ho-so/{producer_id}/anh/{document.image_key}/1200")
    assert image.status_code == 200 and image.mimetype == "image/webp"
    assert image.data[:4] == b"RIFF"
    assert "private" in image.headers["Cache-Control"]
    image.close()
    assert audit_actions(app, producer_id)[-1][0] == "document_added"


def test_replacing_the_registration_photo_removes_the_old_files(app, wizard, producer_id):
    wizard.registration(producer_id)
    old_key = get_producer(app, producer_id).documents[0].image_key
    wizard.registration(producer_id, data=jpeg_bytes(color=(10, 200, 10)))
    (document,) = get_producer(app, producer_id).documents
    assert document.image_key != old_key
    assert not any(name.startswith(old_key) for name in stored_files(app))


@pytest.mark.parametrize("data, message", [
    (b"<?php system($_GET['c']); ?>", "This file is not an image"),
    (b"GIF89a" + b"\x00" * 64, "GIF files are not accepted"),
    (jpeg_bytes()[:400], "The image file is damaged or incomplete"),
])
def test_bad_files_are_refused_with_a_clear_message(app, client, auth, wizard, producer_id, data, message):
    use_english(client, auth)
    response = wizard.registration(producer_id, data=data, name="giay-phep.jpg")
    assert response.status_code == 400
    assert message in text(response)
    assert get_producer(app, producer_id).documents == []
    assert stored_files(app) == []


def test_missing_photo_is_asked_for(client, auth, wizard, producer_id):
    use_english(client, auth)
    response = wizard.post(f"/nha-san-xuat/ho-so/{producer_id}/buoc-3/dang-ky-kinh-doanh", {})
    assert response.status_code == 400
    assert "Please choose a photo." in text(response)


def test_certificate_is_saved_with_its_expiry(app, client, wizard, producer_id):
    response = wizard.certificate(producer_id, decision_no="3981 / qđ-ubnd", decision_date="20/05/2024")
    assert response.status_code == 302
    (certificate,) = get_producer(app, producer_id).certificates
    assert certificate.decision_no == "3981/QĐ-UBND"
    assert certificate.decision_date == date(2024, 5, 20)
    assert certificate.stars == 4 and certificate.product_set_code == 4
    assert certificate.legal_basis == "148/QĐ-TTg"
    assert certificate.image_key
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-3"))
    assert "20/05/2027" in page  # decision date + 36 months
    facts = audit_actions(app, producer_id)[-1]
    assert facts[0] == "certificate_added" and facts[2]["decision_no"] == "3981/QĐ-UBND"


def test_expired_certificate_is_saved_with_a_warning(app, client, auth, wizard, producer_id):
    use_english(client, auth)
    response = wizard.certificate(producer_id, decision_date="2021-01-10")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "it expired on 10 Jan 2024" in page
    assert 'class="expired"' in page


@pytest.mark.parametrize("overrides, message", [
    ({"decision_date": (date.today() + timedelta(days=1)).isoformat()}, "The decision date cannot be in the future."),
    ({"decision_date": "31/02/2024"}, "Please enter a date such as 31/05/2024."),
    ({"decision_date": ""}, "Please enter the date of the decision."),
    ({"stars": "6"}, "Please choose 3, 4 or 5 stars."),
    ({"stars": "x"}, "Please choose 3, 4 or 5 stars."),
    ({"decision_no": "quyết định số 5"}, "Please write the decision number as on the paper"),
    ({"decision_no": ""}, "Please enter the decision number."),
    ({"product_set": "27"}, "Please choose the product set from the list."),
    ({"issuing_body": ""}, "Please enter who issued the decision."),
    ({"photo": photo("cert.jpg", b"not an image at all")}, "This file is not an image"),
])
def test_certificate_validation_keeps_what_was_typed(app, client, auth, wizard, producer_id, overrides, message):
    use_english(client, auth)
    response = wizard.certificate(producer_id, **overrides)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'value="Mật ong bạc hà"' in page
    assert get_producer(app, producer_id).certificates == []
    assert stored_files(app) == []


def test_typed_date_shows_the_computed_expiry_when_the_form_is_returned(client, auth, wizard, producer_id):
    use_english(client, auth)
    recent = date.today() - timedelta(days=100)
    page = text(wizard.certificate(producer_id, decision_date=recent.isoformat(), stars="6"))
    # English readers get the month's name (20 May 2027), never the ambiguous 5/20/27.
    assert "Valid until " + format_date(certificate_valid_until(recent), "d MMM yyyy", locale="en") in page
    old = date.today().replace(year=date.today().year - 4)
    page = text(wizard.certificate(producer_id, decision_date=old.isoformat(), stars="6"))
    assert "Already expired on " + format_date(certificate_valid_until(old), "d MMM yyyy", locale="en") in page


def test_product_sets_are_grouped_in_the_select(client, wizard, producer_id):
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-3"))
    assert page.count("<optgroup") == 6
    assert 'type="date"' in page and 'accept="image/*"' in page


def test_several_certificates_and_removal(app, wizard, producer_id):
    wizard.certificate(producer_id)
    wizard.certificate(producer_id, product_name="Mật ong hoa rừng", decision_no="120/QĐ-UBND", stars="3")
    producer = get_producer(app, producer_id)
    assert len(producer.certificates) == 2
    removed = next(c for c in producer.certificates if c.stars == 3)
    response = wizard.post(f"/nha-san-xuat/ho-so/{producer_id}/buoc-3/chung-nhan/{removed.id}/xoa", {})
    assert response.status_code == 302
    remaining = get_producer(app, producer_id).certificates
    assert [c.product_name for c in remaining] == ["Mật ong bạc hà"]
    assert not any(name.startswith(removed.image_key) for name in stored_files(app))
    assert audit_actions(app, producer_id)[-1][0] == "certificate_removed"


def test_remove_asks_first_and_needs_a_post_with_a_token(app, client, wizard, producer_id):
    wizard.certificate(producer_id)
    certificate_id = get_producer(app, producer_id).certificates[0].id
    path = f"/nha-san-xuat/ho-so/{producer_id}/buoc-3/chung-nhan/{certificate_id}/xoa"
    asked = client.get(path)
    assert asked.status_code == 200 and "Xoá chứng nhận này?" in asked.get_data(as_text=True)
    assert client.post(path).status_code == 400
    assert len(get_producer(app, producer_id).certificates) == 1


def test_continue_unlocks_the_bank_step(app, client, wizard, producer_id):
    response = wizard.documents_done(producer_id)
    assert response.headers["Location"].endswith(f"/ho-so/{producer_id}/buoc-4")
    assert get_producer(app, producer_id).wizard_step == 4
    assert client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-4").status_code == 200


def test_image_route_refuses_unknown_keys_and_widths(app, client, wizard, producer_id):
    wizard.registration(producer_id)
    key = get_producer(app, producer_id).documents[0].image_key
    base = f"/nha-san-xuat/ho-so/{producer_id}/anh"
    assert client.get(f"{base}/{key}/480").status_code == 404
    assert client.get(f"{base}/{'0' * 32}/160").status_code == 404
    assert client.get(f"{base}/..%2F..%2Fapp.py/160").status_code == 404
