"""The export page /xuat-du-lieu: every format downloaded and read back, the same file as the
command line, who may export what (A8: an officer gets only its communes' rows), the report of
listings left out, the Shopee template upload."""
import io
import os
import re

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from accounts.models import Role
from catalog import export_jobs
from catalog.views import exports as export_views
from catalog.exporters import EXPORTERS
from tests.factories import build_world, listing_id, parse_xlsx, parsed_ids

PAGE = "/xuat-du-lieu"
DOWNLOAD = re.compile(r'href="(/xuat-du-lieu/tai/[^"/]+)"')
OWN_A = {"MO-500", "CC-1", "TB-1", "F-1", "DAI-1"}


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def make_file(auth, format_name, status=200, **fields):
    """Post the export form; (results page, downloaded bytes or None)."""
    data = {"format": format_name, "province": "", "producer": "", "csrf_token": auth.token(PAGE)}
    data.update(fields)
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(data)
    # The export runs as a background job (inside the request in tests): follow to its page.
    response = auth.client.post(PAGE, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                                follow_redirects=True)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    found = DOWNLOAD.search(page)
    if not found:
        return page, None
    with auth.client.get(found.group(1)) as download:
        assert download.status_code == 200
        disposition = download.headers["Content-Disposition"]
        exporter = EXPORTERS[format_name]
        assert disposition.startswith("attachment;") and f".{exporter.file_extension}" in disposition
        assert download.mimetype == exporter.media_type.split(";")[0]
        return page, download.data


@pytest.mark.parametrize("format_name", list(EXPORTERS))
def test_each_format_downloads_the_same_file_as_the_command_line(auth, runner, world, format_name):
    auth.login(world.admin_phone)
    _, data = make_file(auth, format_name)
    cli = runner.invoke(args=["catalog", "export", "--format", format_name])
    assert cli.exit_code == 0
    if format_name.endswith("xlsx"):
        key = {"shopee-xlsx": "ps_sku_parent_short", "tiktok-xlsx": "seller_sku",
               "lazada-xlsx": "SellerSKU"}[format_name]
        assert parse_xlsx(data, key)[1] == parse_xlsx(cli.stdout_bytes, key)[1]
    else:
        assert data == cli.stdout_bytes
    assert parsed_ids(format_name, data)


def test_results_page_names_what_was_left_out_and_why(client, auth, world):
    client.set_cookie("lang", "en")
    auth.login(world.admin_phone)
    page, data = make_file(auth, "google-xml")
    assert 'id="exported">5<' in page and 'id="skipped">3<' in page
    left_out = page[page.index('id="left-out"'):]
    assert "Tương bần Yên Mô" in left_out and "The price is missing." in left_out
    assert "Gạo Séng Cù" in left_out and "The product page is not public" in left_out
    assert f"/nha-san-xuat/{world.producers['a']}/san-pham/{world.products['no_price']}" in left_out
    assert "The product name was shortened to 150 characters." in page  # a note, not a skip
    assert "Merchant Center" in page


def test_a_long_report_is_offered_as_a_file(client, auth, world, monkeypatch):
    monkeypatch.setattr(export_views, "SHOWN_ISSUES", 1)
    monkeypatch.setattr(export_jobs, "SHOWN_ISSUES", 1)
    client.set_cookie("lang", "en")
    auth.login(world.admin_phone)
    page, _ = make_file(auth, "google-xml")
    link = re.search(r'href="(/xuat-du-lieu/tai/[^"]+/bao-cao\.csv)"', page).group(1)
    with client.get(link) as report:
        assert report.status_code == 200 and report.headers["Content-Disposition"].startswith("attachment;")
        text = report.data.decode("utf-8-sig")
    assert listing_id(world.products["no_price"]) in text and "The price is missing." in text
    assert len(text.strip().splitlines()) == 4  # header and three listings


def test_a_producer_exports_only_its_own_published_products(auth, world):
    auth.login(world.producer_phone)
    page, data = make_file(auth, "csv", producer=str(world.producers["b"]), province="19")
    assert parsed_ids("csv", data) == OWN_A
    assert 'name="producer"' not in page
    auth.logout()
    auth.login(world.other_producer_phone)
    assert parsed_ids("json", make_file(auth, "json")[1]) == {"CHE-1"}


def test_an_officer_exports_only_its_communes(auth, world):
    auth.login(world.officer_phone)
    _, data = make_file(auth, "csv")
    assert parsed_ids("csv", data) == OWN_A | {"GAO-5", "NM-1"}  # A8: Thái Nguyên's tea is not there
    page, _ = make_file(auth, "csv", status=400, producer="HTX Chè Tân Cương")
    assert "HTX Chè Tân Cương" in page and "has-error" in page
    _, data = make_file(auth, "json", producer=str(world.producers["c"]))
    assert parsed_ids("json", data) == {"GAO-5"}


