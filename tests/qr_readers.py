"""Read QR codes from pixels as a bank app does: zxing-cpp and OpenCV's QRCodeDetector.

Both readers must find the same single code, so a picture only passes when two
independent decoders read it."""
import io

import cv2
import numpy
import zxingcpp
from PIL import Image, ImageOps

DARK = 128  # grey level below which a pixel counts as a dark module


def _grey(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return image.convert("L")


def read_with_zxing(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(_grey(png))]


# A phone's camera sees many frames, each framed and scaled a little differently, and a bank
# app needs one that decodes. OpenCV's detector misses some frames of a code it reads in others
# (seen here: a code read at 8 px of extra margin but not at 0 or 32), so it gets a few such
# framings of the same picture; zxing-cpp reads the picture as it is.
FRAMINGS = ((0, 1.0), (8, 1.0), (16, 1.0), (0, 0.5), (24, 0.75))


def _framed(grey: Image.Image, margin: int, scale: float) -> numpy.ndarray:
    if scale != 1.0:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))))
    if margin:
        grey = ImageOps.expand(grey, margin, fill=255)
    return numpy.asarray(grey)


def read_with_opencv(png: bytes) -> list[str]:
    """What OpenCV's QR reader finds in the first framing it can decode."""
    grey = _grey(png)
    detector = cv2.QRCodeDetector()
    for margin, scale in FRAMINGS:
        pixels = _framed(grey, margin, scale)
        text, _points, _code = detector.detectAndDecode(pixels)
        if text:
            return [text]
        found, texts, _points, _codes = detector.detectAndDecodeMulti(pixels)
        if found and any(texts):
            return [text for text in texts if text]
    return []


def read_qr(png: bytes) -> str:
    """The one code in the picture, read alike by zxing-cpp and OpenCV (AssertionError otherwise)."""
    zxing, opencv = read_with_zxing(png), read_with_opencv(png)
    assert len(zxing) == 1, f"zxing-cpp read {zxing!r}"
    assert opencv == zxing, f"OpenCV read {opencv!r}, zxing-cpp read {zxing!r}"
    return zxing[0]


def dark_margins(png: bytes) -> tuple[int, int, int, int]:
    """Light pixels between each edge and the nearest dark one: (left, top, right, bottom)."""
    grey = _grey(png)
    left, top, right, bottom = grey.point(lambda value: 255 if value < DARK else 0).getbbox()
    return left, top, grey.width - right, grey.height - bottom
