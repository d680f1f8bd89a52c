"""Journey: a commune officer uploads a sheet with photos on the web -> the job's progress page
-> the dry-run report -> "Import now" -> progress -> the import report -> a buyer finds the
products in the catalogue and by search. A real worker process runs both jobs."""
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import TEST_PASSWORD
from tests.factories import make_producer
from tests.factories import Worker
from tests.unit.importer_files import GIA_PHU, csv_bytes, jpeg_bytes, product_row, zip_bytes

PRODUCTS = [("MO-500", "Mật ong bạc hà Gia Phú", "mat-ong.jpg"), ("CHE-1", "Chè Shan tuyết cổ thụ", "che.jpg"),
            ("MIEN-2", "Miến dong Gia Phú", "mien.jpg")]


def wait_for_text(page, text, seconds=60):
    for _ in range(seconds * 10):
        try:
            if text in page.inner_text("main"):
                return
        except PlaywrightError:  # the page is reloading (the job finished)
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"“{text}” never appeared; the page says: {page.inner_text('main')[:500]}")


def test_officer_uploads_a_sheet_and_buyers_find_the_products(app, live_server, phone, browser, make_user,
                                                               tmp_path):
    app.extensions["huey"].immediate = False  # the worker process below runs the jobs
    make_producer(app, name="HTX Chè Gia Phú", province="Lào Cai", commune="Gia Phú", phone="+84912345678")
    _, number = make_user(role="officer", communes=(GIA_PHU,), name="Cán bộ xã Gia Phú")
    rows = [product_row(ref=ref, name=name, images=photo, stars="", certificate_no="", certificate_date="")
            for ref, name, photo in PRODUCTS]
    archive = tmp_path / "san-pham-gia-phu.zip"
    archive.write_bytes(zip_bytes({"san-pham.csv": csv_bytes(rows),
                                   **{photo: jpeg_bytes(stripes=i) for i, (_, _, photo) in enumerate(PRODUCTS)}}))

    with Worker(app, tmp_path / "worker.log") as worker:
        phone.goto(live_server + "/dang-nhap")
        phone.fill("#phone", number)
        phone.fill("#password", TEST_PASSWORD)
        phone.click("button.primary")
        phone.goto(live_server + "/nhap-du-lieu")
        phone.set_input_files("#file", str(archive))
        assert phone.is_checked("#dry_run")  # a dry run first, by default
        phone.click("text=Kiểm tra tệp")
        assert "/cong-viec/" in phone.url
        wait_for_text(phone, "Chưa có gì thay đổi")  # the dry run's report, at the job's address
        phone.shot("dry-run-report")
        phone.click("text=Nhập ngay")
        wait_for_text(phone, "Báo cáo nhập dữ liệu")
        phone.shot("import-report")
        report = phone.inner_text("main")
        log = worker.output()
    assert "Traceback" not in log, log
    assert "Sản phẩm thêm mới\t3" in report or "Sản phẩm thêm mới 3" in report.replace("\n", " ")

    buyer = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    buyer.goto(live_server + "/san-pham")
    catalogue = buyer.inner_text("main")
    assert all(name in catalogue for _, name, _ in PRODUCTS), catalogue[:1000]
    buyer.goto(live_server + "/tim-kiem?q=mien+dong")
    assert "Miến dong Gia Phú" in buyer.inner_text("main")
    buyer.context.close()
