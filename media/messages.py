"""User-facing messages for image upload refusals and storage failures (translated via Babel).

`media.images` raises ImageRejected(code, **params) with no wording; the web layer calls
`rejection_message(error)` to show it in the visitor's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from media.images import ImageRejected

_ACCEPTED_TYPES_HINT = "JPEG, PNG, WebP, HEIC"

REJECTION_MESSAGES = {
    "too_large_bytes": _l("The file is too large. Please upload an image of at most %(max_mb)s MB."),
    "too_many_pixels": _l(
        "The image has too many pixels. Please upload a photo of at most %(max_megapixels)s megapixels."
    ),
    "not_an_image": _l("This file is not an image. Please upload a photo (%(accepted)s)."),
    "unsupported_type": _l("%(format)s files are not accepted. Please upload a photo (%(accepted)s)."),
    "truncated": _l("The image file is damaged or incomplete. Please try uploading it again."),
    "animated": _l("Animated images are not accepted. Please upload a still photo."),
    "bad_dimensions": _l(
        "The image dimensions (%(width)s × %(height)s pixels) are not usable. Please upload an ordinary photo."
    ),
}

STORAGE_FAILURE_MESSAGE = _l("The image could not be saved right now. Please try again later.")

def rejection_message(error: ImageRejected) -> str:
    """The refusal explained in the current locale, with its numbers filled in."""
    return str(REJECTION_MESSAGES[error.code]) % _display_params(error.params)


def _display_params(params: dict) -> dict:
    return {
        "accepted": _ACCEPTED_TYPES_HINT,
        "format": params.get("format", "?"),
        "width": params.get("width", "?"),
        "height": params.get("height", "?"),
        "max_mb": _plain_number(params.get("max_bytes", 0) / (1024 * 1024)),
        "max_megapixels": _plain_number(params.get("max_pixels", 0) / 1_000_000),
    }


def _plain_number(value: float) -> str:
    """20.0 -> "20", 12.5 -> "12.5": limits are round numbers, show them without noise."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)
