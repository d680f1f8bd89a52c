"""`flask --app app catalog import PATH [--verify] [--dry-run]` against a real database."""
import dataclasses
import os

import pytest

from accounts.models import Role
from catalog.importer import apply
from catalog.models import Product, ProductPhoto, ProductStatus
from extensions import db
from producers.models import AuditEvent, Certificate, Producer, ProducerStatus
from tests.unit.importer_files import GIA_PHU, LAO_CAI, csv_bytes, jpeg_bytes, product_row, write, xlsx_bytes, \
    zip_bytes


def rows_three():
    return [
        product_row(),
        product_row(ref="CHE-1", name="Chè Shan tuyết Gia Phú", category="Chè (trà)", stars="3",
                    price_vnd="120000", unit="hộp 200g", certificate_no="12/QĐ-UBND", certificate_date="2023-03-01",
                    weight_g="250", availability="theo mùa: 3-5"),
        product_row(ref="GAO-5", name="Gạo Séng Cù", category="3", stars="4", price_vnd="180.000",
                    unit="túi 5kg", producer_name="Hộ kinh doanh Lò Văn Sáng", producer_type="ho kinh doanh",
                    province="Tỉnh Lào Cai", commune="Xã Không Có", certificate_no="", certificate_date="",
                    phone="", tax_code="", weight_g="5000"),
    ]


def run(runner, path, *args):
    result = runner.invoke(args=["catalog", "import", str(path), "--lang", "en", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def counts(app):
    with app.app_context():
        return {model.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(model))
                for model in (Producer, Product, Certificate, ProductPhoto, AuditEvent)}


def image_files(app):
    root = app.config["UPLOAD_DIR"]
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files
                  if not d.endswith("imports"))


def summary_line(result, label):
    return next(line for line in result.output.splitlines() if line.startswith(label + ":")).split(": ")[1]


def test_import_creates_producers_products_and_certificates(app, runner, tmp_path):
    path = write(tmp_path, "ds.csv", csv_bytes(rows_three()))
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert summary_line(result, "Rows read") == "3"
    assert summary_line(result, "Producers added") == "2"
    assert summary_line(result, "Products added") == "3"
    assert summary_line(result, "Rows refused") == "0"
    assert "Row 4 · commune [warning]: “Xã Không Có” is not a commune of Lào Cai today" in result.output
    with app.app_context():
        htx = db.session.scalar(db.select(Producer).filter_by(legal_name="HTX Chè Gia Phú"))
        assert (htx.owner_id, htx.source, htx.status) == (None, "import", ProducerStatus.SUBMITTED)
        assert (htx.province_code, htx.commune_code, htx.kind) == (LAO_CAI, GIA_PHU, "cooperative")
        assert (htx.phone, htx.tax_code) == ("+84912345678", "0100233488")
        household = db.session.scalar(db.select(Producer).filter_by(kind="household"))
        assert household.commune_code is None and household.address == "Xã Không Có, Lào Cai"
        honey = db.session.scalar(db.select(Product).filter_by(ref="MO-500"))
        assert (honey.price_vnd, honey.unit, honey.weight_g, honey.status) == (250000, "chai 500ml", 700,
                                                                                 ProductStatus.PUBLISHED)
        assert honey.certificate.stars == 4 and honey.certificate.issuing_body == "UBND tỉnh Lào Cai"
        assert honey.certificate.decision_no == "3981/QĐ-UBND"
        tea = db.session.scalar(db.select(Product).filter_by(ref="CHE-1"))
        assert (tea.availability, tea.season_months, tea.product_set_code) == ("seasonal", "3,4,5", 11)
        rice = db.session.scalar(db.select(Product).filter_by(ref="GAO-5"))
        assert rice.certificate is None  # stars without a decision: no badge (and a warning)
        assert not db.session.scalars(Product.public()).all()  # nobody verified these producers yet
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert actions.count("producer_imported") == 2 and actions.count("product_created") == 3


