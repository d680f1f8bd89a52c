"""What a row would change on an existing product, compared the way people read it. Pure.

Text is compared after the same cleaning the import applies, so a description typed with CR LF
on a phone equals the LF text of an export, and re-importing an export changes nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from places import units
from vntext import nfc

from .values import clean_block, clean_line

TEXT_LINE_FIELDS = ("name", "unit")
LONG_TEXT_FIELDS = ("description",)
OPTIONAL_FIELDS = ("description", "price_vnd", "unit", "weight_g")


def wanted_values(record) -> dict[str, object]:
    """The product columns this row sets: always the name, the others only when given (a row
    naming only a group, or a follow-up sheet without categories, keeps the set on record)."""
    values = {"name": record.name}
    if record.product_set_code is not None:
        values["product_set_code"] = record.product_set_code
    for name in OPTIONAL_FIELDS:
        value = getattr(record, name)
        if value is not None:
            values[name] = value
    if record.availability is not None:
        values["availability"] = record.availability
        values["season_months"] = ",".join(str(month) for month in record.season_months)
    return values


def _comparable(name: str, value):
    if name in LONG_TEXT_FIELDS:
        return clean_block(value)
    if name in TEXT_LINE_FIELDS or name == "season_months":
        return clean_line(value)
    return value


def product_changes(record, product) -> dict[str, tuple]:
    """{column: (old, new)}; for a new product (None) every wanted value, old None."""
    values = wanted_values(record)
    if product is None:
        return {name: (None, value) for name, value in values.items()}
    return {name: (getattr(product, name), value) for name, value in values.items()
            if _comparable(name, getattr(product, name)) != _comparable(name, value)}


def audit_changes(changes: dict[str, tuple]) -> dict:
    """Changes for the audit log; long texts are noted, not copied."""
    return {name: ("changed" if name in LONG_TEXT_FIELDS else {"from": old, "to": new})
            for name, (old, new) in changes.items()}


@lru_cache(maxsize=8192)
def decision_key(number: str) -> str:
    """'3981 / qđ-ubnd' and '3981/QĐ-UBND' are the same decision."""
    return re.sub(r"\s+", "", nfc(number or "")).upper()


def issuing_body(province_code: int) -> str:
    """Who recognises OCOP products by default: the province's People's Committee."""
    province = units.province(province_code)
    if province is None:
        return "UBND tỉnh"
    if province.name.startswith("Thành phố"):
        return f"UBND thành phố {province.short_name}"
    return f"UBND tỉnh {province.short_name}"
