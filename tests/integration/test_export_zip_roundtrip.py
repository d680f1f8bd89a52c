"""Our ZIP export (sheet + photos) and our JSON export come back whole: export → import into an
empty site → export gives the same bytes, photos, a lapsed certificate and a season included."""
import io
import json
import zipfile
from datetime import date, timedelta

from catalog.exporters import EXPORTERS
from catalog.feeds import channel_options
from catalog.importer.apply import ImportOptions, import_file
from catalog.listings import ExportScope, run_export
from catalog.models import Product, ProductPhoto
from extensions import db
from media.storage import ImageStore
from tests.factories import jpeg
from tests.integration.fresh_site import empty_site
from tests.unit.importer_files import csv_bytes, product_row, write

LAPSED = (date.today() - timedelta(days=40 * 31)).strftime("%d/%m/%Y")  # 36 months is the validity


def catalogue_rows():
    return [
        product_row(images="mat-ong.jpg; mat-ong-2.jpg", description="=1+1 trông như công thức"),
        product_row(ref="CHE-1", name="-Chè Shan tuyết cổ thụ", category="11", stars="3",
                    certificate_no="12/QĐ-UBND", certificate_date=LAPSED, availability="theo mùa: 11-2",
                    images="che.jpg"),
        product_row(ref="GAO-5", name="Gạo Séng Cù", category="3", stars="", certificate_no="",
                    certificate_date="", producer_name="Hộ kinh doanh Lò Văn Sáng", producer_type="household",
                    tax_code="001203012345", unit="@túi 5kg", images="gao.jpg", availability="theo mùa: 6-7"),
    ]


def first_site(app, tmp_path):
    folder = tmp_path / "source"
    write(folder, "mat-ong.jpg", jpeg((1600, 1200)))
    write(folder, "mat-ong-2.jpg", jpeg((900, 1400)))
    write(folder, "che.jpg", jpeg((700, 500)))
    write(folder, "gao.jpg", jpeg((2000, 2000)))
    report = do_import(app, write(folder, "ds.csv", csv_bytes(catalogue_rows())))
    assert (report.products_created, report.photos_added, report.rows_refused) == (3, 4, 0), report.issues


def do_import(app, path):
    with app.app_context():
        report = import_file(path, ImportOptions(source_name=path.name), ImageStore(app.config["UPLOAD_DIR"]),
                             photo_dir=path.parent)
        assert report.file_error is None, report.file_error
        return report


def export(app, format_name) -> bytes:
    with app.app_context(), app.test_request_context():
        buffer = io.BytesIO()
        report = run_export(EXPORTERS[format_name], ExportScope(), buffer, **channel_options(format_name))
        assert report.skipped == [] and report.warnings == []
        return buffer.getvalue()


def test_zip_export_imported_into_an_empty_site_exports_the_same_bytes(app, tmp_path):
    first_site(app, tmp_path)
    exported = export(app, "zip")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        names = archive.namelist()
        sheet = archive.read("choque.csv").decode("utf-8-sig")
    assert names[0] == "choque.csv" and len(names) == 1 + 4  # the sheet and every photo it names
    assert ",3," in sheet.splitlines()[2] and "seasonal:11-2" in sheet  # lapsed stars kept, season kept

    with empty_site(tmp_path / "empty") as other:
        report = do_import(other, write(tmp_path / "transfer", "choque-zip.zip", exported))
        assert (report.products_created, report.photos_added, report.rows_refused) == (3, 4, 0)
        assert export(other, "zip") == exported
        with other.app_context():
            tea = db.session.scalar(db.select(Product).filter_by(ref="CHE-1"))
            assert tea.certificate.stars == 3 and tea.stars(date.today()) is None  # recorded, not shown
            assert tea.availability == "seasonal" and tea.season_months == "1,2,11,12"


def test_zip_imported_back_into_the_same_site_adds_nothing(app, tmp_path):
    first_site(app, tmp_path)
    exported = export(app, "zip")
    report = do_import(app, write(tmp_path / "again", "choque.zip", exported))
    assert (report.products_created, report.products_updated, report.photos_added) == (0, 0, 0)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 4
    assert export(app, "zip") == exported


def test_json_export_imports_back_into_an_empty_site(app, tmp_path):
    first_site(app, tmp_path)
    with app.app_context():  # JSON names photos it does not carry: compare without them
        db.session.execute(db.delete(ProductPhoto))
        db.session.commit()
    exported = export(app, "json")
    assert json.loads(exported)[1]["stars"] == 3
    with empty_site(tmp_path / "empty") as other:
        report = do_import(other, write(tmp_path / "transfer", "choque.json", exported))
        assert (report.products_created, report.rows_refused) == (3, 0), report.issues
        assert export(other, "json") == exported


def test_json_export_reimported_changes_nothing(app, tmp_path):
    first_site(app, tmp_path)
    exported = export(app, "json")
    report = do_import(app, write(tmp_path / "again", "choque.json", exported))
    assert (report.products_created, report.products_updated, report.rows_refused) == (0, 0, 0)
    assert {issue.code for issue in report.issues} <= {"photo_missing", "certificate_expired"}  # the world has a lapsed certificate: said, not refused
    assert export(app, "json") == exported


def test_a_broken_json_file_says_what_is_wrong(app, tmp_path):
    report_for = {}
    for name, content in (("cut.json", b'[{"name": "M\xe1\xba\xadt ong", '), ("object.json", b'{"name": 1}')):
        with app.app_context():
            report_for[name] = import_file(write(tmp_path, name, content), ImportOptions(),
                                           ImageStore(app.config["UPLOAD_DIR"]))
    assert report_for["cut.json"].file_error.code == "json_invalid"
    assert report_for["object.json"].file_error.code == "json_not_products"
