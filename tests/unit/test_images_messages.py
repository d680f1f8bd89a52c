"""media.messages: every refusal code has a translatable message and a Vietnamese translation."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from media.images import REJECTION_CODES, ImageRejected
from media.messages import REJECTION_MESSAGES, STORAGE_FAILURE_MESSAGE, rejection_message

REPO = Path(__file__).resolve().parents[2]


def placeholders(text):
    return sorted(re.findall(r"%\((\w+)\)s", text))


def test_every_rejection_code_has_a_message():
    assert set(REJECTION_MESSAGES) == REJECTION_CODES


def test_messages_fill_in_the_limits_outside_a_request():
    assert "20 MB" in rejection_message(ImageRejected("too_large_bytes", max_bytes=20 * 1024 * 1024))
    assert "12.5 MB" in rejection_message(ImageRejected("too_large_bytes", max_bytes=int(12.5 * 1024 * 1024)))
    assert "50 megapixels" in rejection_message(
        ImageRejected("too_many_pixels", pixels=60_000_000, max_pixels=50_000_000)
    )
    assert rejection_message(ImageRejected("unsupported_type", format="GIF")).startswith("GIF files")
    assert "0 × 60000" in rejection_message(ImageRejected("bad_dimensions", width=0, height=60000))
    assert "JPEG, PNG, WebP, HEIC" in rejection_message(ImageRejected("not_an_image"))
    for code in REJECTION_CODES:
        assert "%(" not in rejection_message(ImageRejected(code))


def test_vietnamese_fragment_translates_every_message_with_the_same_placeholders():
    source = REPO / "media" / "messages.py"
    msgids = {message for _, message, _, _ in extract_from_file("python", source, keywords={"_l": None})}
    assert msgids == {str(message) for message in REJECTION_MESSAGES.values()} | {str(STORAGE_FAILURE_MESSAGE)}

    with open(REPO / "translations" / "fragments" / "media.po", "rb") as fragment:
        catalog = read_po(fragment, locale="vi")
    for msgid in msgids:
        entry = catalog.get(msgid)
        assert entry is not None and entry.string, msgid
        assert placeholders(entry.string) == placeholders(msgid), msgid
        assert ("python-format" in entry.flags) == bool(placeholders(msgid)), msgid
