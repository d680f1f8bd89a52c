"""The commune's view: the figures an officer reports, for their own communes only, and the
same figures in the downloadable XLSX and PDF."""
import io
import re
from datetime import date, timedelta

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from extensions import db
from reports import snapshots
from reports.rules import period_containing
from reports.constants import PeriodKind
from tests.factories import place
from tests.factories import build_report_world


@pytest.fixture
def world(app, make_user):
    return build_report_world(app, make_user)


def page_figures(client):
    tree = lxml_html.fromstring(client.get("/bao-cao/").get_data(as_text=True))
    return tree, {section.get("id"): [[cell.text_content().strip() for cell in row.xpath("./th|./td[not(@class='remind')]")]
                                      for row in section.xpath(".//tbody/tr")]
                  for section in tree.xpath('//section[@class="report-section"]')}


def test_an_officer_reports_only_on_their_communes(app, client, auth, world):
    auth.login(world["officer_phone"])
    tree, sections = page_figures(client)
    kpis = [li.text_content().split() for li in tree.xpath('//ul[@class="kpis"]/li')]
    # Certified products: honey (4★) and fish (3★, due); online: honey only (fish has no photo).
    assert kpis[0][0] == "1/2"
    assert kpis[1][0] == "1/2"  # one of Yên Mô's two orders is paid; Gia Phú's is not counted
    assert ["Đã xác minh", "2"] in sections["producers"]
    assert ["Đã gửi duyệt", "1"] in sections["producers"]
    flows = {row[0]: row[1:] for row in sections["flows"]}
    assert flows["Số ngày trung vị từ lúc gửi đến khi quyết định"][0] == "4"
    assert flows["Tiền đã nhận (đồng)"][0] == "200.000"
    assert ["Tổ công nghệ Yên Mô", "1"] in sections["helpers"]
    due = {row[2]: row[5] for row in sections["expiring"]}
    assert due == {"3981/QĐ-UBND": "Sắp đến hạn", "12/QĐ-UBND": "Đã hết hạn"}
    assert "HTX Chè Gia Phú" not in tree.text_content()


def test_the_xlsx_and_pdf_carry_the_figures_the_page_shows(app, client, auth, world):
    auth.login(world["officer_phone"])
    _, sections = page_figures(client)
    workbook = client.get("/bao-cao/bao-cao.xlsx")
    assert workbook.status_code == 200
    assert re.search(r'filename="bao-cao-ocop-xa-yen-mo.*-\d{4}-Q[1-4]\.xlsx"', workbook.headers["Content-Disposition"])
    rows = [[str(c) for c in row if c is not None] for row in load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Báo cáo OCOP — Xã Yên Mô")
    for key in ("producers", "helpers", "expiring"):
        for row in sections[key]:
            assert [value.replace(".", "") for value in row[:2]] in [[v.replace(".", "") for v in r[:2]] for r in rows]
    pdf = client.get("/bao-cao/bao-cao.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Xã Yên Mô" in text and "Quý" in text
    for key in ("producers", "flows", "expiring"):
        for row in sections[key]:
            assert row[0] in text and row[1] in text, row


def test_trends_of_stock_figures_come_from_the_snapshot_before_the_period(app, client, auth, world):
    period = period_containing(PeriodKind.QUARTER, date.today())
    with app.app_context():
        snapshots.take(period.start - timedelta(days=1))  # as the daily job would have
        db.session.commit()
    auth.login(world["officer_phone"])
    _, sections = page_figures(client)
    online = {row[0]: row[1:] for row in sections["online"]}
    assert online["Nhà sản xuất đã xác minh"] == ["2", "2", "0"]


def test_an_admin_chooses_a_province_and_others_are_refused(app, client, auth, world, make_user):
    _, admin_phone = make_user(Role.ADMIN)
    auth.login(admin_phone)
    lao_cai = place("Lào Cai", "Gia Phú")[0]
    tree = lxml_html.fromstring(client.get(f"/bao-cao/?tinh={lao_cai}").get_data(as_text=True))
    assert tree.xpath('//ul[@class="kpis"]/li')[0].text_content().split()[0] == "1/1"
    assert client.get("/bao-cao/?tinh=99999").status_code == 404
    assert client.get("/bao-cao/?thoi-gian=nonsense").status_code == 200
    auth.logout()
    _, producer_phone = make_user(Role.PRODUCER)
    auth.login(producer_phone)
    assert client.get("/bao-cao/").status_code in (403, 404)


def test_cached_figures_change_as_soon_as_the_data_does(app, client, auth, world):
    from payments.models import Order
    from producers.models import Producer
    from datetime import datetime

    auth.login(world["officer_phone"])
    before = lxml_html.fromstring(client.get("/bao-cao/").get_data(as_text=True))
    assert before.xpath('//ul[@class="kpis"]/li')[1].text_content().split()[0] == "1/2"
    with app.app_context():
        honey = db.session.scalar(db.select(Producer).where(Producer.legal_name == "HTX Mật ong Yên Mô"))
        db.session.add(Order(code="CQNEWPAID", producer_id=honey.id, product_name="x", unit_price_vnd=50_000,
                             quantity=1, amount_vnd=50_000, buyer_name="Anh Tú", buyer_phone="+84912345679",
                             delivery_address="Huế", status="paid", created_at=datetime.utcnow()))
        db.session.commit()
    after = lxml_html.fromstring(client.get("/bao-cao/").get_data(as_text=True))
    assert after.xpath('//ul[@class="kpis"]/li')[1].text_content().split()[0] == "2/3"
