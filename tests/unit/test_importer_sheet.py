"""Reading import files: CSV with and without BOM, XLSX, ZIP bundles, headers, unsafe archives."""
from datetime import datetime

import pytest

from catalog.importer.archive import ZipLimits
from catalog.importer.messages import ImportFileError
from catalog.importer.sheet import SheetLimits, open_sheet
from tests.unit.importer_files import FULL_HEADER, HEADER, csv_bytes, jpeg_bytes, product_row, write, xlsx_bytes, \
    zip_bytes


def test_csv_with_bom_reads_vietnamese_text(tmp_path):
    path = write(tmp_path, "ds.csv", csv_bytes([product_row()], bom=True))
    with open_sheet(path) as sheet:
        assert sheet.kind == "csv"
        assert [row.number for row in sheet.rows] == [2]
        assert sheet.rows[0].cells["name"] == "Mật ong bạc hà"
        assert sheet.rows[0].cells["ref"] == "MO-500"  # no BOM glued to the first header


def test_csv_without_bom_and_with_semicolons(tmp_path):
    path = write(tmp_path, "ds.csv", csv_bytes([product_row(price_vnd="120,000")], bom=False, delimiter=";"))
    with open_sheet(path) as sheet:
        assert sheet.rows[0].cells["price_vnd"] == "120,000"
        assert sheet.rows[0].cells["producer_name"] == "HTX Chè Gia Phú"


def test_csv_in_another_encoding_is_refused_with_advice(tmp_path):
    path = write(tmp_path, "ds.csv", "ref,name\nA,Mật ong\n".encode("utf-16-be"))
    with pytest.raises(ImportFileError) as caught:
        open_sheet(path)
    assert caught.value.code in ("file_not_utf8", "file_type_unknown")
    legacy = write(tmp_path, "cp.csv", ",".join(HEADER).encode() + b"\nA,M\xe1t ong\n")
    with pytest.raises(ImportFileError) as caught:
        open_sheet(legacy)
    assert caught.value.code == "file_not_utf8"
    assert "CSV UTF-8" in str(caught.value)


def test_xlsx_keeps_typed_cells_and_finds_the_header_below_a_title(tmp_path):
    data = xlsx_bytes([product_row(price_vnd="250000", certificate_date="2024-05-17")],
                      title_rows=[["DANH SÁCH SẢN PHẨM OCOP TỈNH LÀO CAI NĂM 2024"], []],
                      values={"price_vnd": int, "stars": int,
                              "certificate_date": lambda text: datetime.fromisoformat(text)})
    path = write(tmp_path, "ds.xlsx", data)
    with open_sheet(path) as sheet:
        assert sheet.kind == "xlsx"
        assert sheet.header_row == 3
        row = sheet.rows[0]
        assert row.number == 4
        assert row.cells["price_vnd"] == 250000
        assert row.cells["stars"] == 4
        assert row.cells["certificate_date"] == datetime(2024, 5, 17)


def test_headers_match_in_any_order_with_aliases_case_and_diacritics(tmp_path):
    header = ["Tỉnh", "Xã/Phường", "Loại hình", "Chủ thể", "ĐVT", "Giá bán (VNĐ)", "Số sao", "Bộ sản phẩm",
              "Mô tả", "Tên sản phẩm", "Mã SP", "Ghi chú"]
    values = ["Lào Cai", "Gia Phú", "hop tac xa", "HTX Chè Gia Phú", "hộp 200g", "120.000", "3", "11",
              "", "Chè Shan tuyết", "CHE-1", "x"]
    path = write(tmp_path, "ds.csv", csv_bytes([values], header=header))
    with open_sheet(path) as sheet:
        cells = sheet.rows[0].cells
        assert cells["province"] == "Lào Cai"
        assert cells["price_vnd"] == "120.000"
        assert cells["ref"] == "CHE-1"
        assert sheet.labels["price_vnd"] == "Giá bán (VNĐ)"
        assert sheet.header.ignored == ["Ghi chú"]


