"""Translatable texts for the codes raised by payments.rules, and order status names."""
from flask_babel import lazy_gettext as _l

from payments.rules import OrderRefused, OrderStatus, PaymentLinkError

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

STATUS_LABELS = {
    OrderStatus.NEW: _l("Awaiting payment"),
    OrderStatus.PAID: _l("Paid"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.CANCELLED: _l("Cancelled"),
}

# The producer's buttons, named by what they do.
STATUS_ACTIONS = {
    OrderStatus.PAID: _l("Mark as paid"),
    OrderStatus.SHIPPED: _l("Mark as shipped"),
    OrderStatus.COMPLETED: _l("Mark as completed"),
    OrderStatus.CANCELLED: _l("Cancel the order"),
}

# What the buyer should expect next, by status.
STATUS_EXPLANATIONS = {
    OrderStatus.NEW: _l("The producer will check the transfer and confirm the payment."),
    OrderStatus.PAID: _l("The producer has received your payment and will prepare and send the goods."),
    OrderStatus.SHIPPED: _l("The goods are on their way. The producer or the carrier will call you."),
    OrderStatus.COMPLETED: _l("This order is complete. Thank you for buying from the countryside!"),
    OrderStatus.CANCELLED: _l("This order was cancelled. If you already paid, the producer will contact you "
                              "about the refund."),
}


def refusal_message(error: OrderRefused | str) -> str:
    code, params = (error, {}) if isinstance(error, str) else (error.code, error.params)
    return str(REFUSAL_MESSAGES[code]) % params


def link_message(error: PaymentLinkError) -> str:
    return str(LINK_MESSAGES[error.code]) % error.params


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
