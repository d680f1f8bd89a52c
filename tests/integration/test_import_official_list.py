"""Issue 11: a province's official OCOP list as published (tests/fixtures/import/
ocop-list-lao-cai-2023.xlsx: title and decision lines above the header, STT, product, owner,
address with the former district, 1048-era group labels, "3 sao", decision number and date,
a total line), then a follow-up sheet that completes the same products."""
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from accounts.models import Role
from catalog.models import Product, ProductStatus
from extensions import db
from places import units
from producers.models import Certificate, Producer, ProducerStatus
from tests.unit.importer_files import csv_bytes, jpeg_bytes, product_row, write, xlsx_bytes

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "ocop-list-lao-cai-2023.xlsx"
FOLLOW_UP_HEADER = ["Tên sản phẩm", "Chủ thể", "Tỉnh", "Giá bán", "Đơn vị tính", "Mô tả", "Ảnh"]


@pytest.fixture
def app_config():
    """A missing search index is rebuilt in the request, not in a thread that would outlive
    the test's database."""
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


def run(runner, path, *args):
    result = runner.invoke(args=["catalog", "import", str(path), "--lang", "en", *args])
    assert result.exit_code == 0, result.output
    return result


def summary(result, label):
    return int(next(line for line in result.output.splitlines() if line.startswith(label + ":")).split(": ")[1])


def commune_name(code):
    return units.commune(code).name if code else None


def test_the_lao_cai_list_imports_as_published(app, runner, make_user):
    _, admin_phone = make_user(role=Role.ADMIN)
    result = run(runner, FIXTURE, "--verify", "--admin", admin_phone)
    assert (summary(result, "Rows read"), summary(result, "Producers added"), summary(result, "Products added"),
            summary(result, "Rows refused")) == (15, 15, 15, 0)
    assert "Row 5 · Địa chỉ [warning]: “xã Sơn Hải, huyện Bảo Thắng” is now part of Xã Bảo Thắng" in result.output
    assert "Row 5 · Nhóm sản phẩm [warning]: “Thực phẩm” names the group Thực phẩm, not one product set" \
        in result.output
    with app.app_context():
        producers = {p.legal_name: p for p in db.session.scalars(db.select(Producer))}
        son_hai = producers["Hợp tác xã Nông nghiệp Sơn Hải"]
        assert (son_hai.kind, son_hai.owner_id, son_hai.status) == ("cooperative", None, ProducerStatus.VERIFIED)
        assert commune_name(son_hai.commune_code) == "Xã Bảo Thắng"
        assert son_hai.address == "xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai"  # as written, beside the code
        assert commune_name(producers["Hợp tác xã Thổ cẩm Tả Phìn"].commune_code) == "Xã Tả Phìn"
        assert {name: p.kind for name, p in producers.items() if not name.startswith("Hợp tác xã")} == {
            "Tổ hợp tác trồng dứa Phong Niên": "cooperative_group", "Hộ kinh doanh Hoàng Văn Thào": "household",
            "Công ty TNHH Quế Hồi Lào Cai": "enterprise", "Hộ kinh doanh Lương Thị Hoa": "household",
            "Hộ kinh doanh Vàng Thị Mỷ": "household", "Công ty CP Nông sản Mường Khương": "enterprise"}
        products = {p.name: p for p in db.session.scalars(db.select(Product))}
        assert {p.status for p in products.values()} == {ProductStatus.DRAFT}  # no price, no photo yet
        assert db.session.scalars(Product.public()).all() == []
        sets = {name: p.product_set_code for name, p in products.items()}
        assert sets["Gạo Séng Cù Bảo Thắng"] is None  # "Thực phẩm": a group of 13 sets
        assert (sets["Thổ cẩm Dao đỏ Tả Phìn"], sets["Gối thơm thảo mộc Bắc Hà"],
                sets["Du lịch cộng đồng bản Cát Cát"]) == (22, 21, 26)  # 1048-era labels
        tea = products["Chè xanh Gia Phú"]
        assert (tea.certificate.decision_no, tea.certificate.decision_date, tea.certificate.stars) == (
            "1835/QĐ-UBND", date(2023, 10, 12), 4)
        assert tea.certificate.issuing_body == "UBND tỉnh Lào Cai"
        # Certificates of 12/10/2023 ran 36 months: stars until 12/10/2026, none after.
        assert tea.stars(date(2026, 10, 12)) == 4 and tea.stars(date(2026, 10, 13)) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 15
    if date.today() > date(2026, 10, 12):
        assert "The certificate 1835/QĐ-UBND expired on 12/10/2026" in result.output

    again = run(runner, FIXTURE)
    assert (summary(again, "Producers added"), summary(again, "Products added"),
            summary(again, "Products updated"), summary(again, "Products unchanged")) == (0, 0, 0, 15)