def test_missing_required_columns_is_a_file_error_naming_them(tmp_path):
    """Only the product, its owner and a province are needed (issue 11: official lists)."""
    header = ["ref", "name", "category", "price_vnd", "province"]
    path = write(tmp_path, "ds.csv", csv_bytes([["A", "Mật ong", "4", "1", "Lào Cai"]], header=header))
    with pytest.raises(ImportFileError) as caught:
        open_sheet(path)
    assert caught.value.code == "columns_missing"
    assert caught.value.params["columns"] == "producer_name"


def test_a_sheet_without_any_province_is_refused_naming_the_province(tmp_path):
    header = ["name", "producer_name", "price_vnd"]
    path = write(tmp_path, "ds.csv", csv_bytes([["Mật ong", "HTX A", "1"]], header=header))
    with pytest.raises(ImportFileError) as caught:
        open_sheet(path)
    assert (caught.value.code, caught.value.params["columns"]) == ("columns_missing", "province")


def test_a_file_without_any_header_row_is_refused(tmp_path):
    path = write(tmp_path, "ds.csv", "a,b,c\n1,2,3\n".encode())
    with pytest.raises(ImportFileError) as caught:
        open_sheet(path)
    assert caught.value.code == "header_not_found"


def test_two_columns_meaning_the_same_are_refused(tmp_path):
    path = write(tmp_path, "ds.csv", csv_bytes([], header=HEADER + ["Giá bán"]))
    with pytest.raises(ImportFileError) as caught:
        open_sheet(path)
    assert caught.value.code == "column_duplicated"


def test_empty_and_old_excel_files_are_refused(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "empty.csv", b""))
    assert caught.value.code == "file_empty"
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500))
    assert caught.value.code == "file_xls_old"


def test_blank_rows_are_skipped_and_numbers_follow_the_spreadsheet(tmp_path):
    rows = [product_row(ref="A"), {}, product_row(ref="B")]
    with open_sheet(write(tmp_path, "ds.csv", csv_bytes(rows))) as sheet:
        assert [(row.number, row.cells["ref"]) for row in sheet.rows] == [(2, "A"), (4, "B")]


def test_formula_guard_of_an_export_is_removed(tmp_path):
    rows = [product_row(name="'=Mật ong", description="'-- ngon --", unit="''+1")]
    with open_sheet(write(tmp_path, "ds.csv", csv_bytes(rows))) as sheet:
        cells = sheet.rows[0].cells
        assert cells["name"] == "=Mật ong"
        assert cells["description"] == "-- ngon --"
        assert cells["unit"] == "'+1"


def test_zip_with_sheet_and_photos_in_folders(tmp_path):
    photo = jpeg_bytes()
    data = zip_bytes({
        "ocop/ds.xlsx": xlsx_bytes([product_row(images="anh/mo.jpg; che.jpg")]),
        "ocop/anh/mo.jpg": photo,
        "khac/che.jpg": photo,
        "__MACOSX/ocop/._ds.xlsx": b"junk",
    })
    with open_sheet(write(tmp_path, "goi.zip", data)) as sheet:
        assert sheet.kind == "xlsx" and sheet.in_zip
        assert sheet.photos.read("anh/mo.jpg") == photo
        assert sheet.photos.read("CHE.JPG") == photo  # by unique file name, any case


def test_zip_holding_a_csv(tmp_path):
    data = zip_bytes({"ds.csv": csv_bytes([product_row()]), "mo.jpg": jpeg_bytes()})
    with open_sheet(write(tmp_path, "goi.zip", data)) as sheet:
        assert sheet.kind == "csv"
        assert len(sheet.rows) == 1


def test_zip_slip_names_refuse_the_whole_archive(tmp_path):
    for bad_name in ("../../x.jpg", "/etc/x.jpg", "anh/../../x.jpg", "C:\\x.jpg", "..\\x.jpg"):
        data = zip_bytes({"ds.csv": csv_bytes([product_row()]), bad_name: b"x"})
        with pytest.raises(ImportFileError) as caught:
            open_sheet(write(tmp_path, "goi.zip", data))
        assert caught.value.code == "zip_unsafe_name", bad_name