def test_an_admin_narrows_by_province_and_producer(auth, world, app):
    from places import units

    auth.login(world.admin_phone)
    thai_nguyen = units.match_province("Thái Nguyên").code
    assert parsed_ids("csv", make_file(auth, "csv", province=str(thai_nguyen))[1]) == {"CHE-1"}
    assert parsed_ids("csv", make_file(auth, "csv", producer="htx nông sản yên hòa")[1]) == OWN_A


def test_who_may_open_the_page(client, auth, world, make_user):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]
    _, helper_phone = make_user(role=Role.HELPER)
    auth.login(helper_phone)
    assert client.get(PAGE).status_code == 403


def test_a_download_belongs_to_the_person_who_exported(client, auth, world):
    auth.login(world.producer_phone)
    page = auth.post(PAGE, {"format": "csv"}, form_page=PAGE, follow_redirects=True).get_data(as_text=True)
    link = DOWNLOAD.search(page).group(1)
    auth.logout()
    auth.login(world.other_producer_phone)
    assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "abc").status_code == 404
    auth.logout()
    assert client.get(link).status_code == 302  # logged out: to the log-in page


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")


def shopee_template(extra_rows=4, headers=True, required=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Shopee mass upload – basic info"])
    if headers:
        sheet.append(["Category", "Product Name", "Product Description", "Parent SKU", "Price", "Stock", "Weight",
                      "Cover image", "Item Image 1", "Ghi chú của Shopee", *required])
    for note in ["Mandatory", "Max 120 characters", "Integer", "kg"][:extra_rows]:
        sheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_shopee_fills_a_copy_of_the_uploaded_template(auth, world):
    auth.login(world.producer_phone)
    _, data = make_file(auth, "shopee-xlsx", template=upload(shopee_template(), "mau-shopee.xlsx"))
    headers, rows, sheet = parse_xlsx(data, "Parent SKU")
    assert headers[-1] == "Ghi chú của Shopee"  # the template's own columns are kept
    assert sheet.cell(row=3, column=1).value == "Mandatory" and sheet.cell(row=7, column=2).value
    products = [row for row in rows if row["Parent SKU"]]
    assert {row["Parent SKU"] for row in products} == world.ids("good", "expired", "formula", "long")
    assert all(isinstance(row["Price"], int) for row in products)


# 400: refused by the form; 200: found by the export job, whose page says why it stopped.
@pytest.mark.parametrize("template, message, status", [
    ((b"not a spreadsheet", "mau.xlsx"), "This file is not an Excel (.xlsx) file.", 400),
    ((b"PK\x03\x04 broken", "mau.xlsx"), "This file is not an Excel (.xlsx) file.", 200),
    ((b"a,b\n", "mau.csv"), "must be an Excel file ending in .xlsx", 400),
    ((b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "mau.xlsx"), "larger than 5 MB", 400),
    ((shopee_template(headers=False), "mau.xlsx"), "No header row with the columns ps_product_name, ps_price", 200),
    ((shopee_template(required=("Thương hiệu*", "Chiều dài*")), "mau.xlsx"),
     "The template asks for columns that Chợ Quê cannot fill: Thương hiệu, Chiều dài.", 200),
])
def test_unusable_templates_are_refused_with_the_reason(app, client, auth, world, template, message, status):
    client.set_cookie("lang", "en")
    auth.login(world.admin_phone)
    data, name = template
    page, file_data = make_file(auth, "shopee-xlsx", status=status, template=upload(data, name))
    assert file_data is None and message in page
    folder = os.path.join(app.config["UPLOAD_DIR"], "exports")
    assert not os.path.isdir(folder) or os.listdir(folder) == []  # no template left behind


def test_the_page_offers_every_format_and_the_feeds_to_admins(client, auth, world):
    client.set_cookie("lang", "en")
    auth.login(world.admin_phone)
    page = client.get(PAGE).get_data(as_text=True)
    assert all(f'value="{name}"' in page for name in EXPORTERS)
    assert "https://choque.example/feeds/google.xml" in page and "https://choque.example/feeds/meta.csv" in page
    assert "HTX Chè Tân Cương" in page  # producer names to pick from
    auth.logout()
    auth.login(world.producer_phone)
    assert "/feeds/google.xml" not in client.get(PAGE).get_data(as_text=True)


def test_a_missing_format_is_a_form_error(client, auth, world):
    auth.login(world.admin_phone)
    response = auth.post(PAGE, {"format": "pdf"}, form_page=PAGE)
    assert response.status_code == 400 and "has-error" in response.get_data(as_text=True)
