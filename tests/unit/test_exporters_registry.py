"""Registry shape and the translatable problem messages."""
import re

import pytest

from catalog.exporters import EXPORTERS, MESSAGES, ExportError, Exporter, Problem


def test_registry_lists_every_format_once():
    assert list(EXPORTERS) == [
        "google-xml", "google-tsv", "meta-csv", "shopee-xlsx", "tiktok-xlsx", "lazada-xlsx", "csv", "json", "zip"]
    for name, exporter in EXPORTERS.items():
        assert isinstance(exporter, Exporter)
        assert exporter.name == name and exporter.label
        assert "/" in exporter.media_type
    assert {e.file_extension for e in EXPORTERS.values()} == {"xml", "tsv", "csv", "xlsx", "json", "zip"}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_formats_with_its_placeholders(code):
    params = {name: f"<{name}>" for name in re.findall(r"%\((\w+)\)s", MESSAGES[code])}
    message = Problem("field", code, params).message
    assert all(value in message for value in params.values())
    assert "%(" not in message


def test_export_error_carries_a_problem():
    error = ExportError("csv_columns_missing", columns="name")
    assert error.problem.code == "csv_columns_missing"
    assert str(error) == "The file lacks these columns: name."


def test_exporters_stay_free_of_flask_and_the_database():
    import pathlib

    package = pathlib.Path(EXPORTERS["csv"].__module__.replace(".", "/")).parent
    root = pathlib.Path(__file__).resolve().parents[2]
    for module in (root / package).glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (flask|flask_\w+|sqlalchemy|extensions)\b", source, re.M), module
