import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from accounts.fields import PhoneField
from payments.rules import MAX_QUANTITY, MIN_QUANTITY, PaymentLinkError, check_payment_link
from payments.texts import link_message

FORM_TOKEN_SALT = "order-form-started"
FORM_MAX_AGE = 8 * 3600  # same as the CSRF token

SPAM_MESSAGES = {
    "honeypot": _l("Your order could not be sent. Please check the form and try again."),
    "too_fast": _l("That was very quick. Please check your details and press “Send order” again."),
    "expired": _l("The form is out of date. Please check your details and press “Send order” again."),
}


def _form_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=FORM_TOKEN_SALT)


def min_fill_seconds() -> float:
    return float(current_app.config["ORDER_MIN_FILL_SECONDS"])


def restamp_started(started: str) -> str:
    """The order form's start stamp for the same product, signed now: a product page kept by the
    page cache (core/pagecache.py) is shown to a new buyer at a new moment."""
    try:
        product_id = _form_serializer().loads(started)
    except BadSignature:
        return started  # not ours to renew: the check at sending time refuses it as before
    return _form_serializer().dumps(product_id)


class OrderForm(FlaskForm):
    """No price or amount field: the server computes the amount from the stored price."""

    quantity = IntegerField(_l("Quantity"), default=1, validators=[
        InputRequired(_l("Please enter how many you want.")),
        NumberRange(MIN_QUANTITY, MAX_QUANTITY, _l("Please choose a quantity from %(min)s to %(max)s."))])
    buyer_name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Please enter your name.")), Length(max=120)])
    buyer_phone = PhoneField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))])
    delivery_address = TextAreaField(_l("Delivery address"), validators=[
        DataRequired(_l("Please enter the delivery address.")),
        Length(min=8, max=300, message=_l("Please enter the full address (house number, village or street, "
                                          "commune, province) in at most 300 characters."))])
    note = TextAreaField(_l("Note for the producer (optional)"), validators=[Optional(), Length(max=500)])
    # Spam traps: a field people never see, and the signed moment the form was shown.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def start(self, product_id: int) -> "OrderForm":
        """Stamp a fresh signed start time (a new one after each refusal)."""
        self.started.data = _form_serializer().dumps(product_id)
        return self

    def spam_problem(self, product_id: int) -> str | None:
        """'honeypot', 'too_fast', 'expired' or None."""
        if (self.website.data or "").strip():
            return "honeypot"
        try:
            signed_id, signed_at = _form_serializer().loads(
                self.started.data or "", max_age=FORM_MAX_AGE, return_timestamp=True)
        except (SignatureExpired, BadSignature):
            return "expired"
        if signed_id != product_id:
            return "expired"
        if time.time() - signed_at.timestamp() < min_fill_seconds():
            return "too_fast"
        return None


class LookupForm(FlaskForm):
    code = StringField(_l("Order code"), validators=[DataRequired(_l("Please enter the order code."))])
    phone = PhoneField(_l("Mobile number used for the order"),
                       validators=[DataRequired(_l("Please enter your mobile number."))])


def _valid_payment_link(form, field):
    try:
        field.data = check_payment_link(field.data)
    except PaymentLinkError as error:
        raise ValidationError(link_message(error)) from None


class PaymentLinkForm(FlaskForm):
    """A link can redirect buyers' money: the editor confirms with their own password, and the
    form carries the version it was opened on, so a save over someone else's newer change is refused."""
    url = StringField(_l("Payment link"), validators=[_valid_payment_link])
    current_password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Please enter your current password to change the payment link.")), Length(max=256)])
    seen_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
