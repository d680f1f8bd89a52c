"""The history's formatting, without Flask: every value as a person reads it."""
from datetime import date, datetime

from verification import history


def words(value):
    return str(value)


def test_bank_bins_read_as_bank_names():
    lines = history.describe("payment_details_changed", {"bank_bin": {"from": "970405", "to": "970436"}})
    assert [(words(line.label), words(line.before), words(line.after)) for line in lines] == [
        ("Bank", "Agribank", "Vietcombank")]


def test_places_and_product_sets_read_as_names():
    commune = history.format_value("commune_code", 14701)
    assert commune == "Xã Yên Mô, Ninh Bình"
    assert history.format_value("province_code", 15) == "Lào Cai"
    assert history.format_value("product_set_code", 4, "vi") != "4"
    assert history.format_value("product_set_code", 4, "en") != history.format_value("product_set_code", 4, "vi")


def test_dates_in_the_readers_form():
    assert history.format_value("decision_date", "2027-05-20", "vi") == "20/05/2027"
    assert history.format_value("decision_date", date(2027, 5, 20), "en") == "20 May 2027"  # as every English page writes a day
    assert history.format_day(datetime(2027, 5, 20, 9, 30), "vi") == "20/05/2027"


def test_booleans_kinds_and_statuses_are_words():
    assert words(history.format_value("needs_reapproval", True)) == "yes"
    assert words(history.format_value("needs_reapproval", False)) == "no"
    assert words(history.format_value("kind", "household")) == "Household business"
    assert words(history.format_value("kind", "business_registration", action="document_added")) == \
        "Business registration"
    assert words(history.format_value("status", "changes_requested")) == "Changes requested"
    assert words(history.format_value("status", "published", action="product_status_changed")) == "For sale"


def test_account_numbers_grouped_and_masked_ones_stay_masked():
    assert history.format_value("account_number", "0071000123456") == "0071 0001 2345 6"
    assert history.format_value("account_number", "•••••••••3456") == "• •••• •••• 3456"
    assert "0071" not in history.format_value("account_number", "•••••••••3456")


def test_money_phone_and_empty_values():
    assert history.format_value("price_vnd", 120000, "vi") == "120.000\xa0₫"
    assert history.format_value("phone", "+84912345678") == "0912 345 678"
    assert history.format_value("zalo", None) == "—"


def test_unknown_fields_read_as_words_and_row_ids_are_hidden():
    lines = history.describe("certificate_added", {"certificate_id": 7, "some_new_field": "x",
                                                   "decision_no": "12/QĐ"})
    labels = [words(line.label) for line in lines]
    assert labels == ["Decision number", "Some new field"]
    assert all("_" not in label for label in labels)


def test_changes_since_request_merges_each_field_from_first_to_last():
    events = [
        ("profile_updated", {"legal_name": {"from": "A", "to": "B"}}, 1),
        ("changes_requested", {"status": {"from": "submitted", "to": "changes_requested"}}, 2),
        ("profile_updated", {"legal_name": {"from": "B", "to": "C"}, "address": {"from": "x", "to": "y"}}, 3),
        ("profile_updated", {"legal_name": {"from": "C", "to": "D"}, "address": {"from": "y", "to": "x"}}, 4),
        ("payment_details_changed", {"bank_bin": {"from": "970405", "to": "970436"}, "version": 2,
                                     "needs_reapproval": False}, 5),
        ("certificate_added", {"certificate_id": 3, "decision_no": "9/QĐ"}, 6),
        ("submitted", {"status": {"from": "changes_requested", "to": "submitted"}}, 7),
    ]
    since = history.changes_since_request(events)
    assert since.requested_at == 2
    assert since.fields == {"legal_name": {"from": "B", "to": "D"},
                            "bank_bin": {"from": "970405", "to": "970436"}}
    assert since.events == [("certificate_added", {"certificate_id": 3, "decision_no": "9/QĐ"})]


def test_no_box_before_the_dossier_comes_back():
    assert history.changes_since_request([("submitted", {}, 1)]) is None
    assert history.changes_since_request([("changes_requested", {}, 1),
                                          ("profile_updated", {"address": {"from": 1, "to": 2}}, 2)]) is None
