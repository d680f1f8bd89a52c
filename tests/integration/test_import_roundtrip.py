"""Our CSV export -> import -> export gives the same bytes (catalog.exporters.ourcsv defines the
format; the import reads the same columns and removes the export's formula guard)."""
import io
from datetime import date, timedelta

from catalog.exporters import EXPORTERS
from catalog.importer.apply import ImportOptions, import_file
from catalog.listings import ExportScope, run_export
from catalog.models import Product
from extensions import db
from media.storage import ImageStore
from tests.conftest import close_app, make_test_config
from tests.unit.importer_files import csv_bytes, jpeg_bytes, product_row, write, zip_bytes

RECENT = (date.today() - timedelta(days=100)).isoformat()
EXPIRED = (date.today() - timedelta(days=40 * 31)).isoformat()


def catalogue_rows():
    return [
        product_row(description="=1+1 looks like a formula\nsecond line", certificate_date=RECENT,
                    images="mo.jpg"),
        product_row(ref="CHE-1", name="-Chè Shan tuyết", category="11", stars="3", certificate_no="12/QĐ-UBND",
                    certificate_date=EXPIRED, availability="theo mùa: 11-2", price_vnd="", weight_g=""),
        product_row(ref="GAO-5", name="Gạo Séng Cù", category="3", stars="", certificate_no="",
                    certificate_date="", producer_name="Hộ kinh doanh Lò Văn Sáng", producer_type="household",
                    commune="Xã Không Có", phone="", tax_code="001203012345", unit="@túi 5kg"),
    ]


def export() -> bytes:
    """The catalogue through the real CSV export (catalog.listings + catalog.exporters.ourcsv)."""
    buffer = io.BytesIO()
    report = run_export(EXPORTERS["csv"], ExportScope(), buffer)
    assert report.skipped == []
    return buffer.getvalue()


def do_import(app, path, **options):
    with app.app_context():
        return import_file(path, ImportOptions(**options), ImageStore(app.config["UPLOAD_DIR"]), photo_dir=path.parent)


def test_export_import_export_is_byte_identical(app, tmp_path):
    folder = tmp_path / "first"
    write(folder, "mo.jpg", jpeg_bytes())
    first = do_import(app, write(folder, "ds.csv", csv_bytes(catalogue_rows())))
    assert (first.products_created, first.photos_added, first.rows_refused) == (3, 1, 0)
    with app.app_context():
        exported = export()
    assert b"'=1+1 looks like a formula" in exported and b"'-Ch\xc3\xa8" in exported  # guarded by the export
    assert b"seasonal:11-2" in exported

    again = do_import(app, write(tmp_path / "second", "export.csv", exported))
    assert again.products_unchanged == 3
    assert (again.products_created, again.products_updated, again.producers_updated, again.photos_added) == (0,) * 4
    assert {issue.code for issue in again.issues} <= {"photo_missing", "commune_unknown", "certificate_incomplete", "certificate_expired"}
    with app.app_context():
        assert export() == exported


def test_a_zip_of_the_export_and_its_photos_adds_no_photo(app, tmp_path):
    folder = tmp_path / "first"
    write(folder, "mo.jpg", jpeg_bytes(size=(1600, 1200)))
    do_import(app, write(folder, "ds.csv", csv_bytes(catalogue_rows())))
    store = ImageStore(app.config["UPLOAD_DIR"])
    with app.app_context():
        exported = export()
        key = db.session.scalar(db.select(Product).filter_by(ref="MO-500")).photos[0].image_key
    bundle = zip_bytes({"export.csv": exported, f"{key}.webp": store.path_for(key, 1200).read_bytes()})
    report = do_import(app, write(tmp_path, "export.zip", bundle))
    assert (report.photos_added, report.products_unchanged) == (0, 3)


def test_export_imported_into_an_empty_catalogue_exports_the_same(app, tmp_path):
    rows = [row for row in catalogue_rows() if row["certificate_date"] != EXPIRED]  # lapsed ones have no stars
    for row in rows:
        row["images"] = ""
    do_import(app, write(tmp_path, "ds.csv", csv_bytes(rows)))
    with app.app_context():
        exported = export()
    other = create_fresh_app(tmp_path / "fresh")
    do_import(other, write(tmp_path / "fresh", "export.csv", exported))
    try:
        with other.app_context():
            assert export() == exported
    finally:
        close_app(other)


def create_fresh_app(folder):
    from app import create_app

    folder.mkdir(parents=True, exist_ok=True)
    fresh = create_app(make_test_config(folder, None))
    with fresh.app_context():
        db.create_all()
    return fresh