def test_zip_bombs_and_oversized_archives_are_refused(tmp_path):
    bomb = zip_bytes({"ds.csv": csv_bytes([product_row()]), "anh.jpg": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "bomb.zip", bomb))
    assert caught.value.code == "zip_bomb"
    plain = zip_bytes({"ds.csv": csv_bytes([product_row()]), "a.jpg": jpeg_bytes(), "b.jpg": jpeg_bytes()})
    limits = SheetLimits(zip=ZipLimits(max_total_bytes=2000))
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "big.zip", plain), limits=limits)
    assert caught.value.code == "zip_too_big"
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "many.zip", plain), limits=SheetLimits(zip=ZipLimits(max_members=2)))
    assert caught.value.code == "zip_too_many_files"


def test_zip_without_a_sheet_or_with_two(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "a.zip", zip_bytes({"mo.jpg": jpeg_bytes()})))
    assert caught.value.code == "zip_no_sheet"
    two = zip_bytes({"a.csv": csv_bytes([product_row()]), "b.xlsx": xlsx_bytes([product_row()])})
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "b.zip", two))
    assert caught.value.code == "zip_many_sheets"


def test_damaged_zip_and_damaged_xlsx(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "broken.zip", b"PK\x03\x04" + b"\0" * 100))
    assert caught.value.code == "zip_damaged"
    fake_xlsx = zip_bytes({"xl/workbook.xml": b"<not xml", "[Content_Types].xml": b"<x/>"})
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "broken.xlsx", fake_xlsx))
    assert caught.value.code == "xlsx_unreadable"


def test_encrypted_zip_members_are_refused(tmp_path):
    data = bytearray(zip_bytes({"ds.csv": csv_bytes([product_row()])}))
    # Set the "encrypted" flag bit in the local and central headers, as an encrypting archiver does.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        data[position + offset] |= 0x1
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "locked.zip", bytes(data)))
    assert caught.value.code == "zip_encrypted"


def test_too_many_rows(tmp_path):
    rows = [product_row(ref=f"R{n}") for n in range(6)]
    with pytest.raises(ImportFileError) as caught:
        open_sheet(write(tmp_path, "ds.csv", csv_bytes(rows)), limits=SheetLimits(max_rows=4))
    assert caught.value.code == "too_many_rows"


def test_folder_photos_stay_inside_the_folder(tmp_path):
    from catalog.importer.messages import CellProblem

    folder = tmp_path / "ds"
    photo = jpeg_bytes()
    write(folder, "anh/Mo.JPG", photo)
    write(tmp_path, "secret.jpg", photo)
    (folder / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    path = write(folder, "ds.csv", csv_bytes([product_row()]))
    with open_sheet(path, photo_dir=folder) as sheet:
        assert sheet.photos.read("anh/mo.jpg") == photo
        for name, code in (("../secret.jpg", "photo_name_unsafe"), ("/etc/passwd", "photo_name_unsafe"),
                           ("link.jpg", "photo_name_unsafe"), ("khong-co.jpg", "photo_missing")):
            with pytest.raises(CellProblem) as caught:
                sheet.photos.read(name)
            assert caught.value.code == code, name


def test_full_header_covers_every_column_of_our_export():
    from catalog.exporters.ourcsv import OUR_COLUMNS

    assert tuple(FULL_HEADER) == OUR_COLUMNS


def test_formatted_empty_rows_neither_count_nor_shift_row_numbers(tmp_path):
    import openpyxl
    from io import BytesIO

    from tests.unit.importer_files import FULL_HEADER as header

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append([product_row()[name] or None for name in header])
    for row in range(3, 40):  # styled but empty, as Excel leaves them
        sheet.cell(row=row, column=1).number_format = "0.00"
    sheet.append([product_row(ref="LAST")[name] or None for name in header])
    buffer = BytesIO()
    workbook.save(buffer)
    path = write(tmp_path, "ds.xlsx", buffer.getvalue())
    with open_sheet(path, limits=SheetLimits(max_rows=3)) as opened:
        assert [(row.number, row.cells["ref"]) for row in opened.rows] == [(2, "MO-500"), (40, "LAST")]
