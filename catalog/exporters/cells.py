"""Spreadsheet formula-injection guard for our own CSV, for both directions.

Only files meant to be opened in spreadsheet programs get it: our CSV. XLSX
files carry typed string cells instead, and machine-read feeds (Google TSV,
Meta CSV, JSON) keep the text exactly as it is.

A text cell that starts with ``= + - @``, tab, CR or NUL can run as a formula
when a spreadsheet opens the file, so the exporter prefixes one apostrophe.
To keep the import side exact, a text that already starts with apostrophes
followed by one of those characters also gets one more apostrophe; the
importer removes exactly one again. So ``restore_cell(neutralise_cell(t)) ==
t`` for every text ``t``, including ones such as ``'=A1`` typed on purpose.

Numbers are never passed through here: they stay numeric cells (XLSX) or
plain digits (CSV).
"""
import re

FORMULA_TRIGGERS = "=+-@\t\r\0"
_FIRST_CHARS = frozenset(FORMULA_TRIGGERS + "'")

_NEEDS_GUARD = re.compile("'*[" + re.escape(FORMULA_TRIGGERS) + "]")
_GUARDED = re.compile("'+[" + re.escape(FORMULA_TRIGGERS) + "]")


def neutralise_cell(text: str) -> str:
    """Prefix one apostrophe when the text could start a formula."""
    if text and text[0] in _FIRST_CHARS and _NEEDS_GUARD.match(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Undo ``neutralise_cell``: drop one apostrophe before a formula trigger."""
    if text and text[0] == "'" and _GUARDED.match(text):
        return text[1:]
    return text
