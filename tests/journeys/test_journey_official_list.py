"""Journey (issue 11): a province's official OCOP list comes in through the command line, the
commune prints claim letters, a farmer scans the QR code, makes an account and claims the
profile, and a follow-up sheet adds the price and a photo: the product is then public, right
after the import. Crosses catalog import, producers' claims and accounts, through the doors
people use (CLI, the letter's QR code, the web pages).

Search: on this branch an import's changes do not reach a search index that already exists
(issue 9 makes imports reach search), so the journey checks the catalogue pages; search is
asserted only through its database answer, before any index is built (test_import_official_list)."""
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from accounts.models import Role
from catalog.models import Product, ProductStatus
from extensions import db
from producers.models import Producer
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.unit.importer_files import jpeg_bytes, write, xlsx_bytes

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "ocop-list-lao-cai-2023.xlsx"
OWNER = "Hợp tác xã Nông nghiệp Sơn Hải"
PRODUCT = "Gạo Séng Cù Bảo Thắng"


def cli(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def catalogue(client):
    response = client.get("/san-pham")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def letter_of(pdf_path, owner):
    for page in PdfReader(pdf_path).pages:
        text = page.extract_text()
        if owner in text:
            [image] = page.images
            [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
            return text, found.text
    raise AssertionError(f"no letter for {owner}")


def test_official_list_to_claimed_public_searchable_product(app, runner, client, make_user, tmp_path):
    _, admin_phone = make_user(role=Role.ADMIN)
    cli(runner, "catalog", "import", str(FIXTURE), "--verify", "--admin", admin_phone)
    assert PRODUCT not in catalogue(client)  # a draft: no price, no photo yet

    letters = tmp_path / "thu-bao-thang.pdf"
    cli(runner, "producers", "claim-letters", "--output", str(letters), "--commune", "Bảo Thắng",
        "--province", "Lào Cai")
    text, url = letter_of(letters, OWNER)
    assert PRODUCT in text
    claim_path = urlsplit(url).path + "?" + urlsplit(url).query
    code = re.search(r"ma=([A-Z0-9]+)", url).group(1)

    # The farmer scans the QR: not logged in, the site asks to log in, and the farmer registers.
    to_login = client.get(claim_path)
    assert to_login.status_code == 302 and "/dang-nhap" in to_login.headers["Location"]
    login_page = client.get(to_login.headers["Location"]).get_data(as_text=True)
    register_link = re.search(r'href="(/dang-ky\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    register_page = client.get(register_link).get_data(as_text=True)
    registered = client.post(register_link, data={
        "csrf_token": csrf_token_from(register_page), "name": "Lò Văn Hải", "phone": "0987 654 321",
        "password": TEST_PASSWORD})
    assert registered.status_code == 302 and registered.headers["Location"] == claim_path
    claim_page = client.get(claim_path).get_data(as_text=True)
    assert f'value="{code}"' in claim_page  # filled in from the QR code
    claimed = client.post("/nha-san-xuat/nhan-ho-so", data={"csrf_token": csrf_token_from(claim_page),
                                                               "code": code})
    assert claimed.status_code == 302
    with app.app_context():
        producer = db.session.scalar(db.select(Producer).filter_by(legal_name=OWNER))
        assert producer.owner is not None and producer.owner.phone == "+84987654321"

    # The follow-up sheet: name, producer, province, price, description and a photo; no ref.
    folder = tmp_path / "bo-sung"
    write(folder, "gao.jpg", jpeg_bytes(size=(1000, 1000), color=(230, 220, 190)))
    sheet = xlsx_bytes([{"Tên sản phẩm": PRODUCT, "Chủ thể": OWNER, "Tỉnh": "Lào Cai", "Giá bán": "45.000",
                         "Đơn vị tính": "túi 5kg", "Mô tả": "Gạo Séng Cù dẻo thơm, trồng ở Sơn Hải.",
                         "Bộ sản phẩm": "Gạo và ngũ cốc", "Ảnh": "gao.jpg"}],
                       header=["Tên sản phẩm", "Chủ thể", "Tỉnh", "Giá bán", "Đơn vị tính", "Mô tả", "Bộ sản phẩm",
                               "Ảnh"])
    cli(runner, "catalog", "import", str(write(folder, "bo-sung.xlsx", sheet)))
    with app.app_context():
        rice = db.session.scalar(db.select(Product).filter_by(name=PRODUCT))
        assert (rice.status, rice.price_vnd, rice.weight_g, rice.product_set_code) == (
            ProductStatus.PUBLISHED, 45000, 5000, 3)
        assert db.session.scalar(db.select(db.func.count()).select_from(Product)) == 15  # nothing added
        rice_path = f"/san-pham/{rice.id}"

    listing = catalogue(client)
    assert PRODUCT in listing and "45.000" in listing
    page = client.get(rice_path, follow_redirects=True).get_data(as_text=True)
    assert "Gạo Séng Cù dẻo thơm, trồng ở Sơn Hải." in page and OWNER in page
