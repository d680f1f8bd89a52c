"""QR rendering decodes back to the exact payload (zxing-cpp; SVG rasterised with resvg-py)."""
import io
import xml.etree.ElementTree as ET

import pytest
import resvg_py
import zxingcpp
from PIL import Image

from payments.qrimage import SignText, a6_sign_svg, make_qr, mask_account, png_bytes, svg_inline
from payments.rules import order_memo
from payments.vietqr import build_payload

SVG_NS = "{http://www.w3.org/2000/svg}"
DYNAMIC = build_payload("970405", "1234567890123", amount=150000,
                        memo=order_memo("DH1023", "Mật ong rừng U Minh").text)
SIGN_TEXT = SignText(caption="Quét mã bằng ứng dụng ngân hàng", holder_label="Chủ tài khoản",
                     bank_label="Ngân hàng", account_label="Số tài khoản")


def decode(image: Image.Image) -> list[str]:
    if image.mode == "RGBA":  # SVGs have no background: put them on white paper
        paper = Image.new("RGB", image.size, "white")
        paper.paste(image, mask=image.getchannel("A"))
        image = paper
    return [result.text for result in zxingcpp.read_barcodes(image)]


def rasterise(svg: str, **options) -> Image.Image:
    return Image.open(io.BytesIO(resvg_py.svg_to_bytes(svg_string=svg, **options)))


def make_sign(**overrides) -> str:
    fields = dict(producer_name="HTX Mật ong U Minh <Cà Mau> & Co", account_holder="NGUYEN VAN A",
                  bank_name="Agribank", account_number="1234567890123", text=SIGN_TEXT)
    fields.update(overrides)
    return a6_sign_svg(DYNAMIC, **fields)


def test_payload_under_test_is_dynamic_with_amount_and_memo():
    assert "5406150000" in DYNAMIC and "0821DH1023 Mat ong rung U6304" in DYNAMIC


def test_symbol_is_byte_mode_level_m_regular_qr():
    qr = make_qr(DYNAMIC)
    assert qr.mode == "byte"
    assert qr.error == "M"
    assert not qr.is_micro
    # boost_error is off: a tiny payload would otherwise be raised to level H.
    assert make_qr("000201").error == "M"


def test_png_decodes_to_exact_payload():
    png = png_bytes(DYNAMIC)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == (make_qr(DYNAMIC).symbol_size(scale=8, border=4))[0]
    assert decode(image) == [DYNAMIC]


def test_inline_svg_is_an_element_that_decodes_to_exact_payload():
    svg = svg_inline(DYNAMIC, title="VietQR")
    assert svg.startswith('<svg role="img" ') and "<?xml" not in svg
    assert "<title>VietQR</title>" in svg
    # Inline SVG relies on HTML for its namespace; a standalone renderer needs it spelled out.
    standalone = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    assert decode(rasterise(standalone)) == [DYNAMIC]


def test_inline_svg_title_is_escaped():
    assert "<title>A &amp; B &lt;x&gt;</title>" in svg_inline(DYNAMIC, title="A & B <x>")


def test_mask_account_keeps_last_four():
    assert mask_account("1234567890123") == "•••• 0123"
    assert mask_account("12") == "•••• 12"


def test_a6_sign_is_a_standalone_svg_sized_in_mm():
    root = ET.fromstring(make_sign())
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("105mm", "148mm", "0 0 105 148")
    assert root.get("font-family") == "sans-serif"
    texts = " ".join(" ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")).split())
    for expected in ("HTX Mật ong U Minh", "<Cà Mau> & Co", "Quét mã bằng ứng dụng ngân hàng",
                     "Chủ tài khoản: NGUYEN VAN A", "Ngân hàng: Agribank", "Số tài khoản: •••• 0123"):
        assert expected in texts
    assert "1234567890123" not in texts


def test_a6_sign_qr_decodes_to_exact_payload_at_print_resolution():
    image = rasterise(make_sign(), dpi=300)
    assert image.size == (1240, 1748)  # 105 x 148 mm at 300 dpi
    assert decode(image) == [DYNAMIC]


@pytest.mark.parametrize("name", ["A", "Hợp tác xã Nông nghiệp Chè Tân Cương Thái Nguyên và các bạn " * 3])
def test_a6_sign_producer_name_wraps_to_at_most_two_lines(name):
    root = ET.fromstring(make_sign(producer_name=name))
    heading = next(root.iter(f"{SVG_NS}text"))
    lines = ["".join(span.itertext()) for span in heading.iter(f"{SVG_NS}tspan")]
    assert 1 <= len(lines) <= 2
    assert all(len(line) <= 23 for line in lines)
