"""Share cards: the picture a chat app or social network shows beside a shared link. Pure.

Zalo's and Facebook's link previews want a wide picture of at least 1200×630 px (1.91:1),
and some crawlers skip WebP, so the card is a JPEG cut from the product photo's largest
rendition: scaled to cover 1200×630 and cropped around the centre, never stretched.
"""
import io

from PIL import Image, ImageOps

SHARE_CARD_SIZE = (1200, 630)
SHARE_CARD_QUALITY = 82


def share_card(data: bytes, size=SHARE_CARD_SIZE, quality: int = SHARE_CARD_QUALITY) -> bytes:
    """A baseline sRGB JPEG of ``size`` from a (trusted, already re-encoded) rendition."""
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        card = ImageOps.fit(picture.convert("RGB"), size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    buffer = io.BytesIO()
    card.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
