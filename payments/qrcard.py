"""The "save the code" picture: a VietQR code with the transfer details printed under it.

Buyers usually browse on the phone that holds their bank app, so they cannot scan
their own screen: they save this PNG to the gallery and open it with the bank app's
"scan from image". The code keeps its 4-module quiet zone and whole-pixel modules;
the text under it lets a person check the amount, bank, holder and memo by eye.

Pure module, no Flask: callers pass already-translated texts. Text is drawn with
DejaVu Sans (media.typefaces, bundled), which has every Vietnamese letter;
without it, Pillow's built-in font is used and the text is folded to ASCII, because
that font draws Vietnamese letters as empty boxes.
"""
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from media import typefaces
from payments.qrimage import QR_BORDER_MODULES, make_qr
from vntext import fold

REGULAR_FONT, BOLD_FONT = typefaces.REGULAR, typefaces.BOLD

CARD_WIDTH = 720  # px: sharp on any phone gallery, small as a PNG
MARGIN = 36
# Grey levels: a greyscale PNG is small and quick to encode, and every gallery shows it as is.
INK, MUTED, PAPER = 0, 85, 255
HEADING_SIZE, LABEL_SIZE, VALUE_SIZE, AMOUNT_SIZE, NOTE_SIZE = 30, 24, 32, 46, 24


@dataclass(frozen=True)
class CardLine:
    label: str  # e.g. "Số tiền"
    value: str  # e.g. "240.000 ₫"
    large: bool = False  # the amount: the first thing a payer checks
    note: str = ""  # smaller text under the value, e.g. the bank's full name


@dataclass(frozen=True)
class Fonts:
    """Font loader by (size, bold); `unicode` is False for the ASCII-only fallback."""
    path_regular: Path | None
    path_bold: Path | None

    @property
    def unicode(self) -> bool:
        return self.path_regular is not None

    def get(self, size: int, bold: bool = False):
        path = self.path_bold if bold else self.path_regular
        if path is None:
            return ImageFont.load_default(size=size)
        return _truetype(str(path), size)

    def text(self, text: str) -> str:
        return text if self.unicode else fold(text).encode("ascii", "replace").decode("ascii")


@lru_cache(maxsize=16)
def _truetype(path: str, size: int):
    return ImageFont.truetype(path, size)


def system_fonts(regular: Path = REGULAR_FONT, bold: Path = BOLD_FONT) -> Fonts:
    if regular.is_file():
        return Fonts(regular, bold if bold.is_file() else regular)
    return Fonts(None, None)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Lines that fit `width` px, broken between words (a word longer than a line is split)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while draw.textlength(word, font=font) > width:
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _heading_rows(draw, fonts: Fonts, heading: str, width: int):
    """[(y, text, font, colour)] for the heading, and its height."""
    rows, y = [], 0
    font = fonts.get(HEADING_SIZE, bold=True)
    for part in _wrap(draw, fonts.text(heading), font, width):
        rows.append((y, part, font, INK))
        y += int(HEADING_SIZE * 1.3)
    return rows, y


def _detail_rows(draw, fonts: Fonts, lines: Sequence[CardLine], width: int):
    """[(y, text, font, colour)] for label/value pairs, and their height."""
    rows, y = [], 0
    label_font = fonts.get(LABEL_SIZE)
    for line in lines:
        value_size = AMOUNT_SIZE if line.large else VALUE_SIZE
        value_font = fonts.get(value_size, bold=True)
        rows.append((y, fonts.text(line.label), label_font, MUTED))
        y += int(LABEL_SIZE * 1.35)
        for part in _wrap(draw, fonts.text(line.value), value_font, width):
            rows.append((y, part, value_font, INK))
            y += int(value_size * 1.25)
        note_font = fonts.get(NOTE_SIZE)
        for part in _wrap(draw, fonts.text(line.note), note_font, width) if line.note else ():
            rows.append((y, part, note_font, INK))
            y += int(NOTE_SIZE * 1.3)
        y += 14
    return rows, y


def payment_card_png(payload: str, *, heading: str, lines: Sequence[CardLine], fonts: Fonts | None = None) -> bytes:
    """PNG: `heading`, the code (whole-pixel modules, quiet zone included), then `lines`."""
    fonts = fonts or system_fonts()
    qr = make_qr(payload)
    modules = qr.symbol_size(scale=1, border=QR_BORDER_MODULES)[0]
    scale = CARD_WIDTH // modules  # the code's own quiet zone stands in for the card margin
    code_size = modules * scale
    code = io.BytesIO()
    qr.save(code, kind="png", scale=1, border=QR_BORDER_MODULES)  # one pixel per module, then enlarged
    code_image = Image.open(code).convert("L").resize((code_size, code_size), Image.Resampling.NEAREST)

    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    text_width = CARD_WIDTH - 2 * MARGIN
    heading_rows, heading_height = _heading_rows(measure, fonts, heading, text_width)
    detail_rows, detail_height = _detail_rows(measure, fonts, lines, text_width)

    code_top = MARGIN + heading_height
    details_top = code_top + code_size
    card = Image.new("L", (CARD_WIDTH, details_top + detail_height + MARGIN), PAPER)
    card.paste(code_image, ((CARD_WIDTH - code_size) // 2, code_top))
    draw = ImageDraw.Draw(card)
    for top, rows in ((MARGIN, heading_rows), (details_top, detail_rows)):
        for y, text, font, colour in rows:
            draw.text((MARGIN, top + y), text, font=font, fill=colour)
    out = io.BytesIO()
    card.save(out, format="PNG")
    return out.getvalue()
