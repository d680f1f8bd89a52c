"""QR rendering for VietQR payloads: inline SVG, PNG and a printable A6 sign.

Pure module, no Flask: callers pass already-translated texts. segno settings follow
docs/VIETQR.md §7: byte mode only (EMVCo 4.x), level M,
boost_error off (segno would otherwise raise the level silently), never Micro QR.
"""
import io
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno

A6_WIDTH_MM, A6_HEIGHT_MM = 105, 148
QR_BORDER_MODULES = 4


def make_qr(payload: str) -> segno.QRCode:
    # Non-ASCII content needs the UTF-8 ECI designator; VietQR built here is ASCII.
    return segno.make(payload, error="m", mode="byte", micro=False, boost_error=False,
                      eci=not payload.isascii())


def svg_inline(payload: str, scale: int = 4, title: str | None = None) -> str:
    """A small <svg> element for embedding in HTML (no XML declaration, no namespace).

    width/height give the natural size (`scale` px per module); the viewBox counts
    modules, so CSS may shrink the code to its box (max-width:100%) without cropping.
    The white paper covers the 4-module quiet zone, whatever the page's background.
    """
    qr = make_qr(payload)
    size = qr.symbol_size(scale=scale, border=QR_BORDER_MODULES)[0]
    svg = qr.svg_inline(scale=1, border=QR_BORDER_MODULES, omitsize=True, title=title, light="#fff")
    # No shape-rendering="crispEdges": scaled by a fraction of a pixel, snapped modules come out
    # 3 and 4 px wide at random and OpenCV then often misses the code; smooth edges read well.
    return svg.replace("<svg ", f'<svg role="img" width="{size}" height="{size}" ', 1)


def svg_document(payload: str, scale: int = 8) -> str:
    """A standalone SVG file (XML declaration and namespace), for download or <img src>."""
    buffer = io.BytesIO()
    make_qr(payload).save(buffer, kind="svg", scale=scale, border=QR_BORDER_MODULES, xmldecl=True, svgns=True,
                          light="#fff")  # white paper: readable in dark-mode viewers too
    return buffer.getvalue().decode("utf-8")


def png_bytes(payload: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    make_qr(payload).save(buffer, kind="png", scale=scale, border=QR_BORDER_MODULES)
    return buffer.getvalue()


def mask_account(account: str) -> str:
    """Only the last 4 characters are printed: '1234567890123' -> '•••• 0123'."""
    return "•••• " + account[-4:]


@dataclass(frozen=True)
class SignText:
    """Already-translated texts printed on the sign."""
    caption: str  # e.g. "Quét mã bằng ứng dụng ngân hàng"
    holder_label: str  # e.g. "Chủ tài khoản"
    bank_label: str  # e.g. "Ngân hàng"
    account_label: str  # e.g. "Số tài khoản"


def _text_lines(text: str, font_size: float, width: float, max_lines: int) -> list[str]:
    # A wide bold sans-serif glyph averages about 0.6 em; wrapping on that avoids overflow.
    chars_per_line = max(8, int(width / (font_size * 0.6)))
    lines = textwrap.wrap(text, chars_per_line) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:chars_per_line - 1].rstrip() + "…"
    return lines


def _centered_text(lines: list[str], y: float, font_size: float, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    rows = "".join(
        f'<tspan x="{A6_WIDTH_MM / 2}" dy="{0 if index == 0 else font_size * 1.2:g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text y="{y:g}" font-size="{font_size:g}" text-anchor="middle"{weight}>{rows}</text>'


def _detail_line(label: str, value: str, y: float) -> str:
    return (f'<text x="{A6_WIDTH_MM / 2}" y="{y:g}" font-size="4" text-anchor="middle">'
            f'<tspan fill="#444">{escape(label)}: </tspan>'
            f'<tspan font-weight="bold">{escape(value)}</tspan></text>')


def a6_sign_svg(payload: str, *, producer_name: str, account_holder: str, bank_name: str,
                account_number: str, text: SignText) -> str:
    """A standalone SVG document sized 105 x 148 mm, ready to print from a browser."""
    qr_size, qr_top = 80, 27
    qr_svg = make_qr(payload).svg_inline(scale=1, border=QR_BORDER_MODULES, omitsize=True, light="#fff")
    qr_svg = qr_svg.replace(
        "<svg ",
        f'<svg x="{(A6_WIDTH_MM - qr_size) / 2:g}" y="{qr_top}" width="{qr_size}" height="{qr_size}" ',
        1,
    )
    title = escape(producer_name)
    producer_lines = _text_lines(producer_name, 7, A6_WIDTH_MM - 10, max_lines=2)
    producer_y = 15 if len(producer_lines) == 1 else 11.5
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{A6_WIDTH_MM}mm" height="{A6_HEIGHT_MM}mm" viewBox="0 0 {A6_WIDTH_MM} {A6_HEIGHT_MM}" '
        'preserveAspectRatio="xMidYMin meet" font-family="sans-serif">'
        f"<title>{title}</title>"
        # Printed, the sign is A6; on a screen it fits the window (top-aligned) instead of being cut off.
        "<style>@page { size: A6; margin: 0 } "
        # A phone lays out a page without a viewport tag 980 px wide and zooms out at most 4 times:
        # at most 940 px keeps the sign whole even on a 240-px screen.
        "@media screen { svg:root { display: block; width: 100vw; height: 100vh; max-width: 940px; "
        "margin: 0 auto } }</style>"
        f'<rect width="{A6_WIDTH_MM}" height="{A6_HEIGHT_MM}" fill="#fff"/>'
        f'<rect x="1" y="1" width="{A6_WIDTH_MM - 2}" height="{A6_HEIGHT_MM - 2}" rx="3" '
        'fill="none" stroke="#999" stroke-width="0.3"/>'
        + _centered_text(producer_lines, producer_y, 7, bold=True)
        + qr_svg
        + _centered_text(_text_lines(text.caption, 4.5, A6_WIDTH_MM - 10, max_lines=2), 115, 4.5, bold=True)
        + _detail_line(text.holder_label, account_holder, 128)
        + _detail_line(text.bank_label, bank_name, 134.5)
        + _detail_line(text.account_label, mask_account(account_number), 141)
        + "</svg>"
    )
