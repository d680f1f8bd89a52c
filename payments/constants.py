"""The words of payments: an order's statuses, the moves between them, and their labels."""
from flask_babel import lazy_gettext as _l


class OrderStatus:
    NEW = "new"  # waiting for the buyer's transfer
    PAID = "paid"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ALL = (NEW, PAID, SHIPPED, COMPLETED, CANCELLED)
    # Payment comes first (the buyer pays by bank transfer before shipping);
    # a paid order may still be cancelled, the producer then refunds by hand.
    TRANSITIONS = {
        NEW: (PAID, CANCELLED),
        PAID: (SHIPPED, CANCELLED),
        SHIPPED: (COMPLETED,),
        COMPLETED: (),
        CANCELLED: (),
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


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
