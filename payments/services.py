"""Payment codes, orders and payment links. Services change the session and never commit.

Tampering rule (docs/SECURITY-REFERENCE.md §5): a code is built from the
producer's CURRENT approved bank details on every call, never stored. While a
newer version of the details awaits re-approval, Producer.approved_payment_account
is None and no code at all is produced (VietQR or payment link).
"""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import or_

from core.clock import utcnow
from accounts.phones import normalise_mobile
from catalog.models import Product
from extensions import db
from producers.banks import bank_by_bin
from payments import rules
from payments.models import Order, PaymentLink
from payments.qrimage import mask_account
from payments.constants import OrderStatus
from payments.rules import (OrderRefused, PaymentLinkError, can_change_status, check_payment_link, new_order_code,
                            normalise_order_code, order_amount, order_refusal, with_client_reference)
from payments.vietqr import VietQRError, build_payload
from notifications import services as notices
from producers import audit, payment_details
from producers.models import Producer, ProducerStatus
from producers.versions import PaymentDetail


class PaymentState:
    READY = "ready"  # verified producer with approved bank details: codes may be shown
    PENDING = "pending"  # new bank details await re-approval: every code is hidden
    UNAVAILABLE = "unavailable"  # not verified, or no approved bank details


@dataclass(frozen=True)
class PaymentTarget:
    """Approved bank details, as printed beside every code."""
    bin: str
    account_number: str
    holder_name: str
    bank_name: str  # the short name buyers know ('Agribank')
    bank_official_name: str = ""  # as registered with the State Bank, to pick the right bank by hand

    @property
    def masked_account(self) -> str:
        return mask_account(self.account_number)


def payment_state(producer) -> str:
    if producer is None or producer.status != ProducerStatus.VERIFIED:
        return PaymentState.UNAVAILABLE
    if producer.approved_payment_account is not None:
        return PaymentState.READY
    if producer.pending_payment_account is not None:
        return PaymentState.PENDING
    return PaymentState.UNAVAILABLE


def payment_target(producer) -> PaymentTarget | None:
    if payment_state(producer) != PaymentState.READY:
        return None
    account = producer.approved_payment_account
    bank = bank_by_bin(account.bank_bin)
    return PaymentTarget(bin=account.bank_bin, account_number=account.account_number,
                         holder_name=account.holder_name, bank_name=bank.short_name if bank else account.bank_bin,
                         bank_official_name=bank.official_name if bank else "")


def _payload(target: PaymentTarget | None, **fields) -> str | None:
    if target is None:
        return None
    try:
        return build_payload(target.bin, target.account_number, **fields)
    except VietQRError as error:
        # Approved details that cannot make a code (a data error) must not break the page.
        current_app.logger.error("VietQR refused approved details (%s) for BIN %s", error.code, target.bin)
        return None


def static_payload(producer) -> str | None:
    """The producer's reusable code (no amount), for the producer page and the A6 sign."""
    return _payload(payment_target(producer))


def order_memo(order) -> str:
    return rules.order_memo(order.code, order.product_name).text


def order_payload(order) -> str | None:
    """The dynamic code for an order awaiting payment, or None."""
    if order.status != OrderStatus.NEW:
        return None
    return _payload(payment_target(order.producer), amount=order.amount_vnd, memo=order_memo(order))


# --- orders -------------------------------------------------------------------

def current_month() -> int:
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).month


def refusal_for(product) -> str | None:
    """Why this product cannot be ordered now (a code for payments.texts), or None."""
    return order_refusal(
        is_public=product.is_public, availability=product.availability, season_months=product.months,
        month=current_month(), price_vnd=product.price_vnd, payment_state=payment_state(product.producer))


def public_product(product_id):
    """A product buyers may see, or None (drafts and unverified producers look absent)."""
    return db.session.scalar(Product.public().where(Product.id == product_id))


def unused_order_code(attempts: int = 20) -> str:
    for _ in range(attempts):
        code = new_order_code()
        if db.session.scalar(db.select(Order.id).filter_by(code=code)) is None:
            return code
    raise RuntimeError("no unused order code found")  # 1 in ~10^9 per try: the table cannot be that full


def create_order(product, *, quantity, buyer_name, buyer_phone, delivery_address, note="") -> Order:
    """The amount is the stored price × quantity at this moment; nothing about money comes from the buyer."""
    refusal = refusal_for(product)
    if refusal:
        raise OrderRefused(refusal)
    amount = order_amount(product.price_vnd, quantity)
    order = Order(
        code=unused_order_code(), product_id=product.id, producer_id=product.producer_id,
        product_name=product.name, unit=product.unit or "", unit_price_vnd=product.price_vnd,
        quantity=quantity, amount_vnd=amount, buyer_name=buyer_name.strip(), buyer_phone=buyer_phone,
        delivery_address=delivery_address.strip(), note=(note or "").strip(), status=OrderStatus.NEW)
    db.session.add(order)
    db.session.flush()
    notices.notify_new_order(order)
    return order


