"""media.images on acceptable uploads: orientation, metadata stripping, renditions, formats."""

import hashlib
import io
import time

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin

from media.images import DEFAULT_WIDTHS, MAX_LONG_EDGE, OUTPUT_MIME_TYPE, process_upload
from test_images_factories import corner_marked, encode, photo_like, riff_chunks

RED, BLUE, GREY = (255, 0, 0), (0, 0, 255), (128, 128, 128)
ORIENTATION = 0x0112


@pytest.fixture(scope="module")
def big_photo_jpeg() -> bytes:
    """A 4000x3000 photo-like JPEG as a phone would send it (built once: it takes seconds)."""
    return encode(photo_like((4000, 3000)), "JPEG", quality=90)


def decoded(rendition) -> Image.Image:
    picture = Image.open(io.BytesIO(rendition.data))
    picture.load()
    return picture


def close_to(pixel, expected, tolerance=40):
    return all(abs(channel - wanted) <= tolerance for channel, wanted in zip(pixel, expected))


def exif_with(orientation=None, camera=True):
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if camera:
        exif[0x010F] = "Apple"  # Make
        exif[0x0110] = "iPhone 15 Pro"  # Model
        exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
        gps = exif.get_ifd(0x8825)
        gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)})
    return exif


def test_exif_orientation_6_comes_out_upright():
    upright = corner_marked((120, 80))
    # Orientation 6 tells viewers to turn the stored pixels 90° clockwise, so store them
    # turned 90° counter-clockwise.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    assert stored.size == (80, 120)

    result = process_upload(encode(stored, "JPEG", quality=95, exif=exif_with(6)))

    assert (result.original_width, result.original_height) == (120, 80)
    picture = decoded(result.rendition(160))
    assert picture.size == (120, 80)
    assert close_to(picture.getpixel((3, 3)), RED)
    assert close_to(picture.getpixel((116, 76)), BLUE)
    assert close_to(picture.getpixel((116, 3)), GREY)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_matches_pillows_exif_transpose(orientation):
    stored = corner_marked((90, 60))
    data = encode(stored, "JPEG", quality=95, exif=exif_with(orientation, camera=False))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))

    picture = decoded(process_upload(data).rendition(480))

    assert picture.size == expected.size
    for x, y in [(2, 2), (expected.width - 3, 2), (2, expected.height - 3), (expected.width - 3, expected.height - 3)]:
        assert close_to(picture.getpixel((x, y)), expected.getpixel((x, y))), (orientation, x, y)


def test_large_rotated_jpeg_reports_upright_size_and_portrait_renditions():
    stored = photo_like((1600, 1200))
    result = process_upload(encode(stored, "JPEG", exif=exif_with(6)))

    assert (result.original_width, result.original_height) == (1200, 1600)
    assert [(r.width, r.height) for r in result.renditions] == [(160, 213), (480, 640), (1200, 1600)]


def test_camera_gps_xmp_icc_and_comments_are_stripped():
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF>secret-xmp-location</rdf:RDF></x:xmpmeta>"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        photo_like((640, 480)), "JPEG", exif=exif_with(1), xmp=xmp, icc_profile=srgb, comment=b"secret-comment"
    )
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(0x8825) and source.info.get("xmp") and source.info.get("icc_profile")

    for rendition in process_upload(data).renditions:
        picture = decoded(rendition)
        assert dict(picture.getexif()) == {}
        assert not picture.info.get("xmp") and not picture.info.get("icc_profile") and not picture.info.get("exif")
        assert set(riff_chunks(rendition.data)) <= {b"VP8 ", b"VP8L", b"VP8X"}
        for secret in (b"Apple", b"iPhone", b"2024:05:01", b"secret-xmp", b"secret-comment"):
            assert secret not in rendition.data


def test_payload_appended_to_a_real_jpeg_does_not_survive_re_encoding():
    data = encode(photo_like((300, 200)), "JPEG", comment=b"<script>alert(1)</script>")
    data += b"<?php system($_GET['c']); ?><html><script>alert(2)</script></html>"

    result = process_upload(data)

    for rendition in result.renditions:
        assert b"<?php" not in rendition.data and b"<script>" not in rendition.data


def test_png_sent_with_a_jpg_name_is_accepted_as_png():
    upload = io.BytesIO(encode(corner_marked(), "PNG"))
    upload.name = "holiday.jpg"  # names and Content-Type are never consulted

    result = process_upload(upload)

    assert result.source_format == "PNG"
    assert close_to(decoded(result.rendition(160)).getpixel((2, 2)), RED)


def test_renditions_are_webp_at_the_requested_widths():
    result = process_upload(encode(photo_like((2000, 1500)), "JPEG"))

    assert [r.target_width for r in result.renditions] == list(DEFAULT_WIDTHS)
    assert [(r.width, r.height) for r in result.renditions] == [(160, 120), (480, 360), (1200, 900)]
    for rendition in result.renditions:
        picture = decoded(rendition)
        assert picture.format == "WEBP"
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.mime_type == OUTPUT_MIME_TYPE == "image/webp"


def test_custom_widths_are_sorted_and_deduplicated():
    result = process_upload(encode(photo_like((900, 600)), "PNG"), widths=(300, 64, 300))

    assert [(r.target_width, r.width, r.height) for r in result.renditions] == [(64, 64, 43), (300, 300, 200)]


