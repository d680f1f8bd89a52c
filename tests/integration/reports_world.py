"""A small area for report tests: Yên Mô (Ninh Bình) and Gia Phú (Lào Cai)."""
from datetime import date, datetime, timedelta

from accounts.models import Role
from extensions import db
from payments.models import Order
from producers.models import Producer, ProducerStatus
from producers.ocop import add_months
from tests.integration.catalog_world import add_certificate, add_product, make_producer, place


def build_report_world(app, make_user):
    """Commune Yên Mô (Ninh Bình) with two verified producers and one waiting; Gia Phú (Lào Cai)
    with one more, which Yên Mô's officer must never count."""
    today = date.today()
    officer, officer_phone = make_user(Role.OFFICER, communes=(place("Ninh Bình", "Yên Mô")[1],), name="Cán bộ Yên Mô")
    helper, _ = make_user(Role.HELPER, communes=(place("Ninh Bình", "Yên Mô")[1],), name="Tổ công nghệ Yên Mô")
    honey = make_producer(app, name="HTX Mật ong Yên Mô", phone="+84911000001")
    fish = make_producer(app, name="HTX Cá chạch Yên Hòa", phone="+84911000002")
    waiting = make_producer(app, name="Hộ Lê Văn Ba", status=ProducerStatus.SUBMITTED, phone="+84911000003")
    elsewhere = make_producer(app, name="HTX Chè Gia Phú", province="Lào Cai", commune="Gia Phú", phone="+84911000004")
    fresh = add_certificate(app, honey, stars=4, decision_date=add_months(today, -6), set_code=4)
    due = add_certificate(app, fish, stars=3, decision_date=add_months(today, -35), set_code=8)
    old = add_certificate(app, fish, stars=5, decision_date=add_months(today, -40), set_code=8, number="12/QĐ-UBND")
    add_product(app, honey, name="Mật ong hoa nhãn", set_code=4, certificate_id=fresh, photos=1)
    add_product(app, fish, name="Cá chạch sấy khô", set_code=8, certificate_id=due, photos=0)  # no photo: not online
    add_product(app, fish, name="Cá chạch rim", set_code=8, certificate_id=old, photos=1)  # expired stars
    add_product(app, elsewhere, name="Chè Shan tuyết", set_code=11,
                certificate_id=add_certificate(app, elsewhere, stars=5, decision_date=add_months(today, -2), set_code=11),
                photos=1)
    now = datetime.utcnow()
    with app.app_context():
        for producer_id, paid in ((honey, True), (honey, False), (elsewhere, True)):
            db.session.add(Order(code=f"CQ{producer_id}{int(paid)}XYZ", producer_id=producer_id, product_name="x",
                                 unit_price_vnd=100_000, quantity=2, amount_vnd=200_000, buyer_name="Chị Lan",
                                 buyer_phone="+84912345678", delivery_address="Hà Nội",
                                 status="paid" if paid else "new", created_at=now))
        verified = db.session.get(Producer, honey)
        verified.submitted_at, verified.verified_at = now - timedelta(days=4), now
        db.session.get(Producer, waiting).created_by_id = helper
        db.session.commit()
    return {"officer_phone": officer_phone}
