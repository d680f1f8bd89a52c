"""Shared pieces for the wizard tests: real JPEG bytes, valid form data per step, and a
`Wizard` that walks the steps through the test client (CSRF on)."""
import io
import re
from datetime import date, timedelta

from PIL import Image

from extensions import db

LAO_CAI, GIA_PHU = 15, 2923
THAI_NGUYEN, BANG_THANH = 19, 1864
VALID_TAX_CODE = "0100233488"
AGRIBANK = "970405"
RECENT_DECISION = date.today() - timedelta(days=200)  # still valid, whatever day the suite runs
ANY_PAGE = "/dang-nhap"  # a page that carries a CSRF token for everyone


def jpeg_bytes(size=(640, 480), color=(190, 120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def photo(name="photo.jpg", data=None):
    return (io.BytesIO(data if data is not None else jpeg_bytes()), name)


def profile_data(**overrides):
    data = {"kind": "cooperative", "legal_name": "HTX Mật ong Gia Phú", "tax_code": VALID_TAX_CODE,
            "representative": "Nguyễn Văn An", "province": str(LAO_CAI), "commune": str(GIA_PHU),
            "address": "Thôn Đông, số 12", "phone": "0912 345 678", "zalo": "", "action": "save"}
    data.update(overrides)
    return data


def certificate_data(**overrides):
    data = {"product_name": "Mật ong bạc hà", "product_set": "4", "stars": "4", "decision_no": "3981/QĐ-UBND",
            "issuing_body": "UBND tỉnh Lào Cai", "decision_date": RECENT_DECISION.isoformat(),
            "photo": photo("cert.jpg")}
    data.update(overrides)
    return data


def bank_data(**overrides):
    data = {"bank_bin": AGRIBANK, "account_number": "1903 6547 8901", "holder_name": "Nguyễn Văn An"}
    data.update(overrides)
    return data


def use_english(client, auth):
    """Message tests read the English msgids, so they do not depend on the compiled catalogue;
    separate tests check that Vietnamese is the default."""
    response = client.post("/ngon-ngu", data={"lang": "en", "next": "/", "csrf_token": auth.token("/")})
    assert response.status_code == 302


def producer_id_from(location):
    match = re.search(r"/ho-so/(\d+)/", location)
    assert match, location
    return int(match.group(1))


class Wizard:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth

    def post(self, path, data, **kwargs):
        return self.auth.post(path, data, form_page=ANY_PAGE, **kwargs)

    def start(self, **overrides):
        response = self.post("/nha-san-xuat/ho-so", profile_data(**overrides))
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return producer_id_from(response.headers["Location"])

    def base(self, producer_id):
        return f"/nha-san-xuat/ho-so/{producer_id}"

    def versioned(self, page, data):
        """`data` plus the edit version the step's form carries, as a browser would send it."""
        from tests.conftest import VERSION_RE

        response = self.client.get(page)
        if response.status_code == 200:
            for name, value in VERSION_RE.findall(response.get_data(as_text=True)):
                data.setdefault(name, value)
        return data

    def profile(self, producer_id, **overrides):
        path = f"{self.base(producer_id)}/buoc-2"
        return self.post(path, self.versioned(path, profile_data(**overrides)))

    def registration(self, producer_id, data=None, name="dkkd.jpg"):
        return self.post(f"{self.base(producer_id)}/buoc-3/dang-ky-kinh-doanh", {"photo": photo(name, data)})

    def certificate(self, producer_id, **overrides):
        return self.post(f"{self.base(producer_id)}/buoc-3/chung-nhan", certificate_data(**overrides))

    def documents_done(self, producer_id):
        return self.post(f"{self.base(producer_id)}/buoc-3/tiep-tuc", {})

    def bank(self, producer_id, **overrides):
        path = f"{self.base(producer_id)}/buoc-4"
        return self.post(path, self.versioned(path, bank_data(**overrides)))

    def submit(self, producer_id):
        return self.post(f"{self.base(producer_id)}/gui", {})

    def complete(self, **overrides):
        """Steps 2-4 filled in validly; returns the producer id (not yet submitted)."""
        producer_id = self.start(**overrides)
        assert self.registration(producer_id).status_code == 302
        assert self.certificate(producer_id).status_code == 302
        assert self.documents_done(producer_id).status_code == 302
        assert self.bank(producer_id).status_code == 302
        return producer_id


def text(response):
    return response.get_data(as_text=True)


def get_producer(app, producer_id):
    from producers.models import Producer

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        if producer is not None:
            # Load what the tests inspect before the session closes.
            producer.certificates, producer.documents, producer.payment_accounts  # noqa: B018
            db.session.expunge_all()
        return producer


def audit_actions(app, producer_id):
    from producers.models import AuditEvent

    with app.app_context():
        return [(event.action, event.actor_id, event.changes) for event in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.producer_id == producer_id).order_by(AuditEvent.id))]


def set_status(app, producer_id, status, reason=None, approve_payment=False):
    """What the officer side would do (its own tests cover how)."""
    from producers.models import PaymentAccount, Producer

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        producer.status = status
        producer.status_reason = reason
        if approve_payment:
            for account in producer.payment_accounts:
                if account.status == PaymentAccount.PENDING:
                    account.status = PaymentAccount.APPROVED
        db.session.commit()
