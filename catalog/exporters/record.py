"""The normalised listing record every exporter reads.

Text is cleaned once, on construction: NFC (phones and macOS send NFD, which
inflates lengths), control characters removed, line ends unified. Enumerated
values are checked here so that exporters only decide format-specific rules.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from catalog.constants import Availability
from producers.constants import ProducerKind

from .problems import Problem

PRODUCER_TYPES = tuple(ProducerKind)  # defined once, in producers.constants
OCOP_STARS = (3, 4, 5)
# Decision 148/QĐ-TTg numbers its product sets 1–26 (names: producers/ocop.py).
OCOP_PRODUCT_SET_CODES = range(1, 27)
# Set 26 is a service (community and eco-tourism): channels that list physical
# goods must not receive it.
SERVICE_PRODUCT_SETS = frozenset({26})

# C0 and C1 controls except tab and newline, lone surrogates (they cannot be
# encoded as UTF-8) and the two non-characters XML 1.0 forbids.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_SINGLE_LINE_FIELDS = (
    "id", "ref", "name", "category_name", "certificate_no", "unit", "producer_name",
    "province", "commune", "phone", "tax_code", "url",
)


def nfc_clean(text: str | None) -> str:
    """NFC-normalise and drop control characters, keeping tabs and newlines.

    CR LF and lone CR become LF so that descriptions compare equal however
    they were typed.
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", text)


def _single_line(text: str | None) -> str:
    if not text:
        return ""
    # Fast path for text that is already clean (the usual case): printable
    # excludes controls, tabs, newlines and non-ASCII spaces.
    if (
        text.isprintable()
        and unicodedata.is_normalized("NFC", text)
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
    ):
        return text
    return " ".join(nfc_clean(text).split())


def _multi_line(text: str | None) -> str:
    lines = nfc_clean(text).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class InvalidListing(ValueError):
    """A listing value outside its allowed set; carries a translatable Problem."""

    def __init__(self, field_name: str, code: str, **params: object) -> None:
        self.problem = Problem(field_name, code, params)
        super().__init__(f"{field_name}: {self.problem.message}")


def _whole_number(field_name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidListing(field_name, "number_invalid", value=value)
    return value


@dataclass(frozen=True, kw_only=True)
class Listing:
    """One product as exporters see it.

    ``category_code`` is the OCOP product set (1–26), ``category_name`` its
    display name (producers.ocop.product_set(code).name_vi). ``stars`` is None
    when the certificate expired (the OCOP mark may not be used then).
    ``seasonal_months`` (1–12) only count when availability is "seasonal".
    ``image_urls`` are absolute URLs of the largest rendition, cover first;
    ``image_names`` are the matching file names used by our own CSV/JSON
    round trip. ``certificate_stars`` are the stars the certificate records,
    also after it lapsed: only our own files carry them, so that an import
    can recreate the certificate (the date says whether it is still valid).
    """

    name: str
    category_code: int
    producer_name: str
    producer_type: str
    province: str
    id: str = ""
    ref: str = ""
    description: str = ""
    category_name: str = ""
    stars: int | None = None
    certificate_stars: int | None = None
    certificate_no: str = ""
    certificate_date: date | None = None
    price_vnd: int | None = None
    unit: str = ""
    weight_g: int | None = None
    availability: str = "in_stock"
    seasonal_months: tuple[int, ...] = ()
    commune: str = ""
    phone: str = ""
    tax_code: str = ""
    url: str = ""
    image_urls: tuple[str, ...] = ()
    image_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in _SINGLE_LINE_FIELDS:
            set_(self, name, _single_line(getattr(self, name)))
        set_(self, "description", _multi_line(self.description))
        set_(self, "image_urls", tuple(u for u in map(_single_line, self.image_urls) if u))
        set_(self, "image_names", tuple(n for n in map(_single_line, self.image_names) if n))

        code = self.category_code
        if isinstance(code, bool) or not isinstance(code, int) or code not in OCOP_PRODUCT_SET_CODES:
            raise InvalidListing("category_code", "category_invalid")
        for stars in (self.stars, self.certificate_stars):
            if stars is not None and stars not in OCOP_STARS:
                raise InvalidListing("stars", "stars_invalid")
        if self.availability not in tuple(Availability):
            raise InvalidListing("availability", "availability_invalid")
        if self.producer_type not in PRODUCER_TYPES:
            raise InvalidListing("producer_type", "producer_type_invalid")
        set_(self, "price_vnd", _whole_number("price_vnd", self.price_vnd))
        set_(self, "weight_g", _whole_number("weight_g", self.weight_g))
        if isinstance(self.certificate_date, datetime):
            set_(self, "certificate_date", self.certificate_date.date())
        self._normalise_months()

    def _normalise_months(self) -> None:
        if self.availability != "seasonal":
            object.__setattr__(self, "seasonal_months", ())
            return
        months = set()
        for month in self.seasonal_months:
            if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
                raise InvalidListing("seasonal_months", "month_invalid")
            months.add(month)
        if not months:
            raise InvalidListing("seasonal_months", "seasonal_months_missing")
        object.__setattr__(self, "seasonal_months", tuple(sorted(months)))

    @property
    def label(self) -> str:
        """What reports call this listing: its id, else its ref, else its name."""
        return self.id or self.ref or self.name

    def in_stock_on(self, day: date) -> bool:
        """Whether the product can be ordered on ``day`` (seasonal goods only in season)."""
        if self.availability == Availability.SEASONAL:
            return day.month in self.seasonal_months
        return self.availability == Availability.IN_STOCK

