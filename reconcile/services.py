"""Reconciliation: store each bank transaction once, match it to an order, keep the order's
received total and status in step. Services change the session and never commit."""
import secrets as random_tokens
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from core.clock import utcnow
from extensions import db
from payments.models import Order
from payments.constants import OrderStatus
from payments.services import managed_condition
from notifications import services as notices
from producers import audit
from producers.models import Producer
from reconcile import secrets
from reconcile.models import BankFeed, BankTransaction
from reconcile.notifications import (Incoming, NotificationRefused, api_key_digest, check_casso_signature,
                                     check_sepay_api_key, check_sepay_hmac)
from reconcile.rules import (PAID_STATUSES, amount_outcome, order_code_candidates,
                             payment_progress)
from reconcile.constants import AmountOutcome, AuthMethod, MatchState, PaymentProgress, Service


def payment_window_hours() -> int:
    return int(current_app.config["ORDER_PAYMENT_WINDOW_HOURS"])


def progress_of(order) -> PaymentProgress:
    return payment_progress(order.status, order.amount_vnd, order.received_vnd or 0, order.created_at, utcnow(),
                            payment_window_hours())


# --- recording and matching -------------------------------------------------------------------

class Recorded:
    """What recording one transaction did: `created` is False for a retry or replay."""

    def __init__(self, transaction, created):
        self.transaction = transaction
        self.created = created


def _existing(producer_id, incoming: Incoming):
    return db.session.scalar(select(BankTransaction).filter_by(
        producer_id=producer_id, source=incoming.source, external_id=incoming.external_id))


def record_incoming(producer, incoming: Incoming) -> Recorded:
    """Store a money-in transaction once and match it to an order when its description names one.
    A second delivery of the same transaction (same source and id) returns the stored row unchanged."""
    existing = _existing(producer.id, incoming)
    if existing is not None:
        return Recorded(existing, False)
    transaction = BankTransaction(
        producer_id=producer.id, source=incoming.source, external_id=incoming.external_id,
        amount_vnd=incoming.amount_vnd, description=incoming.description, bank_reference=incoming.bank_reference,
        account_number=incoming.account_number, occurred_at=incoming.occurred_at, state=MatchState.UNMATCHED)
    try:
        with db.session.begin_nested():
            db.session.add(transaction)
            db.session.flush()
    except IntegrityError:
        # The same notification arrived twice at once; the other delivery stored it.
        return Recorded(_existing(producer.id, incoming), False)
    order = order_named_in(producer.id, incoming.description)
    if order is not None and counted_elsewhere(transaction, order):
        transaction.order_id, transaction.order = order.id, order
        transaction.state, transaction.matched_at = MatchState.ALREADY_COUNTED, utcnow()
    elif order is not None:
        apply_to_order(transaction, order)
    return Recorded(transaction, True)


def counted_elsewhere(transaction, order) -> bool:
    """Whether another source already counted this transfer for this order: same amount, same day.
    A producer with SePay who also uploads a statement must not see the order paid twice."""
    if transaction.occurred_at is None:
        return False
    day = transaction.occurred_at.date()
    for other in db.session.scalars(select(BankTransaction).where(
            BankTransaction.order_id == order.id, BankTransaction.source != transaction.source,
            BankTransaction.state == MatchState.MATCHED, BankTransaction.amount_vnd == transaction.amount_vnd)):
        if other.occurred_at is not None and other.occurred_at.date() == day:
            return True
    return False


def order_named_in(producer_id, description):
    """The producer's order whose code the description carries, however the bank rewrote it."""
    codes = order_code_candidates(description)
    if not codes:
        return None
    orders = {order.code: order for order in db.session.scalars(
        select(Order).where(Order.producer_id == producer_id, Order.code.in_(codes)))}
    return next((orders[code] for code in codes if code in orders), None)


def apply_to_order(transaction, order, actor=None) -> AmountOutcome:
    """Count the transaction towards the order. In full or more: an order awaiting payment becomes paid."""
    order.received_vnd = (order.received_vnd or 0) + transaction.amount_vnd
    outcome = amount_outcome(order.amount_vnd, order.received_vnd)
    transaction.order_id = order.id
    transaction.order = order
    transaction.state = MatchState.MATCHED
    transaction.outcome = outcome
    transaction.matched_at = utcnow()
    transaction.matched_by_id = actor.id if actor is not None else None
    if outcome != AmountOutcome.PARTIAL and order.status == OrderStatus.NEW:
        order.status = OrderStatus.PAID
        order.paid_at = utcnow()
        order.status_changed_by_id = actor.id if actor is not None else None
        audit.record("order_status_changed", order.producer,
                     {"order": order.code, "status": {"from": OrderStatus.NEW, "to": OrderStatus.PAID},
                      "by": transaction.source}, actor=actor)
        notices.notify_payment_received(order)
    return outcome