def test_a_follow_up_sheet_completes_the_products_and_makes_them_public(app, runner, client, make_user, tmp_path):
    _, admin_phone = make_user(role=Role.ADMIN)
    run(runner, FIXTURE, "--verify", "--admin", admin_phone)
    folder = tmp_path / "bo-sung"
    write(folder, "che.jpg", jpeg_bytes(size=(900, 900), color=(60, 140, 60)))
    rows = [
        {"Tên sản phẩm": "Chè xanh Gia Phú", "Chủ thể": "Hợp tác xã Chè Gia Phú", "Tỉnh": "Lào Cai",
         "Giá bán": "85.000", "Đơn vị tính": "túi 250g", "Mô tả": "Chè búp sao tay.", "Ảnh": "che.jpg"},
        {"Tên sản phẩm": "Mận tam hoa Bắc Hà", "Chủ thể": "Hợp tác xã Mận Bắc Hà", "Tỉnh": "Lào Cai",
         "Giá bán": "60000", "Đơn vị tính": "hộp 1,2kg", "Mô tả": "Mận chín cây.", "Ảnh": ""},
    ]
    path = write(folder, "bo-sung.xlsx", xlsx_bytes(rows, header=FOLLOW_UP_HEADER))
    result = run(runner, path)
    assert (summary(result, "Products added"), summary(result, "Products updated"),
            summary(result, "Photos added"), summary(result, "Producers added")) == (0, 2, 1, 0)
    assert "The weight 250 g was taken from the unit “túi 250g”." in result.output
    with app.app_context():
        tea = db.session.scalar(db.select(Product).filter_by(name="Chè xanh Gia Phú"))
        assert (tea.status, tea.price_vnd, tea.weight_g, tea.unit) == (ProductStatus.PUBLISHED, 85000, 250,
                                                                        "túi 250g")
        assert tea.certificate is not None and len(tea.photos) == 1
        plum = db.session.scalar(db.select(Product).filter_by(name="Mận tam hoa Bắc Hà"))
        assert (plum.status, plum.price_vnd, plum.weight_g) == (ProductStatus.DRAFT, 60000, 1200)  # no photo
        assert [p.name for p in db.session.scalars(Product.public())] == ["Chè xanh Gia Phú"]
        tea_id = tea.id
    catalogue = client.get("/san-pham").get_data(as_text=True)
    assert "Chè xanh Gia Phú" in catalogue and "Mận tam hoa Bắc Hà" not in catalogue
    page = client.get(f"/san-pham/{tea_id}", follow_redirects=True)
    assert page.status_code == 200 and "85.000" in page.get_data(as_text=True)
    found = client.get("/tim-kiem", query_string={"q": "che xanh gia phu"}).get_data(as_text=True)
    assert "Chè xanh Gia Phú" in found