def test_reimport_changes_nothing(app, runner, tmp_path):
    path = write(tmp_path, "ds.xlsx", xlsx_bytes(rows_three()))
    run(runner, path)
    before = counts(app)
    again = run(runner, path)
    assert summary_line(again, "Products unchanged") == "3"
    for label in ("Products added", "Products updated", "Producers added", "Producers updated", "Photos added"):
        assert summary_line(again, label) == "0"
    assert counts(app) == before


def test_changed_rows_update_only_what_changed(app, runner, tmp_path):
    run(runner, write(tmp_path, "a.csv", csv_bytes(rows_three())))
    rows = rows_three()
    rows[0]["price_vnd"] = "260.000"
    rows[1]["description"] = ""  # empty: keep what is there
    rows[2]["producer_name"] = "hộ kinh doanh  LÒ VĂN SÁNG"  # same producer, other spelling
    result = run(runner, write(tmp_path, "b.csv", csv_bytes(rows)))
    assert summary_line(result, "Products updated") == "1"
    assert summary_line(result, "Products unchanged") == "2"
    assert summary_line(result, "Producers added") == "0"
    with app.app_context():
        honey = db.session.scalar(db.select(Product).filter_by(ref="MO-500"))
        assert honey.price_vnd == 260000
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="product_updated")).one()
        assert event.changes["price_vnd"] == {"from": 250000, "to": 260000}
        assert "Nhập từ bảng tính b.csv, dòng 2" == event.reason
        assert db.session.scalar(db.select(Product).filter_by(ref="CHE-1")).description == "Mật ong nguyên chất."


def test_dry_run_shows_changes_and_leaves_database_and_files_untouched(app, runner, tmp_path):
    folder = tmp_path / "ds"
    write(folder, "mo.jpg", jpeg_bytes())
    path = write(folder, "ds.csv", csv_bytes([product_row(images="mo.jpg")] + rows_three()[1:]))
    before, files_before = counts(app), image_files(app)
    result = run(runner, path, "--dry-run")
    assert "Dry run: nothing was changed." in result.output
    assert "Row 2: would add MO-500 Mật ong bạc hà (HTX Chè Gia Phú)" in result.output
    assert summary_line(result, "Products added") == "3"
    assert summary_line(result, "Producers added") == "2"
    assert summary_line(result, "Photos added") == "1"
    assert counts(app) == before
    assert image_files(app) == files_before
    real = run(runner, path)
    assert summary_line(real, "Products added") == "3" and summary_line(real, "Photos added") == "1"


def test_dry_run_of_changes_on_existing_products(app, runner, tmp_path):
    run(runner, write(tmp_path, "a.csv", csv_bytes(rows_three())))
    rows = rows_three()
    rows[1]["unit"] = "hộp 250g"
    before = counts(app)
    result = run(runner, write(tmp_path, "b.csv", csv_bytes(rows)), "--dry-run")
    assert "Row 3: would change CHE-1 Chè Shan tuyết Gia Phú: unit" in result.output
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(db.select(Product.unit).filter_by(ref="CHE-1")) == "hộp 200g"


def test_verify_makes_new_producers_public_at_once(app, runner, tmp_path, make_user):
    admin_id, admin_phone = make_user(role=Role.ADMIN)
    result = run(runner, write(tmp_path, "ds.csv", csv_bytes(rows_three())), "--verify", "--admin", admin_phone)
    assert result.exit_code == 0, result.output
    with app.app_context():
        public = db.session.scalars(Product.public()).all()
        assert sorted(product.ref for product in public) == ["CHE-1", "GAO-5", "MO-500"]
        producer = db.session.scalar(db.select(Producer).filter_by(legal_name="HTX Chè Gia Phú"))
        assert producer.status == ProducerStatus.VERIFIED and producer.verified_at is not None
        assert producer.created_by_id == admin_id
        approved = db.session.scalars(db.select(AuditEvent).filter_by(action="approved")).all()
        assert len(approved) == 2 and {event.actor_id for event in approved} == {admin_id}