def test_small_originals_are_never_upscaled():
    result = process_upload(encode(corner_marked((300, 200)), "PNG"))

    assert [(r.target_width, r.width, r.height) for r in result.renditions] == [
        (160, 160, 107),
        (480, 300, 200),
        (1200, 300, 200),
    ]
    # Identical sizes are encoded once and shared.
    assert result.rendition(480).data is result.rendition(1200).data


def test_tall_images_keep_their_long_edge_bounded():
    result = process_upload(encode(photo_like((1000, 3000)), "JPEG"))

    for rendition in result.renditions:
        assert rendition.width <= rendition.target_width
        assert rendition.height <= min(2 * rendition.target_width, MAX_LONG_EDGE)
    assert (result.rendition(1200).width, result.rendition(1200).height) == (683, 2048)


def test_transparency_is_flattened_on_white():
    transparent_red = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    palette = Image.new("P", (64, 64), 0)
    palette.putpalette([0, 0, 0] * 256)

    for data in (encode(transparent_red, "PNG"), encode(palette, "PNG", transparency=0)):
        picture = decoded(process_upload(data).rendition(160))
        assert picture.mode == "RGB"
        assert close_to(picture.getpixel((32, 32)), (255, 255, 255), tolerance=3)


def test_sixteen_bit_grey_is_scaled_not_clipped():
    picture = decoded(process_upload(encode(Image.new("I;16", (64, 64), 40000), "PNG")).rendition(160))

    assert close_to(picture.getpixel((10, 10)), (156, 156, 156), tolerance=3)


def test_cmyk_jpeg_becomes_rgb():
    cmyk_red = Image.new("CMYK", (64, 64), (0, 255, 255, 0))

    picture = decoded(process_upload(encode(cmyk_red, "JPEG", quality=95)).rendition(160))

    assert picture.mode == "RGB"
    assert close_to(picture.getpixel((10, 10)), RED, tolerance=30)


def test_heic_from_an_iphone_is_accepted_and_converted():
    heif = io.BytesIO()
    pillow_heif.from_pillow(corner_marked((640, 480))).save(heif, format="HEIF", quality=90)
    assert heif.getvalue()[4:12] == b"ftypheic"

    result = process_upload(heif.getvalue())

    assert result.source_format == "HEIF"
    assert (result.original_width, result.original_height) == (640, 480)
    picture = decoded(result.rendition(480))
    assert picture.format == "WEBP" and picture.size == (480, 360)
    assert close_to(picture.getpixel((5, 5)), RED)
    assert close_to(picture.getpixel((474, 354)), BLUE)


def test_phone_jpeg_with_extra_mpo_frames_uses_the_primary_image():
    primary, depth_map = Image.new("RGB", (64, 48), RED), Image.new("RGB", (64, 48), BLUE)
    data = encode(primary, "MPO", save_all=True, append_images=[depth_map])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    result = process_upload(data)

    assert result.source_format == "JPEG"
    assert close_to(decoded(result.rendition(160)).getpixel((5, 5)), RED)


def test_webp_input_is_re_encoded():
    result = process_upload(encode(corner_marked(), "WEBP", quality=90))

    assert result.source_format == "WEBP"
    assert close_to(decoded(result.rendition(160)).getpixel((2, 2)), RED)


def test_file_like_input_and_hash_of_the_uploaded_bytes():
    data = encode(corner_marked(), "PNG")

    from_stream = process_upload(io.BytesIO(data))
    from_bytes = process_upload(data)

    assert from_stream.sha256 == from_bytes.sha256 == hashlib.sha256(data).hexdigest()
    assert from_stream.source_size_bytes == len(data)
    assert process_upload(encode(corner_marked((121, 80)), "PNG")).sha256 != from_bytes.sha256


def test_big_jpeg_is_decoded_at_reduced_size(monkeypatch, big_photo_jpeg):
    decoded_sizes = []
    original_draft = JpegImagePlugin.JpegImageFile.draft

    def recording_draft(self, mode, size):
        outcome = original_draft(self, mode, size)
        decoded_sizes.append(self.size)
        return outcome

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)

    result = process_upload(big_photo_jpeg)

    assert (result.original_width, result.original_height) == (4000, 3000)
    assert decoded_sizes == [(2000, 1500)]
    assert (result.rendition(1200).width, result.rendition(1200).height) == (1200, 900)


@pytest.mark.parametrize("bad_widths", [(), (0,), (15,), (4096,), ("160",), (160, "480"), (True,), (160.0,)])
def test_invalid_widths_are_a_programming_error(bad_widths):
    with pytest.raises(ValueError):
        process_upload(encode(corner_marked(), "PNG"), widths=bad_widths)


@pytest.mark.parametrize("quality", [0, 101])
def test_invalid_quality_is_a_programming_error(quality):
    with pytest.raises(ValueError):
        process_upload(encode(corner_marked(), "PNG"), quality=quality)


def test_typical_photo_sizes_and_time_stay_within_budget(big_photo_jpeg):
    started = time.perf_counter()
    result = process_upload(big_photo_jpeg)
    elapsed = time.perf_counter() - started

    sizes = {r.target_width: len(r.data) for r in result.renditions}
    assert sizes[160] <= 12 * 1024
    assert sizes[480] <= 40 * 1024
    assert sizes[1200] <= 200 * 1024
    assert elapsed < 5.0, elapsed
