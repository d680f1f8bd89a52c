"""Moving a catalogue to another site through the command line, as an administrator would:

    flask catalog import ds.csv            (photos beside the sheet)
    flask catalog export --format zip --output choque.zip
    flask catalog import choque.zip        (on a fresh, empty site)
    flask catalog export --format zip      (on that site)

The two ZIP files are the same bytes: the sheet, every photo, a lapsed certificate's stars and a
seasonal product's months all came across."""
import csv
import io
import zipfile
from datetime import date, timedelta

from accounts.models import Role
from tests.factories import jpeg
from tests.integration.fresh_site import empty_site
from tests.unit.importer_files import csv_bytes, product_row, write

LAPSED = (date.today() - timedelta(days=40 * 31)).isoformat()


def cli(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def test_zip_export_moves_a_catalogue_to_an_empty_site(runner, make_user, tmp_path):
    make_user(role=Role.ADMIN)
    source = tmp_path / "source"
    write(source, "mat ong.jpg", jpeg((1600, 1200)))
    write(source, "che.jpg", jpeg((800, 1000)))
    rows = [product_row(images="mat ong.jpg"),
            product_row(ref="CHE-1", name="Chè Shan tuyết cổ thụ", category="11", stars="3",
                        certificate_no="12/QĐ-UBND", certificate_date=LAPSED, availability="theo mùa: 11-2",
                        images="che.jpg")]
    imported = cli(runner, "catalog", "import", str(write(source, "ds.csv", csv_bytes(rows))), "--verify",
                   "--lang", "en")
    assert "Photos added: 2" in imported.output

    first = tmp_path / "choque.zip"
    exported = cli(runner, "catalog", "export", "--format", "zip", "--output", str(first), "--lang", "en")
    assert "Exported: 2" in exported.output
    with zipfile.ZipFile(first) as archive:
        assert len(archive.namelist()) == 3 and archive.namelist()[0] == "choque.csv"

    with empty_site(tmp_path / "empty") as other:
        other_runner = other.test_cli_runner()
        moved = cli(other_runner, "catalog", "import", str(first), "--lang", "en")
        assert "Photos added: 2" in moved.output
        again = cli(other_runner, "catalog", "export", "--format", "zip")
        assert again.stdout_bytes == first.read_bytes()
        with zipfile.ZipFile(io.BytesIO(again.stdout_bytes)) as archive:
            rows = list(csv.DictReader(io.StringIO(archive.read("choque.csv").decode("utf-8-sig"))))
        tea = next(row for row in rows if row["ref"] == "CHE-1")
        assert (tea["stars"], tea["certificate_date"], tea["availability"]) == ("3", LAPSED, "seasonal:11-2")
