"""On a 360-px phone: a verified producer adds a product with an iPhone HEIC photo and a big
rotated JPEG (which photo-resize.js shrinks before upload), publishes it, and a logged-out buyer
finds it by browsing the catalogue with a filter and opens it."""
import os
import random

from PIL import Image, ImageDraw

from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests.factories import add_certificate, heic, make_producer


def big_rotated_phone_jpeg(path):
    """A 4000x3000 photo stored sideways with EXIF Orientation 6, noisy enough to weigh MBs."""
    rng = random.Random(3)
    upright = Image.effect_noise((4000, 3000), 60).convert("RGB")
    draw = ImageDraw.Draw(upright)
    draw.rectangle([0, 0, 1000, 750], fill=(230, 20, 20))  # red corner: top left when upright
    for _ in range(40):
        x, y = rng.randrange(4000), rng.randrange(3000)
        draw.ellipse([x, y, x + 300, y + 300], fill=tuple(rng.randrange(256) for _ in range(3)))
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return os.path.getsize(path)


def wait_until(page, expression, seconds=20):
    """Poll an expression (the site's CSP forbids the eval that wait_for_function uses)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def test_producer_adds_and_publishes_then_buyer_finds_it(app, live_server, phone, browser, make_user, tmp_path,
                                                          request):
    user_id, number = make_user(name="Lò Thị Mai")
    producer_id = make_producer(app, owner_id=user_id, name="HTX Chè Shan Gia Phú", province="Lào Cai",
                                commune="Gia Phú", phone="+84911000002")
    add_certificate(app, producer_id, stars=5, set_code=11, number="207/QĐ-UBND")
    heic_path = tmp_path / "IMG_0420.HEIC"
    heic_path.write_bytes(heic((1200, 900)))
    jpeg_path = tmp_path / "IMG_0421.JPG"
    jpeg_size = big_rotated_phone_jpeg(jpeg_path)
    assert jpeg_size > 2_000_000

    phone.goto(live_server + "/dang-nhap")
    phone.fill("#phone", number)
    phone.fill("#password", TEST_PASSWORD)
    phone.click("button.primary")
    phone.goto(live_server + "/nha-san-xuat/san-pham")
    phone.shot("my-products")
    phone.click("text=Thêm sản phẩm")
    phone.fill("#name", "Chè Shan tuyết cổ thụ Gia Phú")
    phone.select_option("#product_set_code", "11")
    phone.select_option("#certificate_id", label=phone.locator("#certificate_id option").nth(1).inner_text())
    phone.fill("#price", "385.000")
    phone.fill("#unit", "hộp 200g")
    phone.fill("#weight", "260")
    phone.fill("#description", "Chè Shan tuyết hái từ cây cổ thụ trên 100 năm tuổi.")
    phone.set_input_files("#photos", [str(heic_path), str(jpeg_path)])
    wait_until(phone, "!document.querySelector('button.primary').disabled")
    sizes = phone.evaluate("Array.from(document.querySelector('#photos').files).map(f => [f.name, f.size])")
    assert sizes[0] == ["IMG_0420.HEIC", heic_path.stat().st_size]  # HEIC is sent as it is
    assert sizes[1][0] == "IMG_0421.jpg" and sizes[1][1] < jpeg_size / 4  # shrunk in the browser
    phone.shot("new-product-form")
    with phone.expect_navigation():
        phone.click("button.primary")
    assert "Đã lưu sản phẩm" in phone.content()
    assert phone.locator("ol.photos li").count() == 2
    phone.shot("saved-with-two-photos")
    with phone.expect_navigation():
        phone.click("button[name=status][value=published]")
    assert "Đã đăng bán" in phone.content()
    phone.shot("published")

    buyer_context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                        has_touch=True, locale="vi-VN")
    buyer = buyer_context.new_page()
    folder = os.path.join(ARTIFACTS, request.node.name)

    def buyer_shot(name, counter=iter(range(5, 20))):
        buyer.screenshot(path=os.path.join(folder, f"{next(counter):02d}-buyer-{name}.png"), full_page=True)

    try:
        buyer.goto(live_server + "/san-pham")
        buyer.click("summary")
        # Only provinces with products are offered, each with its count: "Lào Cai (1)".
        lao_cai = buyer.eval_on_selector("#f-province", "s => [...s.options].find(o => o.text.startsWith('Lào Cai (')).value")
        buyer.select_option("#f-province", lao_cai)
        buyer.select_option("#f-stars", "5")
        buyer_shot("filters")
        with buyer.expect_navigation():
            buyer.click("form button.primary")
        assert "/san-pham?" in buyer.url and "province=" in buyer.url
        buyer_shot("results")
        assert buyer.locator(".pcard").count() == 1
        with buyer.expect_navigation():
            buyer.click("text=Chè Shan tuyết cổ thụ Gia Phú")
        assert buyer.url.endswith(f"/san-pham/che-shan-tuyet-co-thu-gia-phu-{_product_id(app)}")
        buyer.evaluate("document.querySelector('.gallery').scrollLeft = 10000")
        wait_until(buyer, "Array.from(document.querySelectorAll('.gallery img')).every(i => i.complete && i.naturalWidth)")
        page = buyer.content()
        assert "385.000" in page and "★★★★★" in page and "HTX Chè Shan Gia Phú" in page
        dimensions = buyer.evaluate(
            "Array.from(document.querySelectorAll('.gallery img')).map(i => [i.naturalWidth, i.naturalHeight])")
        assert len(dimensions) == 2
        assert all(width > height for width, height in dimensions), dimensions  # both upright landscapes
        buyer_shot("product")
        width = buyer.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        buyer_context.close()


def _product_id(app):
    from catalog.models import Product
    from extensions import db

    with app.app_context():
        return db.session.scalar(db.select(Product.id))
