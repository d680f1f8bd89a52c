"""Read QR codes from pixels as a bank app does: zxing-cpp and OpenCV's QRCodeDetector.

Both readers must find the same single code, so a picture only passes when two
independent decoders read it."""
import io

import cv2
import numpy
import zxingcpp
from PIL import Image

DARK = 128  # grey level below which a pixel counts as a dark module


def _grey(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return image.convert("L")


def read_with_zxing(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(_grey(png))]


def read_with_opencv(png: bytes) -> list[str]:
    """OpenCV's one-code reader, as a scanner pointed at one code uses it; the multi-code
    detector as well when it finds nothing (it misses some codes the one-code reader reads, so
    it only adds). zxing-cpp already checks that the picture holds a single code."""
    pixels = numpy.asarray(_grey(png))
    text, _points, _code = cv2.QRCodeDetector().detectAndDecode(pixels)
    if text:
        return [text]
    found, texts, _points, _codes = cv2.QRCodeDetector().detectAndDecodeMulti(pixels)
    return [text for text in texts if text] if found else []


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
