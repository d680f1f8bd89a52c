"""Claim letters: one A4 page per unclaimed producer, for commune helpers to hand out.

Pure module (no Flask, no database): `claim_letters_pdf(letters)` turns `ClaimLetter` records
into PDF bytes with fpdf2. Each page carries the producer's name, its products, its claim code,
a QR code (segno) opening the claim page with the code filled in, and three plain steps in
Vietnamese. The letters are for farmers in Vietnamese-speaking communes, so they are in
Vietnamese whatever the language of the person printing them.

The font is DejaVu Sans (media.typefaces): the PDF's core fonts cannot show Vietnamese letters.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno

from media import typefaces

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVu"
PRODUCTS_SHOWN = 12  # more would push the steps off the page; the rest are counted
QR_SIZE_MM = 55


@dataclass(frozen=True)
class ClaimLetter:
    producer_name: str
    code: str  # as displayed: "ACDEF-GHJKM"
    claim_url: str  # the claim page with the code in the query string
    products: tuple[str, ...] = ()
    place: str = ""  # "Xã Gia Phú, Lào Cai"


STEPS = (
    "Dùng điện thoại quét mã QR bên cạnh (mở máy ảnh hoặc Zalo, hướng vào mã). "
    "Nếu không quét được, hãy gõ địa chỉ trang web in bên dưới mã.",
    "Đăng nhập bằng số điện thoại của bạn. Nếu chưa có tài khoản, bấm “Đăng ký” và tạo tài khoản "
    "bằng số điện thoại của bạn.",
    "Mã nhận hồ sơ đã được điền sẵn: bấm “Nhận hồ sơ”. Sau đó kiểm tra thông tin, thêm giá bán và "
    "ảnh sản phẩm để người mua thấy sản phẩm của bạn.",
)


def claim_letters_pdf(letters, site_name: str = "Chợ Quê") -> bytes:
    """The letters as one PDF, a page each (an empty list gives no pages, so callers check)."""
    from fpdf import FPDF  # here, not at import: fpdf2 adds 25 MB to every process that loads the app

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(18, 18, 18)
    pdf.add_font(FONT, "", str(typefaces.REGULAR))
    pdf.add_font(FONT, "B", str(typefaces.BOLD))
    pdf.set_title(f"{site_name}: thư nhận hồ sơ")
    pdf.set_creator(site_name)
    for letter in letters:
        _page(pdf, letter, site_name)
    return bytes(pdf.output())


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def _page(pdf: FPDF, letter: ClaimLetter, site_name: str) -> None:
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, "", 11)
    pdf.cell(width, 6, f"{site_name} · Chợ nông sản OCOP", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(width, 9, "Thư mời nhận hồ sơ trên Chợ Quê", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(width, 6, "Kính gửi:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(width, 8, letter.producer_name, new_x="LMARGIN", new_y="NEXT")
    if letter.place:
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(width, 6, letter.place, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(width, 6, "Sản phẩm OCOP của bạn đã có trên Chợ Quê. Hãy nhận hồ sơ để tự quản lý "
                             "giá bán, ảnh và đơn hàng, và nhận tiền thẳng vào tài khoản của bạn.",
                   new_x="LMARGIN", new_y="NEXT")
    _products(pdf, letter.products, width)
    _code_box(pdf, letter, width)
    _steps(pdf, width)
    pdf.set_y(pdf.h - 22)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width, 4.5, "Mã chỉ dùng được một lần. Giữ kín mã này: ai có mã có thể nhận hồ sơ. "
                               "Nếu mất thư, hãy nhờ cán bộ xã in mã mới.", new_x="LMARGIN", new_y="NEXT")


def _products(pdf: FPDF, products, width) -> None:
    if not products:
        return
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(width, 7, "Sản phẩm của bạn:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    for name in products[:PRODUCTS_SHOWN]:
        pdf.multi_cell(width, 5.5, f"•  {name}", new_x="LMARGIN", new_y="NEXT")
    if len(products) > PRODUCTS_SHOWN:
        pdf.multi_cell(width, 5.5, f"… và {len(products) - PRODUCTS_SHOWN} sản phẩm khác",
                       new_x="LMARGIN", new_y="NEXT")


def _code_box(pdf: FPDF, letter: ClaimLetter, width) -> None:
    pdf.ln(5)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(letter.claim_url)), x=pdf.l_margin, y=top, w=QR_SIZE_MM, h=QR_SIZE_MM)
    left = pdf.l_margin + QR_SIZE_MM + 6
    pdf.set_xy(left, top + 4)
    pdf.set_font(FONT, "", 12)
    pdf.cell(width - QR_SIZE_MM - 6, 6, "Mã nhận hồ sơ:", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 26)
    pdf.cell(width - QR_SIZE_MM - 6, 14, letter.code, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width - QR_SIZE_MM - 6, 4.5, letter.claim_url, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, top + QR_SIZE_MM + 4)


def _steps(pdf: FPDF, width) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(width, 8, "Ba bước để nhận hồ sơ", new_x="LMARGIN", new_y="NEXT")
    for number, text in enumerate(STEPS, start=1):
        pdf.set_font(FONT, "B", 12)
        pdf.cell(8, 6, f"{number}.")
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(width - 8, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
