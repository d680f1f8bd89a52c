"""Value conversions shared by the exporters (prices, URLs, text limits, weights)."""
from __future__ import annotations

import html
import math
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from vntext import slugify

from .record import Listing, nfc_clean

ELLIPSIS = "…"

# RFC 3986 characters kept as they are. Commas are encoded too, so a URL can
# never split a comma-separated image list; '%' survives only as an escape.
_PATH_UNSAFE = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+;=:@/%]")
_QUERY_UNSAFE = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+;=:@/?%]")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")
# Already absolute, ASCII, lower-case host, no port or credentials, every '%'
# an escape: nothing to encode, so the common case skips URL parsing (it
# dominated export time).
_CLEAN_URL = re.compile(r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/[A-Za-z0-9\-._~!$&'()*+;=:@/?#%]*")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def vnd_price(amount: int) -> str:
    """Feed price: digits and the ISO code, never a thousands separator.

    ``185.000 VND`` would be read as 185 đồng (VND has no minor unit).
    """
    return f"{int(amount)} VND"


def kilograms(grams: int) -> float:
    """Grams to kilograms with at most two decimals, rounded up.

    Rounding up keeps the declared weight from undercutting the real parcel
    (carriers surcharge under-declared weight).
    """
    return math.ceil(grams / 10) / 100


def one_line(text: str) -> str:
    """Tabs and line breaks become single spaces (TSV values cannot hold them)."""
    if "\n" in text or "\t" in text or "\r" in text:
        return _LINE_BREAKS.sub(" ", text).strip()
    return text


def truncate_words(text: str, limit: int, ellipsis: str = ELLIPSIS) -> tuple[str, bool]:
    """Shorten ``text`` to at most ``limit`` code points at a word boundary.

    Returns the text and whether it was cut. A single word longer than half
    the limit is cut inside the word rather than leaving almost nothing.
    """
    if len(text) <= limit:
        return text, False
    room = limit - len(ellipsis)
    head = text[: room + 1]
    cut = max(head.rfind(" "), head.rfind("\n"))
    head = head[:cut] if cut > room // 2 else text[:room]
    return head.rstrip(" \n\t,;:-–—") + ellipsis, True


def _percent_encode(match: re.Match) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


@lru_cache(maxsize=512)
def ascii_http_url(url: str) -> str | None:
    """The URL as absolute ASCII (RFC 3986), or None when it cannot be one.

    Non-ASCII path and query characters are percent-encoded from their NFC
    UTF-8 bytes (``mật-ong.jpg`` becomes ``m%E1%BA%ADt-ong.jpg``), host names
    are IDNA-encoded. Relative URLs, other schemes and embedded credentials
    are refused.
    """
    if _CLEAN_URL.fullmatch(url) and url.count("#") <= 1 and not _STRAY_PERCENT.search(url):
        return url
    url = nfc_clean(url).strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:
        return None
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((
        parts.scheme.lower(),
        netloc,
        _PATH_UNSAFE.sub(_percent_encode, parts.path) or "/",
        _QUERY_UNSAFE.sub(_percent_encode, parts.query),
        _QUERY_UNSAFE.sub(_percent_encode, parts.fragment),
    ))


def url_extension(url: str) -> str:
    """Lower-case file extension of the URL path ('' when there is none)."""
    path = url.partition("#")[0].partition("?")[0]
    last = path[path.rfind("/") + 1:]
    dot = last.rfind(".")
    return last[dot + 1:].lower() if dot >= 0 else ""


def plain_to_html(text: str) -> str:
    """Plain text as the HTML subset marketplaces accept (p and br only)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def fit_html(text: str, limit: int) -> tuple[str, bool]:
    """``plain_to_html`` of the text, shortened at a word boundary to fit ``limit``.

    Escaping makes the HTML longer than the text by an amount that depends on
    where the cut falls, so the longest fitting cut is found by bisection.
    """
    rendered = plain_to_html(text)
    if len(rendered) <= limit:
        return rendered, False
    best, low, high = "", 1, len(text) - 1
    while low <= high:
        middle = (low + high) // 2
        candidate = plain_to_html(truncate_words(text, middle)[0])
        if len(candidate) <= limit:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best, True


def stars_label(listing: Listing) -> str:
    """``ocop-4-sao``; empty when the certificate lapsed (the mark may not be used)."""
    return f"ocop-{listing.stars}-sao" if listing.stars else ""


def province_slug(listing: Listing) -> str:
    return _cached_slug(listing.province)


@lru_cache(maxsize=256)
def _cached_slug(province: str) -> str:
    # 34 provinces repeat across every listing of an export.
    return slugify(province)


def ocop_line(listing: Listing) -> str:
    """A first description line for marketplaces, which have no field for stars."""
    if not listing.stars:
        return ""
    year = f" ({listing.certificate_date.year})" if listing.certificate_date else ""
    return f"Sản phẩm OCOP {listing.stars} sao{year}"