def test_verify_needs_an_administrator(runner, tmp_path):
    result = runner.invoke(args=["catalog", "import", str(write(tmp_path, "ds.csv", csv_bytes(rows_three()))),
                                 "--verify"])
    assert result.exit_code != 0
    assert "administrator" in result.output


def test_invalid_rows_are_skipped_while_valid_ones_import(app, runner, tmp_path):
    rows = rows_three() + [product_row(ref="X-1", stars="7", province="Atlantis"), product_row(ref="X-2", name="")]
    result = run(runner, write(tmp_path, "ds.csv", csv_bytes(rows)))
    assert summary_line(result, "Rows refused") == "2"
    assert summary_line(result, "Products added") == "3"
    assert "Row 5 · stars [refused]: OCOP stars must be 3, 4 or 5, not “7”." in result.output
    assert "Row 5 · province [refused]" in result.output and "Row 6 · name [refused]" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Product)) == 3


def test_duplicate_refs_in_one_file_are_refused(runner, tmp_path):
    rows = [product_row(), product_row(name="Mật ong khác")]
    result = run(runner, write(tmp_path, "ds.csv", csv_bytes(rows)))
    assert "Row 3 · ref [refused]: Row 2 already has a product MO-500 of this producer." in result.output


def test_file_errors_stop_the_command_with_a_clear_message(runner, tmp_path):
    zipped = zip_bytes({"ds.csv": csv_bytes([product_row()]), "../../x.jpg": jpeg_bytes()})
    result = runner.invoke(args=["catalog", "import", str(write(tmp_path, "goi.zip", zipped)), "--lang", "en"])
    assert result.exit_code == 1
    assert "points outside the archive (../../x.jpg)" in result.output
    missing = runner.invoke(args=["catalog", "import", str(write(tmp_path, "ds.csv", b"ref,name\nA,B\n")),
                                  "--lang", "en"])
    assert missing.exit_code == 1 and "These columns are missing" in missing.output


def test_photos_beside_the_sheet_are_imported_once(app, runner, tmp_path):
    folder = tmp_path / "ds"
    write(folder, "anh/mo-1.jpg", jpeg_bytes(color=(200, 150, 20)))
    write(folder, "anh/mo-2.jpg", jpeg_bytes(color=(20, 150, 200)))
    rows = [product_row(images="anh/mo-1.jpg;anh/mo-2.jpg;anh/khong-co.jpg")]
    path = write(folder, "ds.csv", csv_bytes(rows))
    result = run(runner, path)
    assert summary_line(result, "Photos added") == "2"
    assert "The photo anh/khong-co.jpg was not found beside the spreadsheet." in result.output
    files = image_files(app)
    assert len(files) == 6  # two photos, three renditions each
    again = run(runner, path)
    assert summary_line(again, "Photos added") == "0" and summary_line(again, "Products unchanged") == "1"
    assert image_files(app) == files
    with app.app_context():
        photos = db.session.scalars(db.select(ProductPhoto).order_by(ProductPhoto.position)).all()
        assert [photo.position for photo in photos] == [0, 1]


def test_zip_with_photos_and_a_bad_photo(app, runner, tmp_path):
    data = zip_bytes({"ds.xlsx": xlsx_bytes([product_row(images="mo.jpg;hong.jpg")]), "mo.jpg": jpeg_bytes(),
                      "hong.jpg": b"GIF89a not really"})
    result = run(runner, write(tmp_path, "goi.zip", data))
    assert summary_line(result, "Photos added") == "1"
    assert "The photo hong.jpg was not used:" in result.output
    assert summary_line(result, "Products added") == "1"


