"""Site addresses: redirect targets that cannot leave the site, and public absolute URLs."""
import re
from urllib.parse import urlsplit

from flask import current_app

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_next_url(target, default="/"):
    """Accept only a local absolute path: no scheme, no host, no backslash,
    exactly one leading slash, after stripping whitespace and control characters."""
    if not target or not isinstance(target, str) or "\\" in target:
        return default
    cleaned = _CONTROL.sub("", target)
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return default
    return cleaned


def absolute(path: str) -> str:
    """A public absolute URL (feeds, JSON-LD, API, sitemap) on the site's configured address."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
