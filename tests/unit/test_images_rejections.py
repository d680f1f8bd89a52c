"""media.images refusals: every hostile or unusable upload ends in ImageRejected with a stable code."""

import io
import time
import tracemalloc
import warnings

import pillow_heif
import pytest
from PIL import Image, ImageFile

from media.images import REJECTION_CODES, ImageRejected, process_upload
from test_images_factories import corner_marked, encode, jpeg_with_size, photo_like, png_header_only


def rejection(data, **options) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_upload(data, **options)
    return caught.value


@pytest.fixture
def loads(monkeypatch):
    """Records every pixel decode, to prove a refusal came before any."""
    calls = []
    original_load = ImageFile.ImageFile.load

    def recording_load(self):
        calls.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return calls


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b"<?php system($_GET['cmd']); ?>",
        b"\xef\xbb\xbf<!DOCTYPE html><title>x</title>",
        b"plain text pretending to be photo.jpg",
        b"PK\x03\x04 a zip archive",
        b"\x00" * 64,
        b"",
    ],
    ids=["html", "php", "bom-html", "text", "zip", "zeros", "empty"],
)
def test_non_images_are_refused(data):
    assert rejection(data).code == "not_an_image"


def gif_js_polyglot() -> bytes:
    """Valid GIF header whose bytes also parse as JavaScript (`GIF89a/*...*/=alert(1)`)."""
    gif = encode(Image.new("P", (8, 8)), "GIF")
    return b"GIF89a/*" + gif[8:] + b"*/=alert(document.domain);//"


@pytest.mark.parametrize(
    "data, format_name",
    [
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (b'  <svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        (encode(corner_marked(), "GIF"), "GIF"),
        (gif_js_polyglot(), "GIF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "EPS"),
        (b"\xc5\xd0\xd3\xc6" + b"\x00" * 28, "EPS"),
        (encode(corner_marked(), "TIFF"), "TIFF"),
        (b"SIMPLE  =                    T" + b" " * 50 + b"BITPIX  =                    8", "FITS"),
        (encode(corner_marked(), "BMP"), "BMP"),
        (encode(corner_marked((32, 32)), "ICO"), "ICO"),
        (encode(corner_marked((32, 32)), "AVIF"), "AVIF"),
        (b"8BPS\x00\x01" + b"\x00" * 20, "PSD"),
    ],
    ids=["svg-script", "svg-onload", "gif", "gif-js-polyglot", "pdf", "eps", "eps-dos", "tiff", "fits", "bmp", "ico", "avif", "psd"],
)
def test_other_file_types_are_refused_by_name(data, format_name, loads):
    refused = rejection(data)

    assert (refused.code, refused.params) == ("unsupported_type", {"format": format_name})
    assert loads == []


def test_more_bytes_than_allowed_are_refused_for_bytes_and_streams():
    data = encode(photo_like((300, 200)), "PNG")

    assert rejection(data, max_bytes=len(data) - 1).params == {"max_bytes": len(data) - 1}
    assert rejection(io.BytesIO(data), max_bytes=len(data) - 1).code == "too_large_bytes"
    assert process_upload(io.BytesIO(data), max_bytes=len(data)).source_size_bytes == len(data)


def test_an_endless_stream_is_cut_off_just_past_the_limit():
    class EndlessStream:
        handed_out = 0

        def read(self, size):
            self.handed_out += size
            return b"\xff" * size

    stream = EndlessStream()

    assert rejection(stream, max_bytes=5 * 1024 * 1024).code == "too_large_bytes"
    assert stream.handed_out == 5 * 1024 * 1024 + 1


def test_pixel_flood_png_is_refused_from_its_header_alone(loads):
    data = png_header_only(20000, 20000)
    assert len(data) < 200

    tracemalloc.start()
    started = time.perf_counter()
    refused = rejection(data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.code == "too_many_pixels"
    assert loads == []
    assert elapsed < 0.5
    assert peak < 5 * 1024 * 1024


def test_just_over_fifty_megapixels_is_refused_before_decoding(loads):
    refused = rejection(png_header_only(7072, 7072))  # 50,013,184 pixels

    assert (refused.code, refused.params) == ("too_many_pixels", {"pixels": 50_013_184, "max_pixels": 50_000_000})
    assert loads == []


def test_pillows_bomb_warning_range_is_refused_whether_or_not_warnings_are_errors(loads):
    data = png_header_only(10000, 10000)  # above Pillow's warning limit, below its error limit

    with pytest.warns(Image.DecompressionBombWarning):
        assert rejection(data).code == "too_many_pixels"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        assert rejection(data).code == "too_many_pixels"
    assert loads == []


def test_over_pillows_hard_limit_is_refused():
    assert rejection(jpeg_with_size(60000, 60000)).code == "too_many_pixels"


def test_the_caller_can_lower_the_pixel_limit():
    data = encode(corner_marked((1000, 600)), "PNG")

    refused = rejection(data, max_pixels=500_000)

    assert refused.params == {"pixels": 600_000, "max_pixels": 500_000}


def test_a_lower_global_pillow_limit_wins(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 400_000)

    assert rejection(encode(corner_marked((1000, 600)), "PNG")).params["max_pixels"] == 400_000


@pytest.mark.parametrize(
    "data, size",
    [
        (jpeg_with_size(0, 60000), (0, 60000)),
        (jpeg_with_size(60000, 0), (60000, 0)),
        (png_header_only(0, 10), (0, 10)),
        (png_header_only(10, 0), (10, 0)),
        (jpeg_with_size(60000, 10), (60000, 10)),
        (png_header_only(1, 5000), (1, 5000)),
    ],
    ids=["jpeg-0-wide", "jpeg-0-high", "png-0-wide", "png-0-high", "jpeg-sliver", "png-sliver"],
)
def test_zero_or_absurd_dimensions_are_refused(data, size, loads):
    refused = rejection(data)

    assert (refused.code, refused.params) == ("bad_dimensions", {"width": size[0], "height": size[1]})
    assert loads == []


def heif_bytes(picture) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(picture).save(buffer, format="HEIF", quality=80)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_truncated_files_are_refused_not_crashed(image_format):
    picture = photo_like((400, 300))
    data = heif_bytes(picture) if image_format == "HEIF" else encode(picture, image_format)

    assert rejection(data[: len(data) // 2]).code == "truncated"
    assert rejection(data[:20]).code == "truncated"


def test_animated_webp_is_refused_quickly():
    frames = []
    for index in range(600):  # every frame differs, so the encoder cannot merge any
        frame = Image.new("RGB", (32, 32), "white")
        frame.paste((index % 256, 0, 255 - index % 256), (index % 30, index // 30, index % 30 + 2, index // 30 + 2))
        frames.append(frame)
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=10, lossless=True)

    started = time.perf_counter()
    refused = rejection(data)

    assert (refused.code, refused.params) == ("animated", {"frames": 600})
    assert time.perf_counter() - started < 2.0


def test_animated_png_is_refused():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "green", "blue")]

    refused = rejection(encode(frames[0], "PNG", save_all=True, append_images=frames[1:]))

    assert (refused.code, refused.params) == ("animated", {"frames": 3})


def test_rejection_codes_are_the_documented_stable_set():
    assert REJECTION_CODES == {
        "too_large_bytes",
        "too_many_pixels",
        "not_an_image",
        "unsupported_type",
        "truncated",
        "animated",
        "bad_dimensions",
    }
    with pytest.raises(ValueError):
        ImageRejected("something_new")
    refused = ImageRejected("bad_dimensions", width=0, height=5)
    assert "bad_dimensions" in str(refused) and refused.params == {"width": 0, "height": 5}
