"""Translatable texts for the codes raised by payments.rules."""
from flask_babel import lazy_gettext as _l

from payments.rules import OrderRefused, PaymentLinkError

REFUSAL_MESSAGES = {
    "not_public": _l("This product is not on sale."),
    "out_of_stock": _l("This product is out of stock at the moment."),
    "out_of_season": _l("This product is out of season at the moment."),
    "no_price": _l("The producer has not set a price for this product yet. Please call the producer."),
    "payment_pending": _l("Ordering is paused while the producer's new payment details are verified. "
                          "Please try again later."),
    "no_payment_account": _l("This producer cannot take orders on Chợ Quê yet (no verified bank account)."),
    "bad_quantity": _l("Please choose a quantity from %(min)s to %(max)s."),
    "amount_too_large": _l("The total must be less than 500,000,000 dong (the limit of one bank transfer). "
                           "Please order fewer, or call the producer."),
}

LINK_MESSAGES = {
    "empty": _l("Please enter the payment link."),
    "too_long": _l("The link can have at most %(max)s characters."),
    "not_https": _l("Only secure links starting with https:// are accepted."),
    "not_a_url": _l("This is not a web address. Copy the whole link, e.g. https://buy.stripe.com/…"),
}

def refusal_message(error: OrderRefused | str) -> str:
    code, params = (error, {}) if isinstance(error, str) else (error.code, error.params)
    return str(REFUSAL_MESSAGES[code]) % params


def link_message(error: PaymentLinkError) -> str:
    return str(LINK_MESSAGES[error.code]) % error.params
