"""The saved-code picture (payments.qrcard): read by two decoders, whole-pixel modules with
the quiet zone, and Vietnamese text drawn with real glyphs (not empty boxes)."""
import io
from pathlib import Path

from PIL import Image, ImageChops

from payments.qrcard import CardLine, Fonts, payment_card_png, system_fonts
from payments.qrimage import make_qr
from payments.rules import order_memo
from payments.vietqr import build_payload, parse_payload
from tests.qr_readers import dark_margins, read_qr

MEMO = order_memo("CQCEW3BV", "Chè Shan tuyết Giàng Pằng").text
PAYLOAD = build_payload("970405", "1234567890123", amount=240000, memo=MEMO)
LINES = [CardLine("Số tiền", "240.000 ₫", large=True),
         CardLine("Ngân hàng", "Agribank", note="Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
         CardLine("Chủ tài khoản", "HTX MẬT ONG U MINH"), CardLine("Số tài khoản", "1234567890123"),
         CardLine("Nội dung chuyển khoản", MEMO)]
VIETNAMESE_LETTERS = "ăâđêôơưạảãàáệộửữĐ₫"


def card(**options) -> bytes:
    return payment_card_png(PAYLOAD, heading="Chợ Quê · Đơn hàng CQCEW3BV", lines=LINES, **options)


def test_both_decoders_read_the_exact_payload():
    png = card()
    assert png.startswith(b"\x89PNG")
    assert read_qr(png) == PAYLOAD
    assert MEMO == "CQCEW3BV Che Shan tuyet" and parse_payload(PAYLOAD).memo == MEMO


def test_code_has_whole_pixel_modules_and_its_quiet_zone():
    image = Image.open(io.BytesIO(card())).convert("L")
    modules = make_qr(PAYLOAD).symbol_size(scale=1, border=4)[0]
    scale = image.width // modules
    assert scale >= 10  # large enough for any "scan from image"
    left = (image.width - modules * scale) // 2
    # The top row of the top-left finder pattern: 7 dark modules in a row, 4 modules in from the edge.
    finder = (left + 4 * scale, left + 11 * scale)
    finder_top = next(y for y in range(image.height)
                      if image.crop((finder[0], y, finder[1], y + 1)).getextrema()[1] < 128)
    code = image.crop((left, finder_top - 4 * scale, left + modules * scale, finder_top + (modules - 4) * scale))
    buffer = io.BytesIO()
    code.save(buffer, format="PNG")
    assert min(dark_margins(buffer.getvalue())) == 4 * scale
    assert read_qr(buffer.getvalue()) == PAYLOAD


def test_system_font_draws_every_vietnamese_letter_as_its_own_glyph():
    fonts = system_fonts()
    assert fonts.unicode, "DejaVu Sans is bundled in media/fonts"
    font = fonts.get(30, bold=True)
    masks = {letter: bytes(font.getmask(letter)) for letter in VIETNAMESE_LETTERS}
    assert len(set(masks.values())) == len(VIETNAMESE_LETTERS)  # a missing glyph would repeat .notdef
    assert bytes(font.getmask("Đ")) != bytes(font.getmask("D"))


def test_without_the_font_the_text_is_folded_to_ascii_and_the_code_still_reads(tmp_path):
    fonts = system_fonts(regular=Path(tmp_path / "missing.ttf"), bold=Path(tmp_path / "missing-bold.ttf"))
    assert fonts == Fonts(None, None) and not fonts.unicode
    assert fonts.text("Chủ tài khoản: HTX MẬT ONG") == "Chu tai khoan: HTX MAT ONG"
    folded = card(fonts=fonts)
    assert read_qr(folded) == PAYLOAD
    different = ImageChops.difference(Image.open(io.BytesIO(folded)).convert("L"),
                                      Image.open(io.BytesIO(card())).convert("L").resize(
                                          Image.open(io.BytesIO(folded)).size))
    assert different.getbbox() is not None  # a different font really was used


def test_long_values_wrap_inside_the_picture():
    long_name = "HỢP TÁC XÃ NÔNG NGHIỆP DỊCH VỤ TỔNG HỢP CHÈ SHAN TUYẾT CỔ THỤ GIÀNG PẰNG " * 2
    png = payment_card_png(PAYLOAD, heading="Chợ Quê", lines=[CardLine("Chủ tài khoản", long_name),
                                                              CardLine("Số", "9" * 80)])
    image = Image.open(io.BytesIO(png)).convert("L")
    short = Image.open(io.BytesIO(payment_card_png(PAYLOAD, heading="Chợ Quê",
                                                   lines=[CardLine("Chủ tài khoản", "A")]))).convert("L")
    assert image.width == short.width and image.height > short.height + 100
    left, _top, right, _bottom = dark_margins(png)
    assert left >= 30 and right >= 30  # wrapped text keeps the card margin
    assert read_qr(png) == PAYLOAD
