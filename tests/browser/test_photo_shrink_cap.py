"""Issue 9, finding 10: the request cap stays at 21 MB (docs/SECURITY.md), and with JavaScript a
normal product upload stays far below it. Three 12 MP phone photos of about 8 MB each (24 MB,
over the cap as they are) are chosen on the product form in Chromium; static/js/photo-resize.js
shrinks them, and the body the browser actually sends is measured."""
import io

from PIL import Image

from accounts.models import Role
from catalog.models import Product
from extensions import db
from tests.browser.test_verification_flow import log_in
from tests import factories as w


def phone_photo_bytes():
    """A 4000×3000 JPEG with camera-like noise, about 8 MB at quality 95."""
    noise = Image.effect_noise((4000, 3000), 40)
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_three_phone_photos_reach_the_server_well_under_the_cap(app, live_server, phone, make_user, tmp_path):
    owner_id, owner_phone = make_user(role=Role.PRODUCER)
    producer_id = w.make_dossier(app, owner_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX Mật ong Gia Phú",
                                  status="draft", with_images=False)
    data = phone_photo_bytes()
    paths = []
    for n in range(3):
        path = tmp_path / f"IMG_2026120{n}.jpg"
        path.write_bytes(data)
        paths.append(str(path))
    cap = app.config["MAX_CONTENT_LENGTH"]
    assert 3 * len(data) > cap, "as they are, the three photos would be refused"

    log_in(phone, live_server, owner_phone)
    phone.goto(f"{live_server}/nha-san-xuat/{producer_id}/san-pham/moi")
    phone.fill("#name", "Mật ong bạc hà")
    phone.select_option("#product_set_code", "4")
    phone.fill("#price", "250.000")
    phone.fill("#unit", "chai 500ml")
    phone.set_input_files("#photos", paths)
    phone.wait_for_function("() => !document.querySelector('form.product-form button[type=submit]').disabled "
                            "&& document.querySelector('#photos').files[0].size < 2000000", timeout=120_000)
    sent = {"size": 0}  # the photos go in pieces before the form (resumable upload): count them all

    def count(request):
        if request.method in ("POST", "PATCH"):
            sent["size"] += len(request.post_data_buffer or b"")

    phone.on("request", count)
    with phone.expect_navigation(timeout=120_000):
        phone.click("form.product-form button[type=submit]")
    assert sent["size"] < 2 * 1024 * 1024 < cap
    with app.app_context():
        product = db.session.scalar(db.select(Product).where(Product.producer_id == producer_id))
        assert len(product.photos) == 3
    phone.shot("saved-with-three-photos")