class StatusChangeRefused(Exception):
    pass


def change_status(order, target: str, actor) -> None:
    if not can_change_status(order.status, target):
        raise StatusChangeRefused(f"{order.status} -> {target}")
    before = order.status
    order.status = target
    setattr(order, Order.STATUS_TIMESTAMPS[target], utcnow())
    order.status_changed_by_id = actor.id
    audit.record("order_status_changed", order.producer,
                 {"order": order.code, "status": {"from": before, "to": target}}, actor=actor)


# --- who may see an order -------------------------------------------------------
# The creating browser remembers its codes in the (signed) session; anyone
# else needs code + phone. Image URLs handed out by the API carry a signed,
# short-lived token instead of the phone number.
SESSION_KEY = "order_codes"
REMEMBERED_ORDERS = 20
QR_TOKEN_SALT = "order-payment-qr"
QR_TOKEN_MAX_AGE = 24 * 3600


def remember_order(code: str) -> None:
    codes = [known for known in session.get(SESSION_KEY, []) if known != code]
    session[SESSION_KEY] = (codes + [code])[-REMEMBERED_ORDERS:]


def is_remembered(code: str) -> bool:
    return code in session.get(SESSION_KEY, [])


def order_by_code(code):
    code = normalise_order_code(code)
    return db.session.scalar(db.select(Order).filter_by(code=code)) if code else None


def find_order(code, phone):
    """The order with this code AND this buyer phone, else None (same answer for either mistake)."""
    code, phone = normalise_order_code(code), normalise_mobile(phone or "")
    if not code or not phone:
        return None
    return db.session.scalar(db.select(Order).filter_by(code=code, buyer_phone=phone))


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=QR_TOKEN_SALT)


def qr_token(code: str) -> str:
    return _serializer().dumps(code)


def _token_allows(token: str, code: str) -> bool:
    try:
        return _serializer().loads(token, max_age=QR_TOKEN_MAX_AGE) == code
    except BadSignature:
        return False


def accessible_order(code, phone=None, token=None):
    """The order if this request may see it (session, phone or token), else None."""
    order = order_by_code(code)
    if order is None:
        return None
    if is_remembered(order.code):
        return order
    if phone and normalise_mobile(phone) == order.buyer_phone:
        return order
    if token and _token_allows(token, order.code):
        return order
    return None


# --- producers a user manages ------------------------------------------------------

def managed_condition(user):
    """Producers this user acts for: its own, or those of its communes (officers, helpers)."""
    conditions = [Producer.owner_id == user.id]
    if user.works_for_communes and user.commune_codes:
        conditions.append(Producer.commune_code.in_(user.commune_codes))
    return or_(*conditions)


def managed_producers(user, verified_only=False):
    query = db.select(Producer).where(managed_condition(user)).order_by(Producer.legal_name, Producer.id)
    if verified_only:
        query = query.where(Producer.status == ProducerStatus.VERIFIED)
    return db.session.scalars(query).all()


def managed_orders_query(user):
    return (db.select(Order).join(Producer, Producer.id == Order.producer_id)
            .where(managed_condition(user)).order_by(Order.created_at.desc(), Order.id.desc()))


# --- payment links -------------------------------------------------------------------

def payment_link(producer) -> PaymentLink | None:
    """The link in force: approved by an officer, with no newer change waiting."""
    return payment_details.version_in_force(PaymentLink, producer)


def latest_payment_link(producer) -> PaymentLink | None:
    """The newest version, whatever its status (what the editing page shows)."""
    return payment_details.latest_version(PaymentLink, producer)


def link_version_number(producer) -> int:
    """The number an edit form carries so that a save over a newer change is refused."""
    latest = latest_payment_link(producer)
    return latest.version if latest else 0


class StaleLinkForm(Exception):
    """The link changed after the editing page was opened."""


def set_payment_link(producer, url: str, actor, seen_version: int | None = None) -> tuple[PaymentLink, bool]:
    """Add a checked https link as a pending version (PaymentLinkError otherwise); it stays
    hidden from buyers until an officer other than `actor` approves it. Returns (version, changed)."""
    url = check_payment_link(url)
    if seen_version is not None and seen_version != link_version_number(producer):
        raise StaleLinkForm()
    return payment_details.add_version(PaymentLink, PaymentDetail.PAYMENT_LINK, producer, {"url": url}, actor)


def remove_payment_link(producer, actor) -> bool:
    return payment_details.withdraw_all(PaymentLink, PaymentDetail.PAYMENT_LINK, producer, actor)


def order_payment_link(order) -> str | None:
    """The producer's link with client_reference_id=<order code>, under the same rule as the VietQR:
    only for an order awaiting payment whose producer has approved bank details."""
    if order_payload(order) is None:
        return None
    link = payment_link(order.producer)
    if link is None:
        return None
    try:
        return with_client_reference(check_payment_link(link.url), order.code)
    except PaymentLinkError:
        return None


def absolute_url(endpoint: str, **values) -> str:
    """Absolute URL on the public site address (correct behind a proxy)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)
