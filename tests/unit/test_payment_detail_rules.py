"""Pure rules of payment-detail versions and of the notification outbox."""
from types import SimpleNamespace

import pytest

from notifications.rules import fits_one_sms, previous_contacts, sms_body, sms_length
from producers.versions import in_force, waiting


def versions(*statuses):
    return [SimpleNamespace(version=n, status=status) for n, status in enumerate(statuses, start=1)]


@pytest.mark.parametrize("statuses, expected", [
    ((), None),
    (("approved",), 1),
    (("superseded", "approved"), 2),
    (("approved", "pending"), None),  # a change waits: nothing is shown until it is checked
    (("approved", "rejected"), 1),  # a refused change leaves the last approved one in force
    (("superseded", "approved", "superseded", "rejected"), 2),
    (("pending",), None),
    (("rejected",), None),
    (("superseded", "superseded"), None),  # a removed link
])
def test_the_version_in_force(statuses, expected):
    found = in_force(versions(*statuses))
    assert (found.version if found else None) == expected


def test_waiting_is_only_the_newest_pending_version():
    assert waiting(versions("approved", "pending")).version == 2
    assert waiting(versions("pending", "approved")) is None
    assert waiting([]) is None


def test_sms_length_counts_gsm_and_ucs2():
    assert sms_length("Cho Que: ok") == (11, 160)
    assert sms_length("a{b") == (4, 160)  # an extension character takes two septets
    assert sms_length("Chợ Quê") == (7, 70)


def test_vietnamese_goes_out_without_diacritics_so_one_sms_holds_160_characters():
    text = "Chợ Quê: tài khoản nhận tiền của bạn vừa được đổi (đuôi 5443). Không phải bạn? Gọi ngay cán bộ xã."
    assert sms_body(text, "https://choque.vn/x").startswith("Cho Que: tai khoan nhan tien cua ban vua duoc doi")
    assert fits_one_sms(text, "https://choque.vn/nha-san-xuat")
    assert not fits_one_sms(text * 2)


@pytest.mark.parametrize("phone, zalo, owner, expected", [
    ("+84912000111", "+84912000111", "+84900000001", [("sms", "+84912000111")]),
    ("+84912000111", "+84933000222", None, [("sms", "+84912000111"), ("zalo", "+84933000222")]),
    (None, "+84933000222", "+84900000001", [("zalo", "+84933000222")]),
    (None, None, "+84900000001", [("sms", "+84900000001")]),
    (None, None, None, []),
])
def test_previous_contacts(phone, zalo, owner, expected):
    assert previous_contacts(phone, zalo, owner) == expected
