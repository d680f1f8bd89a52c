"""The dashboard's two message-related pieces: "Remind" on a certificate due for
re-evaluation (an outbox row for the producer, at most once a day), and the figure of
products exported to each marketplace or feed (recorded by every export run)."""
import io
import re
from datetime import date, timedelta

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from catalog.exporters import EXPORTERS
from catalog.listings import ExportScope, run_export
from extensions import db
from notifications.constants import NoticeKind
from notifications.models import Notification
from reports import snapshots
from reports.rules import period_containing
from reports.constants import PeriodKind
from tests.factories import place
from tests.factories import build_report_world


@pytest.fixture
def world(app, make_user):
    return build_report_world(app, make_user)


def expiring_rows(client):
    tree = lxml_html.fromstring(client.get("/bao-cao/").get_data(as_text=True))
    return tree, tree.xpath('//section[@id="expiring"]//tbody/tr')


def reminders_written(app):
    with app.app_context():
        return db.session.scalars(db.select(Notification).where(Notification.kind.in_(
            (NoticeKind.CERTIFICATE_EXPIRING, NoticeKind.CERTIFICATE_EXPIRED))).order_by(Notification.id)).all()


def press_remind(client, tree, row):
    form = tree.xpath('//section[@id="expiring"]//form')[0]
    button = row.xpath(".//button")[0]
    fields = {field.get("name"): field.get("value") for field in form.xpath(".//input[@type='hidden']")}
    fields[button.get("name")] = button.get("value")
    return client.post(form.get("action"), data=fields, follow_redirects=True)


def test_one_click_reminds_the_producer_once_a_day(app, client, auth, world):
    auth.login(world["officer_phone"])
    tree, rows = expiring_rows(client)
    due = next(row for row in rows if "3981/QĐ-UBND" in row.text_content())
    assert "đã nhắc" not in due.text_content()
    page = press_remind(client, tree, due).get_data(as_text=True)
    assert "Đã gửi lời nhắc cho HTX Cá chạch Yên Hòa." in page
    [reminder] = reminders_written(app)
    assert reminder.kind == NoticeKind.CERTIFICATE_EXPIRING and reminder.recipient_phone == "+84911000002"
    assert "Cá chạch" in reminder.text_vi and reminder.link.endswith(f"/nha-san-xuat/ho-so/{reminder.producer_id}/buoc-5")
    tree, rows = expiring_rows(client)
    due = next(row for row in rows if "3981/QĐ-UBND" in row.text_content())
    assert "đã nhắc" in due.text_content(), "the row says when the producer was reminded"

    again = press_remind(client, tree, due).get_data(as_text=True)
    assert "đã được nhắc hôm nay lúc" in again and "không gửi lại" in again
    assert len(reminders_written(app)) == 1

    expired = next(row for row in rows if "12/QĐ-UBND" in row.text_content())
    press_remind(client, tree, expired)
    assert [row.kind for row in reminders_written(app)] == [NoticeKind.CERTIFICATE_EXPIRING,
                                                            NoticeKind.CERTIFICATE_EXPIRED]


def test_remind_is_refused_without_a_token_and_outside_ones_communes(app, client, auth, world, make_user):
    from producers.models import Certificate

    with app.app_context():
        first = db.session.scalar(db.select(Certificate.id).order_by(Certificate.id))
    _, other_phone = make_user(Role.OFFICER, communes=(place("Lào Cai", "Gia Phú")[1],))
    auth.login(other_phone)
    token = auth.token("/bao-cao/")
    assert client.post("/bao-cao/nhac", data={"csrf_token": token, "chung-nhan": first}).status_code == 404
    assert client.post("/bao-cao/nhac", data={"csrf_token": token, "chung-nhan": "abc"}).status_code == 404
    auth.logout()
    auth.login(world["officer_phone"])
    refused = client.post("/bao-cao/nhac", data={"chung-nhan": first}, follow_redirects=True)
    assert refused.status_code in (200, 400) and reminders_written(app) == []


def export(app, format_name):
    with app.app_context():
        out = io.BytesIO()
        return run_export(EXPORTERS[format_name], ExportScope.public(), out)


def exports_section(client):
    tree = lxml_html.fromstring(client.get("/bao-cao/").get_data(as_text=True))
    return {row.xpath("./th")[0].text_content().strip(): [cell.text_content().strip() for cell in row.xpath("./td")]
            for row in tree.xpath('//section[@id="exports"]//tbody/tr')}


def test_products_exported_to_each_marketplace(app, client, auth, world):
    auth.login(world["officer_phone"])
    assert exports_section(client)["Shopee"][0] == "0"
    period = period_containing(PeriodKind.QUARTER, date.today())
    report = export(app, "shopee-xlsx")
    assert report.exported >= 1
    export(app, "shopee-xlsx")  # exported again: still counted once
    export(app, "google-xml")
    export(app, "csv")  # a file for no marketplace: not counted
    with app.app_context():
        from catalog.models import ProductExport

        shopee = db.session.scalar(db.select(db.func.count(ProductExport.id)).where(ProductExport.marketplace == "shopee"))
        assert shopee == report.exported
        assert db.session.scalar(db.select(db.func.count(ProductExport.id)).where(
            ProductExport.marketplace.not_in(("shopee", "google")))) == 0
        snapshots.take(period.start - timedelta(days=1))  # the daily snapshot, for the trend
        db.session.commit()
    figures = exports_section(client)
    # Yên Mô's public products only (Gia Phú's tea is another commune's).
    yen_mo = figures["Shopee"][0]
    assert int(yen_mo) >= 1 and figures["Google (Merchant Center)"][0] == yen_mo
    assert figures["Shopee"][1] == yen_mo and figures["Shopee"][2] == "0", "the snapshot before the period"
    assert figures["Lazada"] == ["0", "0", "0"]

    workbook = client.get("/bao-cao/bao-cao.xlsx")
    cells = [[str(c) for c in row if c is not None]
             for row in load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True)]
    assert ["Shopee", yen_mo, yen_mo, "0"] in cells
    pdf = client.get("/bao-cao/bao-cao.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "Sản phẩm đã đưa lên từng sàn hoặc nguồn cấp" in text and "TikTok Shop" in text
