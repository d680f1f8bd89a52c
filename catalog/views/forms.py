from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from catalog.constants import AVAILABILITY_LABELS, STATUS_CHOICE_LABELS, Availability, ProductStatus
from catalog.rules import InputError, clean_ref, parse_price_vnd, parse_weight_g, suggest_product_set
from core.conflicts import VersionField
from core.i18n import format_day
from producers.ocop import product_set, product_sets

INPUT_MESSAGES = {
    "empty": _l("Please enter a number."),
    "not_a_number": _l("Please enter digits only, e.g. 120.000."),
    "decimal": _l("Please enter a whole number of đồng, without decimals (e.g. 120.000)."),
    "negative": _l("The number cannot be negative."),
    "zero": _l("The number must be greater than zero."),
    "too_large": _l("The number is too large (at most %(maximum)s)."),
    "ref_characters": _l("Use only letters without accents, digits and . _ / - (e.g. MO-500)."),
    "ref_too_long": _l("The reference can have at most %(maximum)s characters."),
}
TOO_LONG = _l("Please keep this under %(max)d characters.")
MONTH_NAMES = [(month, _l("Month %(number)s", number=month)) for month in range(1, 13)]
STATUS_CHOICES = [(status, _l(STATUS_CHOICE_LABELS[status])) for status in ProductStatus]
AVAILABILITY_CHOICES = [(availability, _l(AVAILABILITY_LABELS[availability])) for availability in Availability]


def input_message(error: InputError) -> str:
    return str(INPUT_MESSAGES[error.code]) % {"maximum": f"{error.params.get('maximum', 0):,}".replace(",", ".")}


def product_set_choices(locale="vi"):
    """The 26 OCOP product sets grouped under their 6 groups (an <optgroup> each)."""
    grouped = {}
    for item in product_sets():
        grouped.setdefault(f"{item.group_code}. {item.group(locale)}", []).append((item.code, item.name(locale)))
    return grouped


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberText(StringField):
    """Digits as people type them ('120.000', '120 000'); `value` holds the whole number."""

    def __init__(self, label=None, validators=None, parser=parse_price_vnd, required=True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parser, self.required, self.value = parser, required, None

    def pre_validate(self, form):
        try:
            self.value = self.parser(self.data)
        except InputError as error:
            raise ValidationError(input_message(error)) from None
        if self.value is None and self.required:
            raise ValidationError(_l("Please enter the price in đồng, e.g. 120.000."))


class ProductForm(FlaskForm):
    name = StringField(_l("Product name"), validators=[
        DataRequired(_l("Please enter the product name.")), Length(max=200, message=TOO_LONG)])
    # No set is chosen in advance (honey was filed under fresh vegetables); one left empty is
    # suggested from the name and the farmer confirms it.
    product_set_code = SelectField(_l("OCOP product set"), coerce=_optional_int, validate_choice=False)
    certificate_id = SelectField(_l("OCOP certificate"), coerce=_optional_int, validate_choice=True)
    price = NumberText(_l("Price (đồng)"))
    unit = StringField(_l("Selling unit"), validators=[
        DataRequired(_l("Please say what one item is, e.g. hộp 200g.")), Length(max=60, message=TOO_LONG)])
    weight = NumberText(_l("Weight in grams (for shipping)"), parser=parse_weight_g, required=False)
    description = TextAreaField(_l("Description"), validators=[Length(max=5000, message=TOO_LONG)])
    availability = RadioField(_l("Availability"), choices=AVAILABILITY_CHOICES, default=Availability.IN_STOCK)
    season_months = MultiCheckboxField(_l("Months in season"), choices=MONTH_NAMES, coerce=int)
    harvest_season = StringField(_l("Harvest season"), validators=[Length(max=120, message=TOO_LONG)])
    ref = StringField(_l("Your reference (optional)"), validators=[Length(max=50, message=TOO_LONG)])
    status = RadioField(_l("Status"), choices=STATUS_CHOICES, default=ProductStatus.DRAFT)
    photos = MultipleFileField(_l("Photos"))
    edit_version = VersionField()  # the product's version this form was filled from

    def __init__(self, *args, certificates=(), locale="vi", **kwargs):
        super().__init__(*args, **kwargs)
        self.product_set_code.choices = product_set_choices(locale)  # the template adds "— Choose —"
        self.certificate_id.choices = [(None, _l("No OCOP certificate"))] + [
            (certificate.id, _certificate_label(certificate, locale)) for certificate in certificates]

    def validate_ref(self, field):
        try:
            field.data = clean_ref(field.data)
        except InputError as error:
            raise ValidationError(input_message(error)) from None

    def validate_product_set_code(self, field):
        if field.data is not None and product_set(field.data) is not None:
            return
        suggestion = suggest_product_set(self.name.data)
        if suggestion is None:
            raise ValidationError(_l("Please choose the OCOP product set."))
        field.data = suggestion
        raise ValidationError(_l("From the name we suggest “%(set)s”. It is chosen for you: check it and save "
                                 "again.", set=product_set(suggestion).name(str(get_locale() or "vi"))))

    def validate_season_months(self, field):
        if self.availability.data == Availability.SEASONAL and not field.data:
            raise ValidationError(_l("Tick the months when the product is available."))

    def values(self) -> dict:
        """Cleaned values for catalog.services (EDITABLE_FIELDS)."""
        return {
            "name": self.name.data.strip(),
            "product_set_code": self.product_set_code.data,
            "certificate_id": self.certificate_id.data,
            "description": (self.description.data or "").strip(),
            "price_vnd": self.price.value,
            "unit": self.unit.data.strip(),
            "weight_g": self.weight.value,
            "availability": self.availability.data,
            "season_months": ",".join(str(m) for m in self.season_months.data or ()),
            "harvest_season": (self.harvest_season.data or "").strip(),
            "ref": self.ref.data or "",
        }


def _certificate_label(certificate, locale):
    valid_until = format_day(certificate.valid_until)
    label = _l("%(number)s · %(stars)s stars · valid until %(date)s", number=certificate.decision_no,
               stars=certificate.stars, date=valid_until)
    if not certificate.is_valid():
        label = _l("%(label)s (expired)", label=label)
    return label