def test_a_failing_row_leaves_nothing_behind(app, runner, tmp_path, monkeypatch):
    folder = tmp_path / "ds"
    write(folder, "boom.jpg", jpeg_bytes(color=(1, 99, 1)))
    rows = rows_three() + [
        product_row(ref="BOOM", producer_name="HTX Nổ Tung", images="boom.jpg"),  # written alone (photo)
        product_row(ref="BOOM-2", producer_name="HTX Nổ Nữa", certificate_no="77/QĐ-UBND"),  # in a batch
        product_row(ref="AFTER", name="Mật ong sau cùng"),
    ]
    write_rows = apply._Run._write_rows

    def failing(self, plan, saved):
        if plan.record.ref.startswith("BOOM"):
            plan.record = dataclasses.replace(plan.record, name=None)  # NOT NULL: the database refuses it
            plan.product_changes["name"] = (None, None)
        write_rows(self, plan, saved)

    monkeypatch.setattr(apply._Run, "_write_rows", failing)
    result = run(runner, write(folder, "ds.csv", csv_bytes(rows)))
    assert summary_line(result, "Rows refused") == "2" and summary_line(result, "Products added") == "4"
    assert "Row 5 [refused]: This row could not be saved, and nothing of it was kept" in result.output
    assert "Row 6 [refused]: This row could not be saved" in result.output
    with app.app_context():
        assert db.session.scalars(db.select(Producer.legal_name).where(Producer.legal_name.like("HTX Nổ%"))).all() == []
        assert db.session.scalars(db.select(Product.ref).order_by(Product.ref)).all() == [
            "AFTER", "CHE-1", "GAO-5", "MO-500"]
        assert db.session.scalar(db.select(db.func.count()).select_from(ProductPhoto)) == 0
        numbers = db.session.scalars(db.select(Certificate.decision_no).order_by(Certificate.id)).all()
        assert "77/QĐ-UBND" not in numbers and len(numbers) == 3  # MO-500, CHE-1 and AFTER's own
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.reason.like("%dòng 5%") | AuditEvent.reason.like("%dòng 6%"))) == 0
    assert image_files(app) == []


def test_progress_and_default_language_run(runner, tmp_path):
    result = runner.invoke(args=["catalog", "import", str(write(tmp_path, "ds.csv", csv_bytes(rows_three())))])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("commit_every", [1, 2])
def test_small_batches_give_the_same_result(app, tmp_path, commit_every):
    from catalog.importer.apply import ImportOptions, import_file
    from media.storage import ImageStore

    with app.app_context():
        report = import_file(write(tmp_path, "ds.csv", csv_bytes(rows_three())),
                             ImportOptions(commit_every=commit_every), ImageStore(app.config["UPLOAD_DIR"]))
        assert (report.products_created, report.producers_created, report.rows_refused) == (3, 2, 0)
    assert counts(app)["products"] == 3


def test_the_sample_file_with_vietnamese_headers_imports(app, runner):
    sample = os.path.join(os.path.dirname(__file__), "..", "fixtures", "import", "mau-nhap-san-pham.csv")
    result = run(runner, sample)
    assert summary_line(result, "Rows read") == "4"
    assert summary_line(result, "Producers added") == "3"  # Hà Giang is now part of Tuyên Quang
    assert summary_line(result, "Products added") == "4"
    assert summary_line(result, "Rows refused") == "0"
    assert "Row 5 · Số sao [warning]" in result.output  # stars without a decision: no badge
    assert "Row 6 · Xã/Phường [warning]" in result.output
    with app.app_context():
        rice = db.session.scalar(db.select(Product).filter_by(ref="gao-seng-cu-muong-khuong"))
        assert (rice.price_vnd, rice.weight_g, rice.product_set_code) == (120000, 5000, 3)
        sauce = db.session.scalar(db.select(Product).filter_by(ref="NM-01"))
        assert (sauce.price_vnd, sauce.availability) == (95000, "out_of_stock")
        assert sauce.producer.tax_code == "0100233488-001"
    assert summary_line(run(runner, sample), "Products unchanged") == "4"
