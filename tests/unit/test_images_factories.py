"""In-memory image builders shared by the media.images tests (this module holds no tests itself)."""

import io
import random
import struct
import zlib

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def photo_like(size=(4000, 3000), seed=7) -> Image.Image:
    """A stand-in for a phone photo: smooth colour gradients, blurred objects with edges, a
    fine-grained texture region and sensor-like noise, so encoders cannot cheat on a flat colour."""
    rng = random.Random(seed)
    width, height = size
    field = Image.new("RGB", (8, 6))
    field.putdata([tuple(rng.randrange(40, 220) for _ in range(3)) for _ in range(48)])
    picture = field.resize(size, Image.Resampling.BICUBIC)

    sketch_size = (max(1, width // 4), max(1, height // 4))
    objects = Image.new("RGBA", sketch_size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(objects)
    for _ in range(25):
        x0, y0 = rng.randrange(sketch_size[0]), rng.randrange(sketch_size[1])
        box = [x0, y0, x0 + rng.randrange(20, sketch_size[0] // 3 + 21), y0 + rng.randrange(20, sketch_size[1] // 3 + 21)]
        colour = tuple(rng.randrange(256) for _ in range(3)) + (255,)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    objects = objects.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    picture.paste(objects, mask=objects.getchannel("A"))

    # Objects carry a surface texture (coarse and fine octaves); the background stays smooth.
    texture = ImageChops.add(_octave(size, 48, 30), _octave(size, 12, 14), 1.0, -128)
    textured = ImageChops.add(picture, Image.merge("RGB", [texture] * 3), 1.0, -128)
    picture.paste(textured, mask=objects.getchannel("A"))
    sensor_noise = Image.merge("RGB", [Image.effect_noise(size, 3) for _ in range(3)])
    return ImageChops.add(picture, sensor_noise, 1.0, -128)


def _octave(size, cell: int, sigma: float) -> Image.Image:
    """Grey noise centred on 128 whose features are about `cell` pixels wide."""
    coarse = Image.effect_noise((max(1, size[0] // cell), max(1, size[1] // cell)), sigma)
    return coarse.resize(size, Image.Resampling.BICUBIC)


def corner_marked(size=(120, 80)) -> Image.Image:
    """Grey picture with a red top-left corner and a blue bottom-right one, to check orientation."""
    picture = Image.new("RGB", size, (128, 128, 128))
    width, height = size
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, width // 4, height // 4], fill=(255, 0, 0))
    draw.rectangle([width - width // 4, height - height // 4, width, height], fill=(0, 0, 255))
    return picture


def encode(picture: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int, bit_depth=1, colour_type=0) -> bytes:
    """A valid-looking PNG that claims any size (even 0 or 20000x20000) but holds a few bytes of
    pixels: the shape of a decompression bomb without building one in memory."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_with_size(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF header is rewritten to claim width x height."""
    data = encode(Image.new("RGB", (16, 16), "green"), "JPEG")
    start = data.index(b"\xff\xc0")
    return data[: start + 5] + struct.pack(">HH", height, width) + data[start + 9 :]


def riff_chunks(webp: bytes) -> list[bytes]:
    """FourCCs of the chunks in a WebP file, to prove no EXIF/XMP/ICCP chunk was written."""
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"
    kinds, position = [], 12
    while position + 8 <= len(webp):
        kind = webp[position : position + 4]
        (length,) = struct.unpack("<I", webp[position + 4 : position + 8])
        kinds.append(kind)
        position += 8 + length + (length & 1)
    return kinds
