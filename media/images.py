"""Validate an uploaded image by its content and re-encode it as metadata-free WebP renditions.

Pure module (no Flask). The type is decided by Pillow's decoders restricted to JPEG, PNG, WebP and
HEIF, never by file name or Content-Type. Only freshly encoded pixels leave this module, so EXIF
(GPS, camera, dates), XMP, ICC data and any payload hidden in a polyglot file are dropped.

Refusals raise `ImageRejected(code, **params)`; the codes are stable and `media.messages` turns
them into translated user messages.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageCms

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
DEFAULT_WIDTHS = (160, 480, 1200)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_QUALITY = 80
# libwebp effort 0-6. Measured on a 4000x3000 photo-like JPEG: 5 and 6 save only 1-3 % over 4,
# and 6 costs about 40 % more time, so the library default stays.
WEBP_METHOD = 4
MIN_RENDITION_WIDTH = 16
# No rendition's long edge exceeds this, and a tall image's height is also held to twice its width.
MAX_LONG_EDGE = 2048
# Product photos are never 12 times longer than wide; such a header is a trick or a broken file.
MAX_ASPECT_RATIO = 12
OUTPUT_MIME_TYPE = "image/webp"

REJECTION_CODES = frozenset(
    {
        "too_large_bytes",
        "too_many_pixels",
        "not_an_image",
        "unsupported_type",
        "truncated",
        "animated",
        "bad_dimensions",
    }
)

# Registered once at import; extra HEIF images (depth maps, thumbnails) are never decoded.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Anything a hostile or broken file can make a Pillow decoder raise.
_DECODER_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    RuntimeError,
    struct.error,
    zlib.error,
)

# Files recognised without running their (refused) decoders, so the user hears what they sent.
_UNSUPPORTED_SIGNATURES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
    (b"%PDF-", "PDF"),
    (b"%!PS", "EPS"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
    (b"SIMPLE  =", "FITS"),
    (b"8BPS", "PSD"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"\xff\x0a", "JPEG XL"),
    (b"qoif", "QOI"),
    (b"DDS ", "DDS"),
)
_BMP_INFO_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1")
_AVIF_BRANDS = (b"avif", b"avis")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# EXIF Orientation value -> transpose that makes the picture upright (as ImageOps.exif_transpose),
# applied to the already reduced image so the full-size decode is never copied.
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
_EXIF_ORIENTATION_TAG = 0x0112
_SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(ValueError):
    """The upload is not an acceptable image. `code` is one of REJECTION_CODES."""

    def __init__(self, code: str, **params):
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown image rejection code {code!r}")
        self.code = code
        self.params = params
        details = ", ".join(f"{name}={value!r}" for name, value in sorted(params.items()))
        super().__init__(f"{code} ({details})" if details else code)


@dataclass(frozen=True)
class Rendition:
    """One re-encoded WebP. `target_width` is the requested width that names the stored file;
    `width`/`height` are the real pixel size (smaller when the original was smaller)."""

    target_width: int
    width: int
    height: int
    data: bytes = field(repr=False)

    mime_type = OUTPUT_MIME_TYPE


@dataclass(frozen=True)
class ProcessedImage:
    """Result of `process_upload`: upright original size, input facts and the renditions."""

    source_format: str
    original_width: int
    original_height: int
    source_size_bytes: int
    sha256: str  # hex digest of the uploaded bytes, for spotting repeated uploads
    renditions: tuple[Rendition, ...]  # ordered by target_width, ascending

    def rendition(self, target_width: int) -> Rendition:
        for candidate in self.renditions:
            if candidate.target_width == target_width:
                return candidate
        raise KeyError(target_width)


def process_upload(
    source: bytes | bytearray | memoryview | BinaryIO,
    *,
    widths: tuple[int, ...] = DEFAULT_WIDTHS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    quality: int = DEFAULT_QUALITY,
) -> ProcessedImage:
    """Check `source` (bytes or a readable binary file) and return its WebP renditions.

    Raises ImageRejected for anything that is not a still JPEG/PNG/WebP/HEIF photo within limits.
    """
    target_widths = _validated_widths(widths)
    if not 1 <= quality <= 100:
        raise ValueError("quality must be within 1..100")
    data = _read_limited(source, max_bytes)
    _refuse_recognised_unsupported(data)
    pixel_limit = _effective_pixel_limit(max_pixels)

    with _open_accepted(data, pixel_limit) as image:
        source_format = "JPEG" if image.format == "MPO" else image.format
        header_size = image.size
        _check_dimensions(header_size, pixel_limit)
        _refuse_animation(image)
        if source_format == "JPEG":
            # JPEG's EXIF precedes the pixels, so the orientation is known before decoding and
            # the decoder can scale down by 1/2..1/8 to just above the largest rendition.
            orientation = _exif_orientation(image)
            plan = _plan_renditions(_upright(header_size, orientation), target_widths)
            image.draft("RGB", _stored(plan[-1], orientation))
        _load_fully(image, pixel_limit)
        icc_profile = image.info.get("icc_profile")
        orientation = _exif_orientation(image)
        decoded_size = image.size
        if source_format != "JPEG" and decoded_size != header_size:
            # A HEIF may only learn its real size while decoding; hold it to the same limits.
            _check_dimensions(decoded_size, pixel_limit)
            header_size = decoded_size
        original_size = _upright(header_size, orientation)
        plan = _plan_renditions(original_size, target_widths)
        largest = _reduce_and_orient(image, _stored(plan[-1], orientation), orientation)

    largest = _flatten_to_srgb(largest, icc_profile)
    renditions = _encode_renditions(largest, target_widths, plan, quality)
    return ProcessedImage(
        source_format=source_format,
        original_width=original_size[0],
        original_height=original_size[1],
        source_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        renditions=renditions,
    )


def _validated_widths(widths) -> tuple[int, ...]:
    widths = tuple(widths)
    if not widths:
        raise ValueError("at least one rendition width is required")
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, int):
            raise ValueError(f"rendition width must be an int, got {width!r}")
        if not MIN_RENDITION_WIDTH <= width <= MAX_LONG_EDGE:
            raise ValueError(f"rendition width {width} outside {MIN_RENDITION_WIDTH}..{MAX_LONG_EDGE}")
    return tuple(sorted(set(widths)))


def _read_limited(source, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise ImageRejected("too_large_bytes", max_bytes=max_bytes)
    else:
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = source.read(min(max_bytes + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise ImageRejected("too_large_bytes", max_bytes=max_bytes)
        data = b"".join(chunks)
    if not data:
        raise ImageRejected("not_an_image")
    return data


def _refuse_recognised_unsupported(data: bytes) -> None:
    for signature, format_name in _UNSUPPORTED_SIGNATURES:
        if data.startswith(signature):
            raise ImageRejected("unsupported_type", format=format_name)
    if data.startswith(b"BM") and len(data) >= 18:
        (info_header_size,) = struct.unpack("<I", data[14:18])
        if info_header_size in _BMP_INFO_HEADER_SIZES:
            raise ImageRejected("unsupported_type", format="BMP")
    if data[4:8] == b"ftyp" and data[8:12] in _AVIF_BRANDS:
        raise ImageRejected("unsupported_type", format="AVIF")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"<svg" in head:
        raise ImageRejected("unsupported_type", format="SVG")


def _effective_pixel_limit(max_pixels: int) -> int:
    # Pillow warns (DecompressionBombWarning) above Image.MAX_IMAGE_PIXELS and raises above twice
    # that. Keeping our limit at or below Pillow's means every image that would only warn is
    # refused by _check_dimensions before load(), which is the warning-as-error behaviour without
    # touching the process-wide warnings filters (catch_warnings is not thread-safe on 3.11).
    pillow_limit = Image.MAX_IMAGE_PIXELS
    return max_pixels if pillow_limit is None else min(max_pixels, pillow_limit)


def _looks_like_accepted_format(data: bytes) -> bool:
    return (
        data.startswith(b"\xff\xd8\xff")
        or data.startswith(_PNG_SIGNATURE)
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS)
    )


def _open_accepted(data: bytes, pixel_limit: int) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning arrives as an exception when the process runs with it turned into an error.
        raise ImageRejected("too_many_pixels", max_pixels=pixel_limit) from None
    except _DECODER_ERRORS as error:
        if not _looks_like_accepted_format(data):
            raise ImageRejected("not_an_image") from None
        header_size = _header_size(data)
        if header_size is not None and 0 in header_size:
            raise ImageRejected("bad_dimensions", width=header_size[0], height=header_size[1]) from None
        raise ImageRejected("truncated") from error


def _header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header that Pillow refused, to explain the refusal."""
    if data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    position = 2
    while data.startswith(b"\xff\xd8") and position + 9 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF or 0xD0 <= marker <= 0xD8 or marker == 0x01:
            position += 1 if marker == 0xFF else 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if marker == 0xDA:
            return None
        (segment_length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + segment_length
    return None


def _check_dimensions(size: tuple[int, int], pixel_limit: int) -> None:
    width, height = size
    if width < 1 or height < 1 or max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ImageRejected("bad_dimensions", width=width, height=height)
    if width * height > pixel_limit:
        raise ImageRejected("too_many_pixels", pixels=width * height, max_pixels=pixel_limit)


def _refuse_animation(image: Image.Image) -> None:
    # A HEIF's extra top-level images and an MPO's extra frames (phone JPEGs carrying a depth map
    # or gain map) are not animation: only the primary image is decoded for those.
    if image.format in ("WEBP", "PNG"):
        frames = getattr(image, "n_frames", 1)
        if frames > 1:
            raise ImageRejected("animated", frames=frames)


def _load_fully(image: Image.Image, pixel_limit: int) -> None:
    # Pillow decodes lazily; forcing load() here turns truncation into a refusal, not a later 500.
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("too_many_pixels", max_pixels=pixel_limit) from None
    except _DECODER_ERRORS as error:
        raise ImageRejected("truncated") from error


def _exif_orientation(image: Image.Image) -> int:
    try:
        orientation = image.getexif().get(_EXIF_ORIENTATION_TAG, 1)
    except _DECODER_ERRORS:
        return 1  # unreadable EXIF: the metadata is dropped anyway, keep the pixels as stored
    return orientation if orientation in _ORIENTATION_TRANSPOSE else 1


def _upright(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in _SWAPPING_ORIENTATIONS else size


_stored = _upright  # the swap is its own inverse: upright size -> size as stored in the file


def _plan_renditions(original: tuple[int, int], target_widths: tuple[int, ...]) -> list[tuple[int, int]]:
    """Upright pixel size of each rendition: at most the target width, never upscaled, long edge
    at most min(2 * target, MAX_LONG_EDGE)."""
    width, height = original
    plan = []
    for target in target_widths:
        long_edge_limit = min(2 * target, MAX_LONG_EDGE)
        scale = min(1.0, target / width, long_edge_limit / width, long_edge_limit / height)
        plan.append((max(1, round(width * scale)), max(1, round(height * scale))))
    return plan


def _reduce_and_orient(image: Image.Image, stored_size: tuple[int, int], orientation: int) -> Image.Image:
    """Resize the decoded image to `stored_size`, then turn it upright. Works on the small copy."""
    image = _resizable(image)
    if image.size != stored_size:
        reduced = image.resize(stored_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    else:
        reduced = image.copy()
    transpose = _ORIENTATION_TRANSPOSE.get(orientation)
    return reduced.transpose(transpose) if transpose is not None else reduced


def _resizable(image: Image.Image) -> Image.Image:
    """Convert modes that Pillow resizes badly (palette, bilevel, 16-bit grey) first."""
    mode = image.mode
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I"):
        # 16-bit grey: scale 0..65535 to 0..255 instead of letting convert("L") clip it.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode in ("L", "RGB") and "transparency" in image.info:
        return image.convert("RGBA")
    return image


def _flatten_to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Alpha over white, then colours into sRGB when the file carried a usable ICC profile."""
    if "A" in image.getbands() or "a" in image.getbands():
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    if icc_profile:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(image, source_profile, _SRGB_PROFILE, outputMode="RGB")
        except (ImageCms.PyCMSError, *_DECODER_ERRORS):
            converted = None  # broken or mismatched profile: keep the numbers, drop the profile
        if converted is not None:
            image = converted
    rgb = image.convert("RGB") if image.mode != "RGB" else image.copy()
    rgb.info = {}
    return rgb


def _encode_renditions(largest: Image.Image, target_widths, plan, quality: int) -> tuple[Rendition, ...]:
    renditions = []
    current = largest
    encoded_by_size: dict[tuple[int, int], bytes] = {}
    # From the largest down, each one resized from the previous: cheap and still sharp.
    for target, size in sorted(zip(target_widths, plan), reverse=True):
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS)
            current.info = {}
        if size not in encoded_by_size:
            encoded_by_size[size] = _encode_webp(current, quality)
        renditions.append(Rendition(target, size[0], size[1], encoded_by_size[size]))
    return tuple(reversed(renditions))


def _encode_webp(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, method=WEBP_METHOD)
    return buffer.getvalue()
