"""Catalogue terms in the user's language, for pages and the JSON API alike."""
from __future__ import annotations

from flask_babel import gettext

from catalog.constants import FILTER_MESSAGES
from catalog.filters import FilterError


def filter_error_message(error: FilterError) -> str:
    """Why a filter (page or API parameter) was refused, in words."""
    value = str(error.value if error.value is not None else "")[:60]
    return gettext(FILTER_MESSAGES[error.code], value=value, maximum=error.params.get("maximum", ""))


def label(labels: dict, key) -> str:
    """`labels[key]` (a `catalog.constants` label) translated; "" for an unknown key."""
    return gettext(labels[key]) if key in labels else ""

