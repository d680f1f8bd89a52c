"""On a 360-px phone: an administrator uploads a 2,000-row sheet; the job's page shows the
queued job, then a moving progress bar while a real worker process imports it, then the import
report at the same address (no JavaScript needed: the page also refreshes itself)."""
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from catalog.models import Product
from extensions import db
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests.factories import Worker, sheet_csv

ROWS = 2000


def wait_until(page, expression, seconds):
    """Poll an expression, riding over the reload the page does when the job has finished
    (the site's CSP forbids the eval that wait_for_function uses)."""
    for _ in range(int(seconds * 10)):
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError:  # navigating: ask again on the next page
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def test_import_progress_then_report_on_a_phone(app, live_server, phone, make_user, tmp_path, request):
    shots = Path(ARTIFACTS) / re.sub(r"[^\w.-]+", "_", request.node.name)
    app.extensions["huey"].immediate = False  # queued for the worker process below
    _, number = make_user(role="admin", name="Cán bộ tỉnh")
    sheet = tmp_path / "danh-sach-ocop.csv"
    sheet.write_bytes(sheet_csv(tmp_path, ROWS, producers=60))
    phone.goto(live_server + "/dang-nhap")
    phone.fill("#phone", number)
    phone.fill("#password", TEST_PASSWORD)
    phone.click("button.primary")
    phone.goto(live_server + "/nhap-du-lieu")
    phone.set_input_files("#file", str(sheet))
    phone.uncheck("#dry_run")
    phone.click("text=Kiểm tra tệp")
    assert "/cong-viec/" in phone.url
    assert phone.locator("progress.job-bar").count() == 1
    assert phone.locator('meta[http-equiv="refresh"]').count() == 0  # the script took over the polling
    assert "Đang chờ bắt đầu" in phone.inner_text("main")
    phone.shot("queued")
    with Worker(app, tmp_path / "worker.log") as worker:
        wait_until(phone, "(() => { const bar = document.querySelector('progress.job-bar');"
                          " return !bar || (bar.value > 0 && bar.value < bar.max); })()", seconds=60)
        try:
            if phone.locator("progress.job-bar").count():
                phone.shot("running")
        except PlaywrightError:  # it finished and reloaded meanwhile: the report is checked below
            pass
        wait_until(phone, "document.body.innerText.includes('Báo cáo nhập dữ liệu')", seconds=120)
        log = worker.output()
    assert "Traceback" not in log, log
    text = phone.inner_text("main")
    assert "Số dòng đã đọc" in text and "2000" in text.replace(".", "")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == ROWS
    # The report may list many rows' warnings (metres of page): its top is what matters here.
    phone.screenshot(path=str(shots / "03-report.png"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], f"the report is {width} px wide on a 360-px phone"
    phone.set_viewport_size({"width": 240, "height": 640})
    phone.screenshot(path=str(shots / "04-report-240.png"))
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.goto(live_server + "/cong-viec")
    assert "danh-sach-ocop.csv" in phone.inner_text("main") and "Đã xong" in phone.inner_text("main")
    phone.shot("my-jobs-1280")