def test_a_product_without_a_set_can_be_edited_and_given_one(app, runner, auth, make_user):
    _, admin_phone = make_user(role=Role.ADMIN)
    run(runner, FIXTURE, "--verify", "--admin", admin_phone)
    with app.app_context():
        rice = db.session.scalar(db.select(Product).filter_by(name="Gạo Séng Cù Bảo Thắng"))
        assert rice.product_set is None
        rice_id, producer_id = rice.id, rice.producer_id
    auth.login(admin_phone)
    path = f"/nha-san-xuat/{producer_id}/san-pham/{rice_id}"
    page = auth.client.get(path)
    assert page.status_code == 200
    assert ' selected' not in page.get_data(as_text=True).split('name="product_set_code"')[1].split("</select>")[0]
    form = {"name": "Gạo Séng Cù Bảo Thắng", "product_set_code": "", "price": "45000", "unit": "túi 5kg",
            "availability": "in_stock", "status": "draft", "ref": ""}
    refused = auth.post(path, form, form_page=path)
    assert refused.status_code == 400
    assert "gợi ý bộ “Gạo và ngũ cốc”" in refused.get_data(as_text=True)  # suggested from the name, to confirm
    saved = auth.post(path, dict(form, product_set_code="3"), form_page=path)
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Product, rice_id).product_set_code == 3


@pytest.mark.parametrize("labels, expected", [
    # Decision 148: set numbers and names (the layout of our own export).
    (("4", "Chè (trà)", "Rượu trắng"), (4, 11, 14)),
    # As people write the group, with the 1048-era labels, without diacritics.
    (("Thuc pham", "Vải và may mặc", "dich vu du lich cong dong"), (None, 22, 26)),
])
def test_category_labels_in_both_layouts(app, runner, tmp_path, labels, expected):
    rows = [product_row(ref=f"SP-{index}", name=f"Sản phẩm {index}", category=label)
            for index, label in enumerate(labels)]
    result = run(runner, write(tmp_path, "ds.csv", csv_bytes(rows)))
    assert summary(result, "Rows refused") == 0
    with app.app_context():
        found = tuple(db.session.scalar(db.select(Product.product_set_code).filter_by(ref=f"SP-{index}"))
                      for index in range(len(labels)))
    assert found == expected


def test_an_unknown_category_is_still_refused(app, runner, tmp_path):
    result = run(runner, write(tmp_path, "ds.csv", csv_bytes([product_row(category="Đồ điện tử")])))
    assert summary(result, "Rows refused") == 1
    assert "“Đồ điện tử” is not an OCOP product set" in result.output


def wide_xlsx(rows: int) -> bytes:
    """A workbook whose rows have cells in columns A and XFD (the last column): read naively,
    every row becomes 16,384 cells wide."""
    cells = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Tên sản phẩm</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>Chủ thể</t></is></c><c r="C1" t="inlineStr"><is><t>Tỉnh</t></is></c>'
             '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>']
    for number in range(2, rows + 2):
        cells.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>Mật ong {number}</t></is></c>'
                     f'<c r="B{number}" t="inlineStr"><is><t>HTX Ong {number % 50}</t></is></c>'
                     f'<c r="C{number}" t="inlineStr"><is><t>Lào Cai</t></is></c>'
                     f'<c r="XFD{number}"><v>1</v></c></row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:XFD{rows + 1}"/><sheetData>{"".join(cells)}</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# The peak is read from VmHWM, the high-water mark of this process's own memory: ru_maxrss
# would carry over the forking parent's size (Linux keeps it across execve), and the parent is a
# test run hundreds of MB large.
MEASURE = """
import sys
from catalog.importer.rows import validate_row
from catalog.importer.sheet import open_sheet
with open_sheet(sys.argv[1]) as sheet:
    kept = sum(1 for row in sheet.rows if not validate_row(row.number, row.cells, sheet.labels).refused)
    widths = {len(row.cells) for row in sheet.rows}
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(kept, max(widths), peak_kb // 1024)
"""


def test_a_sheet_with_a_cell_in_column_xfd_stays_small(tmp_path):
    """Issue 11: a 245 KB XLSX with cells in columns A and XFD made a worker grow to 2.7 GB."""
    path = write(tmp_path, "wide.xlsx", wide_xlsx(20_000))
    assert os.path.getsize(path) < 400_000
    root = Path(__file__).resolve().parent.parent.parent
    output = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=root, capture_output=True, text=True,
                            timeout=300, check=True).stdout.split()
    kept, width, peak_mb = (int(value) for value in output)
    assert (kept, width) == (20_000, 3)  # name, producer, province: column XFD is never read
    assert peak_mb < 300, f"peak RSS {peak_mb} MB"