class MatchRefused(Exception):
    """`not_unmatched` or `order_not_found`."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def match_by_hand(transaction, order_code, actor) -> AmountOutcome:
    if transaction.state != MatchState.UNMATCHED:
        raise MatchRefused("not_unmatched")
    codes = order_code_candidates(order_code or "")
    order = db.session.scalar(select(Order).where(Order.producer_id == transaction.producer_id,
                                                  Order.code == codes[0])) if codes else None
    if order is None:
        raise MatchRefused("order_not_found")
    outcome = apply_to_order(transaction, order, actor)
    audit.record("payment_matched_by_hand", transaction.producer,
                 {"order": order.code, "amount_vnd": transaction.amount_vnd, "outcome": outcome}, actor=actor)
    return outcome


def ignore(transaction) -> bool:
    if transaction.state != MatchState.UNMATCHED:
        return False
    transaction.state = MatchState.IGNORED
    return True


def managed_transactions_query(user, state=MatchState.UNMATCHED):
    return (select(BankTransaction).join(Producer, Producer.id == BankTransaction.producer_id)
            .where(managed_condition(user), BankTransaction.state == state)
            .order_by(BankTransaction.received_at.desc(), BankTransaction.id.desc()))


# --- the producer's list of orders by payment ---------------------------------------------------

def progress_condition(progress: PaymentProgress, now, window_hours):
    """SQL for payment_progress (rules.py): the two must agree, a test checks it."""
    cutoff = now - timedelta(hours=window_hours)
    waiting = and_(Order.status == OrderStatus.NEW, Order.received_vnd == 0)
    return {
        PaymentProgress.AWAITING: and_(waiting, Order.created_at >= cutoff),
        PaymentProgress.EXPIRED: and_(waiting, Order.created_at < cutoff),
        PaymentProgress.PARTLY_PAID: and_(Order.status == OrderStatus.NEW, Order.received_vnd > 0,
                                          Order.received_vnd < Order.amount_vnd),
        PaymentProgress.PAID: or_(Order.status.in_(PAID_STATUSES),
                                  and_(Order.status == OrderStatus.NEW, Order.received_vnd >= Order.amount_vnd,
                                       Order.received_vnd > 0)),
        PaymentProgress.CANCELLED: Order.status == OrderStatus.CANCELLED,
    }[progress]


def orders_by_progress(user, progress: PaymentProgress | None):
    query = (select(Order).join(Producer, Producer.id == Order.producer_id).where(managed_condition(user))
             .order_by(Order.created_at.desc(), Order.id.desc()))
    if progress is not None:
        query = query.where(progress_condition(progress, utcnow(), payment_window_hours()))
    return query


# --- connections to SePay and Casso -------------------------------------------------------------

class FeedRefused(Exception):
    pass


def feed_for(producer, service):
    return db.session.scalar(select(BankFeed).filter_by(producer_id=producer.id, service=service))


def connect(producer, service: Service, method: AuthMethod, secret: str, actor) -> BankFeed:
    """Store (or replace) the producer's connection; the secret is kept encrypted or as a digest."""
    secret = secret.strip()
    feed = feed_for(producer, service)
    replaced = feed is not None
    if feed is None:
        feed = BankFeed(producer_id=producer.id, service=service, hook_id=random_tokens.token_urlsafe(16))
        db.session.add(feed)
    feed.auth_method = method
    if method == AuthMethod.SEPAY_API_KEY:
        feed.secret_digest, feed.secret_encrypted = api_key_digest(secret), None
    else:
        feed.secret_encrypted, feed.secret_digest = secrets.encrypt(secret), None
    feed.secret_hint = secret[-4:]
    feed.created_at, feed.created_by_id = utcnow(), actor.id
    audit.record("bank_feed_connected", producer,
                 {"service": str(service), "auth_method": str(method), "replaced": replaced}, actor=actor)
    return feed


def disconnect(producer, service: Service, actor) -> bool:
    feed = feed_for(producer, service)
    if feed is None:
        return False
    audit.record("bank_feed_disconnected", producer, {"service": str(service)}, actor=actor)
    db.session.delete(feed)
    return True


def feed_by_hook(service: Service, hook_id: str):
    return db.session.scalar(select(BankFeed).filter_by(service=service, hook_id=hook_id))


def authenticate(feed, headers, body: bytes, payload: dict) -> None:
    """NotificationRefused('bad_signature') unless the request carries the feed's secret."""
    if feed.auth_method == AuthMethod.SEPAY_API_KEY:
        check_sepay_api_key(feed.secret_digest or "", headers)
        return
    secret = secrets.decrypt(feed.secret_encrypted or "")
    if secret is None:
        raise NotificationRefused("bad_signature")
    if feed.auth_method == AuthMethod.SEPAY_HMAC:
        check_sepay_hmac(secret, headers, body)
    else:
        check_casso_signature(secret, headers, payload)
