"""Rows of a JSON import file: a list of objects with the import's column names as keys, as
our own JSON export writes it (catalog.exporters.ourjson). Pure module.

Values keep their JSON types (numbers stay numbers), ``null`` is an empty cell and a list (the
``images`` names) becomes one cell of names joined by ";". JSON is not opened in spreadsheet
programs, so its text carries no formula guard and none is removed. The first row given back
is the header: every key, in the order the objects first use them.
"""
from __future__ import annotations

import json

from .messages import ImportFileError

SEPARATOR = ";"


def looks_like_json(text: str) -> bool:
    """JSON import files are lists of objects; no CSV header starts with '[' or '{'."""
    return text.lstrip()[:1] in ("[", "{")


def json_rows(text: str):
    """The header, then one row of cells per object. Raises ImportFileError."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError("json_invalid", line=error.lineno) from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportFileError("json_not_products")
    header: dict[str, None] = {}
    for item in items:
        header.update(dict.fromkeys(item))
    columns = list(header)
    yield columns
    for item in items:
        yield [_cell(item.get(column)) for column in columns]


def _cell(value):
    if isinstance(value, list):
        return SEPARATOR.join(str(part) for part in value if part is not None)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
