"""Builders for import test files (CSV, XLSX, ZIP, photos), shared by unit and integration tests."""
import csv
import io
import zipfile

import openpyxl
from PIL import Image

HEADER = ["ref", "name", "description", "category", "stars", "price_vnd", "unit", "producer_name",
          "producer_type", "province", "commune"]
FULL_HEADER = HEADER + ["weight_g", "certificate_no", "certificate_date", "availability", "phone", "tax_code",
                        "images"]
# Lào Cai / Xã Gia Phú (2923) and Ninh Bình / Xã Yên Mô (14701), as in tests/factories.py.
LAO_CAI, GIA_PHU = 15, 2923
NINH_BINH, YEN_MO = 37, 14701


def product_row(**overrides):
    row = {
        "ref": "MO-500", "name": "Mật ong bạc hà", "description": "Mật ong nguyên chất.", "category": "4",
        "stars": "4", "price_vnd": "250.000", "unit": "chai 500ml", "producer_name": "HTX Chè Gia Phú",
        "producer_type": "hợp tác xã", "province": "Lào Cai", "commune": "Gia Phú", "weight_g": "700",
        "certificate_no": "3981/QĐ-UBND", "certificate_date": "17/05/2024", "availability": "còn hàng",
        "phone": "0912 345 678", "tax_code": "0100233488", "images": "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, header=FULL_HEADER, bom=True, delimiter=","):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") if isinstance(row, dict) else row[i] for i, name in enumerate(header)])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=FULL_HEADER, title_rows=(), values=None):
    """`values` may map a column to a function turning the text cell into a typed XLSX value."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(list(title))
    sheet.append(list(header))
    for row in rows:
        cells = []
        for name in header:
            value = row.get(name, "")
            if values and name in values and value != "":
                value = values[name](value)
            cells.append(None if value == "" else value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jpeg_bytes(size=(640, 480), color=(200, 180, 90), stripes=0):
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 9):
        image.putpixel((x, (x * 7 + stripes) % size[1]), (20, 40, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
