"""`flask catalog export --format csv` -> `flask catalog import` -> export again gives the same
bytes, end to end through the real importer; photos with non-ASCII file names leave as ASCII
image URLs."""
import re

from accounts.models import Role
from catalog.models import Product, ProductPhoto
from extensions import db
from tests.conftest import close_app
from tests.factories import build_world, parse_google_xml, parse_own_csv
from tests.integration.test_import_roundtrip import create_fresh_app
from tests.unit.importer_files import csv_bytes, jpeg_bytes, product_row, write

BASE = "https://choque.example"


def export_csv(runner, target):
    result = runner.invoke(args=["catalog", "export", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


def import_csv(runner, path):
    result = runner.invoke(args=["catalog", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_import_export_is_byte_identical(app, runner, make_user, tmp_path):
    build_world(app, make_user)  # photos, a lapsed certificate, a formula, an NFD title, no price
    first = export_csv(runner, tmp_path / "first.csv")
    output = import_csv(runner, tmp_path / "first.csv")
    assert "Products added: 0" in output
    second = export_csv(runner, tmp_path / "second.csv")
    assert second == first
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 9  # no photo added twice


def test_export_into_an_empty_catalogue_exports_the_same(app, runner, make_user, tmp_path):
    build_world(app, make_user)
    with app.app_context():
        # An empty catalogue cannot take back from a file alone what the file only names: photos
        # (file names of another site) and a lapsed certificate (no stars to recreate it from).
        db.session.execute(db.delete(ProductPhoto))
        db.session.execute(db.update(Product).values(certificate_id=None).where(Product.ref == "CC-1"))
        db.session.commit()
    first = export_csv(runner, tmp_path / "first.csv")
    fresh = create_fresh_app(tmp_path / "fresh")
    try:
        fresh_runner = fresh.test_cli_runner()
        output = import_csv(fresh_runner, tmp_path / "first.csv")
        assert "Products added: 8" in output
        assert export_csv(fresh_runner, tmp_path / "again.csv") == first
    finally:
        close_app(fresh)


def test_non_ascii_photo_names_leave_as_ascii_urls(client, runner, make_user, tmp_path):
    make_user(role=Role.ADMIN)
    folder = tmp_path / "sheet"
    write(folder, "mật ong bạc hà.jpg", jpeg_bytes(size=(1600, 1200)))
    write(folder, "ảnh phụ (2).jpg", jpeg_bytes(size=(900, 900), stripes=3))
    sheet = write(folder, "danh sách.csv", csv_bytes([product_row(images="mật ong bạc hà.jpg; ảnh phụ (2).jpg")]))
    result = runner.invoke(args=["catalog", "import", str(sheet), "--verify", "--lang", "en"])
    assert result.exit_code == 0 and "Photos added: 2" in result.output, result.output
    feed = runner.invoke(args=["catalog", "export", "--format", "google-xml"])
    (item,) = parse_google_xml(feed.stdout_bytes).values()
    urls = [item["image_link"]] + item.get("additional_image_link", [])
    assert len(urls) == 2
    for url in urls:
        assert url.isascii() and re.fullmatch(re.escape(BASE) + r"/anh/[0-9a-f]{32}/1200\.jpg", url)
        with client.get(url.removeprefix(BASE)) as response:
            assert response.status_code == 200 and response.mimetype == "image/jpeg"
    (row,) = parse_own_csv(runner.invoke(args=["catalog", "export", "--format", "csv"]).stdout_bytes)
    assert re.fullmatch(r"[0-9a-f]{32}\.webp;[0-9a-f]{32}\.webp", row["images"])
