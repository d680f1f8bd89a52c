"""Pure rules of the outbox: which channel reaches a producer, how long a retry waits, which
certificate reminder is due."""
from notifications.rules import backoff_seconds, choose_route, international_digits, reminder_threshold

ALL = frozenset({"email", "sms", "zalo"})


def test_the_producers_choice_wins_when_it_has_that_address():
    assert choose_route("sms", email="a@b.vn", phone="+84911", zalo="+84922", configured=ALL) == ("sms", "+84911")
    assert choose_route("email", email="a@b.vn", phone="+84911", configured=frozenset()) == ("email", "a@b.vn")


def test_automatically_zalo_first_where_known_and_configured_then_email_then_sms():
    assert choose_route(None, email="a@b.vn", phone="+84911", zalo="+84922", configured=ALL) == ("zalo", "+84922")
    assert choose_route(None, email="a@b.vn", phone="+84911", zalo="+84922",
                        configured=frozenset({"email", "sms"})) == ("email", "a@b.vn")
    assert choose_route(None, phone="+84911", zalo="+84922", configured=frozenset({"sms"})) == ("sms", "+84911")
    assert choose_route("email", phone="+84911", configured=ALL) == ("sms", "+84911"), "no address: the next one"
    # Nothing configured: still an address, so the row waits visibly until a channel is set up.
    assert choose_route(None, phone="+84911", configured=frozenset()) == ("sms", "+84911")
    assert choose_route(None, configured=ALL) is None


def test_back_off_doubles_up_to_six_hours():
    assert [backoff_seconds(n) for n in range(1, 6)] == [60, 120, 240, 480, 960]
    assert backoff_seconds(30) == 6 * 3600


def test_one_reminder_per_threshold_even_when_days_were_missed():
    assert reminder_threshold(120) is None
    assert reminder_threshold(90) == reminder_threshold(31) == 90
    assert reminder_threshold(30) == reminder_threshold(1) == 30
    assert reminder_threshold(0) == reminder_threshold(-12) == 0


def test_numbers_in_the_form_gateways_take():
    assert international_digits("+84912345678") == "84912345678"
