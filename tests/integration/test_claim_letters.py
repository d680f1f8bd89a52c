"""Claim letters (issue 11): `flask producers claim-letters` and the officer queue's download.
The PDF's text is read back with pypdf and the QR code decoded from the image embedded in the
page, as a phone's camera would read the printed letter."""
import io
import re
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from accounts.models import Role
from extensions import db
from places import units
from producers.models import AuditEvent, Producer

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "ocop-list-lao-cai-2023.xlsx"
CODE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")


def import_list(runner):
    result = runner.invoke(args=["catalog", "import", str(FIXTURE)])
    assert result.exit_code == 0, result.output


def pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def qr_texts(page) -> list[str]:
    texts = []
    for image in page.images:
        picture = Image.open(io.BytesIO(image.data))
        texts += [found.text for found in zxingcpp.read_barcodes(picture)]
    return texts


def commune_code(name):
    return units.match_commune(units.match_province("Lào Cai").code, name).code


def test_claim_letters_command_prints_a_page_per_unclaimed_producer(app, runner, auth, make_user, tmp_path):
    import_list(runner)
    output = tmp_path / "thu.pdf"
    result = runner.invoke(args=["producers", "claim-letters", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert f"Đã ghi 15 thư nhận hồ sơ vào {output}" in result.output
    letters = pages(output.read_bytes())
    assert len(letters) == 15
    first = letters[0].extract_text()
    assert "Ba bước để nhận hồ sơ" in first and "Mã nhận hồ sơ" in first
    by_name = {}
    for page in letters:
        text = page.extract_text()
        name = next(line for line in text.splitlines() if line.startswith(("Hợp tác xã", "Hộ kinh doanh", "Công ty",
                                                                           "Tổ hợp tác")))
        code = CODE.search(text).group(1)
        [url] = qr_texts(page)
        assert url == f"{app.config['PUBLIC_BASE_URL']}/nha-san-xuat/nhan-ho-so?ma={code.replace('-', '')}"
        by_name[name] = (code, url, text)
    code, url, text = by_name["Hợp tác xã Chè Gia Phú"]
    assert "Chè xanh Gia Phú" in text and "Xã Gia Phú, Lào Cai" in text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                                 .filter_by(action="claim_code_issued")) == 15

    # The QR opens the claim page with the code filled in; the farmer only presses the button.
    user_id, phone = make_user(role=Role.PRODUCER)
    auth.login(phone)
    path = url.removeprefix(app.config["PUBLIC_BASE_URL"])
    page = auth.client.get(path).get_data(as_text=True)
    assert f'value="{code.replace("-", "")}"' in page
    claimed = auth.post("/nha-san-xuat/nhan-ho-so", {"code": code.replace("-", "")}, form_page=path)
    assert claimed.status_code == 302
    with app.app_context():
        producer = db.session.scalar(db.select(Producer).filter_by(legal_name="Hợp tác xã Chè Gia Phú"))
        assert producer.owner_id == user_id

    again = runner.invoke(args=["producers", "claim-letters", "--output", str(output), "--commune", "Gia Phú",
                                "--province", "Lào Cai"])
    assert again.exit_code == 0, again.output
    # Xã Gia Phú today also holds the former Xuân Giao; its claimed cooperative gets no letter.
    names = [p.extract_text() for p in pages(output.read_bytes())]
    assert len(names) == 1 and "Hợp tác xã Dược liệu Xuân Giao" in names[0]


def test_claim_letters_with_nobody_to_write_to_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["producers", "claim-letters", "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "Mọi chủ thể của các xã này đều đã nhận hồ sơ." in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_officers_download_letters_for_their_communes_only(app, runner, auth, make_user):
    import_list(runner)
    tang_loong, bac_ha = commune_code("Tằng Loỏng"), commune_code("Bắc Hà")
    _, phone = make_user(role=Role.OFFICER, communes=(tang_loong,))
    auth.login(phone)
    queue = auth.client.get("/can-bo").get_data(as_text=True)
    assert "/can-bo/thu-nhan-ho-so.pdf" in queue
    response = auth.post("/can-bo/thu-nhan-ho-so.pdf", {}, form_page="/can-bo")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    letters = pages(response.data)
    assert len(letters) == 1 and "Hộ kinh doanh Lương Thị Hoa" in letters[0].extract_text()
    assert len(qr_texts(letters[0])) == 1
    other = auth.post("/can-bo/thu-nhan-ho-so.pdf", {"commune": str(bac_ha)}, form_page="/can-bo")
    assert other.status_code == 404
