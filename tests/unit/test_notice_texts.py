"""Every message fits one SMS in both languages with its link, even with long names: at most
160 GSM-7 characters once Vietnamese is folded to ASCII (what the SMS carries), the names cut
when needed. The texts are built by the same function the services use."""
from datetime import date

import pytest
from flask_babel import force_locale

from core.i18n import format_day
from notifications import services
from notifications.constants import NoticeKind
from notifications.rules import GSM7_SINGLE_SMS, fits_one_sms, sms_body, sms_length
from notifications.texts import NOTICE_TEXTS

LONG_PRODUCER = "Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Sản xuất và Tiêu thụ Mật ong Bạc hà Cao nguyên đá Đồng Văn"
LONG_PRODUCT = "Mật ong bạc hà Mèo Vạc nguyên chất hũ thủy tinh 500 ml loại đặc biệt OCOP 4 sao"
PARAMS = {
    "name": LONG_PRODUCER, "product": LONG_PRODUCT, "code": "CQ7K2M9X", "quantity": 120,
    "amount": "12.500.000", "last4": "5443", "phone": "0977 111 222",
    "date": lambda: format_day(date(2027, 9, 30)),
}
LINKS = {  # the longest page each kind links to, on a realistic public address
    "dossier": "https://choque.vn/can-bo/ho-so/1234567",
    "profile": "https://choque.vn/nha-san-xuat/ho-so/1234567/buoc-5",
    "order": "https://choque.vn/nha-san-xuat/don-hang/CQ7K2M9X",
    "claim": "https://choque.vn/n/ACDEF-GHJKM",
    "home": "https://choque.vn/nha-san-xuat",
}
LINK_OF = {NoticeKind.DOSSIER_SUBMITTED: "dossier", NoticeKind.NEW_ORDER: "order", NoticeKind.PAYMENT_RECEIVED: "order",
           NoticeKind.CLAIM_CODE: "claim", NoticeKind.BANK_ACCOUNT_CHANGED: "home",
           NoticeKind.PAYMENT_LINK_CHANGED: "home", NoticeKind.BANK_ACCOUNT_REJECTED: "home",
           NoticeKind.PAYMENT_LINK_REJECTED: "home"}


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_message_fits_one_sms(app, kind):
    assert kind in NOTICE_TEXTS
    link = LINKS[LINK_OF.get(kind, "profile")]
    with app.app_context():
        texts = services._texts(kind, link, **PARAMS)
    for language, text in texts.items():
        used, room = sms_length(sms_body(text, link))
        assert fits_one_sms(text, link) and room == GSM7_SINGLE_SMS, (kind, language, used, sms_body(text, link))
        assert text.startswith("Chợ Quê: ")
    assert texts["vi"] != texts["en"], "the Vietnamese text is in the catalogue"


def test_long_names_are_cut_not_the_message(app):
    link = LINKS["profile"]
    with app.app_context():
        texts = services._texts(NoticeKind.VERIFIED, link, name=LONG_PRODUCER)
        short = services._texts(NoticeKind.VERIFIED, link, name="HTX Gia Phú")
    assert short["vi"] == "Chợ Quê: HTX Gia Phú đã được xác minh. Sản phẩm có thể lên chợ:"
    assert short["en"] == "Chợ Quê: HTX Gia Phú is verified. Your products can go on sale:"
    assert texts["vi"].startswith("Chợ Quê: Hợp tác xã Nông nghiệp") and "..." in texts["vi"]
    assert texts["vi"].endswith("đã được xác minh. Sản phẩm có thể lên chợ:")


def test_dates_are_in_each_language_form(app):
    with app.app_context(), force_locale("vi"):
        texts = services._texts(NoticeKind.CERTIFICATE_EXPIRING, LINKS["profile"], product="Miến dong",
                                date=lambda: format_day(date(2027, 9, 30)))
    assert "hết hạn ngày 30/09/2027" in texts["vi"] and "expires on 30 Sep 2027" in texts["en"], texts
