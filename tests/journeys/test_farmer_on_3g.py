"""A farmer on a 360-px phone over emulated 3G (400 ms round trip, 400 kbit/s down, 200 up):
a document photo whose upload is cut half-way resumes where it stopped, a form sent while
offline keeps every field, and a certificate is corrected without losing its stars."""
from datetime import date

from PIL import Image

from accounts.models import Role
from catalog.models import Product
from extensions import db
from producers.models import Certificate, ProducerDocument, ProducerStatus
from producers.ocop import add_months
from tests.browser.test_verification_flow import log_in
from tests.factories import add_certificate, add_product, make_producer

THREE_G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 200_000 / 8}


def throttle(page):
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", THREE_G)
    return session


def camera_photo(path):
    """A 3,000×2,250 JPEG with sensor-like noise: about 3 MB, as a cheap phone's camera writes it."""
    noise = Image.effect_noise((3000, 2250), 30)
    gradient = Image.linear_gradient("L").resize((3000, 2250))
    Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.4))).save(path, "JPEG", quality=88)
    return str(path)


def farmer(app, make_user, status=ProducerStatus.DRAFT):
    user_id, phone_number = make_user(role=Role.PRODUCER)
    producer = make_producer(app, user_id, name="HTX Mật ong Yên Hòa", status=status, phone="+84911000123")
    return producer, phone_number


def test_a_document_upload_cut_half_way_resumes(app, live_server, phone, make_user, tmp_path):
    producer, phone_number = farmer(app, make_user)
    log_in(phone, live_server, phone_number)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so/{producer}/buoc-3")
    phone.shot("documents-step")
    pieces, cut = [], {"done": False}

    def drop_the_second_piece(route):
        if route.request.method == "PATCH" and not cut["done"] and route.request.headers.get("upload-offset") != "0":
            cut["done"] = True  # the line drops: this piece never reaches the server
            route.abort("connectionreset")
            return
        if route.request.method == "PATCH":
            pieces.append(int(route.request.headers["upload-offset"]))
        route.continue_()

    phone.route("**/tai-len/*", drop_the_second_piece)
    throttle(phone)
    phone.set_input_files("#registration_photo-gallery", camera_photo(tmp_path / "IMG_0001.jpg"))
    phone.wait_for_function("() => document.querySelector('#registration_photo-gallery').files[0].size < 600000",
                            timeout=60_000)  # made smaller in the browser first
    sent_size = phone.evaluate("() => document.querySelector('#registration_photo-gallery').files[0].size")
    with phone.expect_navigation(timeout=120_000):
        phone.click("form[action$='dang-ky-kinh-doanh'] button[type=submit]")
        phone.wait_for_selector(".upload-progress progress", timeout=30_000)
        phone.shot("uploading-with-progress")
    phone.shot("registration-saved")
    assert cut["done"], "the connection was cut during the upload"
    assert pieces[0] == 0 and pieces == sorted(pieces) and len(set(pieces)) == len(pieces), \
        "after the cut the upload went on from the stored offset, never from the start"
    assert sent_size < 600_000
    with app.app_context():
        document = db.session.scalar(db.select(ProducerDocument).where(ProducerDocument.producer_id == producer))
        assert document is not None and document.image_key


def test_a_form_sent_while_offline_keeps_every_field(app, live_server, phone, make_user):
    producer, phone_number = farmer(app, make_user)
    log_in(phone, live_server, phone_number)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so/{producer}/buoc-3")
    typed = {"#product_name": "Mật ong bạc hà Mèo Vạc", "#decision_no": "3981/QĐ-UBND",
             "#issuing_body": "UBND tỉnh Hà Giang"}
    for selector, value in typed.items():
        phone.fill(selector, value)
    phone.select_option("#product_set", "4")
    phone.check("input[name=stars][value='4']")
    phone.wait_for_timeout(500)  # the draft is kept 0.3 s after the last key
    phone.context.set_offline(True)
    try:
        phone.click("form[action$='chung-nhan'] button[type=submit]")
        phone.wait_for_timeout(1500)
    finally:
        phone.context.set_offline(False)
    phone.shot("offline-error")
    phone.go_back()  # what the farmer does on the browser's "no connection" page
    phone.wait_for_selector(".draft-note", timeout=10_000)
    phone.shot("entries-restored")
    for selector, value in typed.items():
        assert phone.input_value(selector) == value
    assert phone.input_value("#product_set") == "4"
    assert phone.is_checked("input[name=stars][value='4']")


def test_a_certificate_is_corrected_without_losing_stars(app, live_server, phone, make_user):
    producer, phone_number = farmer(app, make_user, status=ProducerStatus.CHANGES_REQUESTED)
    certificate = add_certificate(app, producer, stars=4, decision_date=add_months(date.today(), -6),
                                  number="3981/QĐ-UBND", set_code=4)
    product = add_product(app, producer, name="Mật ong bạc hà", set_code=4, certificate_id=certificate)
    log_in(phone, live_server, phone_number)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so/{producer}/buoc-3")
    with phone.expect_navigation():
        phone.click(f"a[href$='/chung-nhan/{certificate}/sua']")
    phone.shot("correct-certificate")
    phone.fill("#decision_no", "3891/QĐ-UBND")
    with phone.expect_navigation():
        phone.click("button.primary")
    phone.shot("certificate-corrected")
    assert "3891/QĐ-UBND" in phone.content()
    with app.app_context():
        assert db.session.get(Certificate, certificate).decision_no == "3891/QĐ-UBND"
        kept = db.session.get(Product, product)
        assert kept.certificate_id == certificate and kept.stars() == 4


def test_the_commune_is_found_by_its_former_name(app, live_server, phone, make_user):
    """Typing the name of former xã Yên Hòa, without diacritics, offers today's xã Yên Mô."""
    from places import units

    ninh_binh = units.match_province("Ninh Bình").code
    yen_mo = units.match_commune(ninh_binh, "Yên Mô").code
    _, phone_number = make_user(role=Role.PRODUCER)
    log_in(phone, live_server, phone_number)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so")
    phone.check("input[name=kind][value=household]")
    phone.fill("#legal_name", "Hộ kinh doanh Đinh Văn Hòa")
    phone.fill("#representative", "Đinh Văn Hòa")
    phone.select_option("#province", str(ninh_binh))
    throttle(phone)
    phone.fill("#commune_search", "yen hoa")
    phone.wait_for_function(f"() => document.querySelector('#commune').value === '{yen_mo}'", timeout=20_000)
    phone.shot("commune-found-by-former-name")
    assert "gồm xã Yên Hòa cũ" in phone.locator("#commune option:checked").inner_text()
    phone.fill("#address", "Thôn Yên Hòa")
    phone.fill("#phone", "0912 345 679")
    with phone.expect_navigation(timeout=60_000):
        phone.click("button.primary")
    with app.app_context():
        from producers.models import Producer

        saved = db.session.scalar(db.select(Producer).where(Producer.legal_name == "Hộ kinh doanh Đinh Văn Hòa"))
        assert saved is not None and saved.commune_code == yen_mo
