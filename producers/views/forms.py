"""One form class per wizard step. Forms hold only what a producer may set: status,
owner, commune assignment or verifier are never fields, so posted extras are ignored."""
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from accounts.fields import PhoneField
from accounts.phones import display_phone, normalise_mobile, normalise_phone
from core.conflicts import VersionField
from producers.banks import all_banks, bank_by_bin
from places.units import commune as commune_by_code
from places.former import find_communes
from places.units import communes, province, provinces
from producers.constants import ProducerKind
from producers.ocop import STAR_RATINGS, product_set, product_sets
from producers.rules import (IdentifierError, normalise_account_number, normalise_decision_number,
                             normalise_holder_name, normalise_tax_code)

KIND_LABELS = {kind: _l(kind.long_label) for kind in ProducerKind}

IDENTIFIER_MESSAGES = {
    "personal_id_not_allowed": _l("Only a household business may give a 12-digit personal ID. "
                                  "Please enter the 10- or 13-digit tax code."),
    "personal_id_format": _l("This personal ID does not look right. It has 12 digits, e.g. 001085012345."),
    "tax_code_format": _l("A tax code has 10 digits, or 13 written like 0100233488-001."),
    "tax_code_checksum": _l("This tax code is not valid. Please check every digit against your registration paper."),
    "tax_code_invalid": _l("This tax code is not valid. Please check it against your registration paper."),
    "decision_number_missing": _l("Please enter the decision number."),
    "decision_number_format": _l("Please write the decision number as on the paper, e.g. 3981/QĐ-UBND."),
    "account_number_missing": _l("Please enter the account number."),
    "account_number_digits": _l("An account number has only digits. Please check it."),
    "account_number_length": _l("An account number has %(min)s to %(max)s digits. Please check it."),
    "holder_name_missing": _l("Please enter the account holder's name."),
    "holder_name_length": _l("The name can have at most %(max)s letters."),
    "holder_name_characters": _l("Please use only letters, digits and spaces, as the bank shows the name."),
}


def identifier_message(error):
    return str(IDENTIFIER_MESSAGES[error.code]) % error.params if error.params else str(IDENTIFIER_MESSAGES[error.code])


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class LenientDateField(DateField):
    """A date from the phone's date picker (2024-05-31) or typed the Vietnamese way (31/05/2024)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata([" ".join(valuelist).strip()])
        except ValueError:
            raise ValueError(str(_l("Please enter a date such as 31/05/2024."))) from None


def _province_choices():
    return [("", _l("— Choose a province or city —"))] + [(p.code, p.short_name) for p in provinces()]


def _inline(name: str) -> str:
    """'Xã Yên Hòa' as it reads inside a sentence: 'xã Yên Hòa'."""
    return name[:1].lower() + name[1:] if name else ""


def commune_choice_label(choice) -> str:
    """'Xã Yên Mô (gồm xã Yên Hòa cũ, huyện Yên Mô)': today's commune, and why it matches."""
    if choice.former_commune:
        return str(_l("%(today)s (includes former %(former)s, %(district)s)", today=choice.commune.name,
                      former=_inline(choice.former_commune), district=_inline(choice.former_district or "")))
    if choice.former_district:
        return str(_l("%(today)s (part of former %(district)s)", today=choice.commune.name,
                      district=_inline(choice.former_district)))
    return choice.commune.name


class ProfileForm(FlaskForm):
    """Step 2. The commune list depends on the province: without JavaScript the
    'Choose commune' button re-renders this form with the communes filled in."""

    kind = RadioField(_l("Type of business"), validate_choice=False,
                      choices=[(kind, label) for kind, label in KIND_LABELS.items()])
    legal_name = StringField(_l("Name of the business"), validators=[
        DataRequired(_l("Please enter the name of your business.")), Length(max=200)])
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=20)])
    representative = StringField(_l("Representative (full name)"), validators=[Optional(), Length(max=120)])
    province = SelectField(_l("Province or city"), coerce=int_or_none, validate_choice=False)
    commune = SelectField(_l("Commune or ward"), coerce=int_or_none, validate_choice=False)
    # Not saved: narrows the commune list to what the farmer types, former names included.
    commune_search = StringField(_l("Find your commune"), validators=[Length(max=80)])
    address = StringField(_l("Address (village, hamlet, house number)"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Business phone"), validators=[Optional(), Length(max=30)])
    zalo = StringField(_l("Zalo number (if different)"), validators=[Optional(), Length(max=30)])
    edit_version = VersionField()  # the producer's version this form was filled from

    def __init__(self, *args, allowed_communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_communes = set(allowed_communes) if allowed_communes is not None else None
        self.province.choices = self._province_choices()
        if self.province.data is None and len(self.province.choices) == 2:
            # A helper whose communes lie in one province starts with its commune list.
            self.province.data = self.province.choices[1][0]
        self.commune.choices = self._commune_choices()

    def _province_choices(self):
        choices = _province_choices()
        if self.allowed_communes is None:
            return choices
        wanted = {getattr(commune_by_code(code), "province_code", None) for code in self.allowed_communes}
        return [choices[0]] + [c for c in choices[1:] if c[0] in wanted]

    def _commune_choices(self):
        typed = (self.commune_search.data or "").strip()
        if self.province.data and typed:
            found = [choice for choice in find_communes(self.province.data, typed)
                     if self.allowed_communes is None or choice.commune.code in self.allowed_communes]
            placeholder = _l("— Choose a commune —") if found else _l("No commune has this name. Try another spelling.")
            return [("", placeholder)] + [(choice.commune.code, commune_choice_label(choice)) for choice in found]
        options = communes(self.province.data) if self.province.data else ()
        if self.allowed_communes is not None:
            options = [c for c in options if c.code in self.allowed_communes]
        placeholder = _l("— Choose a commune —") if options else _l("— Choose the province first —")
        return [("", placeholder)] + [(c.code, c.name) for c in options]

    def validate_kind(self, field):
        if field.data not in KIND_LABELS:
            raise ValidationError(_l("Please choose the type of your business."))

    def validate_tax_code(self, field):
        try:
            field.data = normalise_tax_code(self.kind.data, field.data)
        except IdentifierError as error:
            raise ValidationError(identifier_message(error)) from None

    def validate_province(self, field):
        if province(field.data) is None:
            raise ValidationError(_l("Please choose your province or city."))

    def validate_commune(self, field):
        if field.data is None:
            raise ValidationError(_l("Please choose your commune."))
        if all(code != field.data for code, _label in self.commune.choices[1:]):
            if self.allowed_communes is not None and field.data not in self.allowed_communes:
                raise ValidationError(_l("You can only add producers of the communes you work for."))
            raise ValidationError(_l("This commune is not in the chosen province. Please choose it again."))

    def validate_phone(self, field):
        if field.data:
            number = normalise_phone(field.data)
            if number is None:
                raise ValidationError(_l("Please enter a Vietnamese phone number, e.g. 0912 345 678."))
            field.data = number

    def validate_zalo(self, field):
        if field.data:
            number = normalise_mobile(field.data)
            if number is None:
                raise ValidationError(_l("Zalo needs a Vietnamese mobile number, e.g. 0912 345 678."))
            field.data = number

    def profile(self):
        """The validated values, as the Producer stores them."""
        return {
            "kind": self.kind.data,
            "legal_name": self.legal_name.data.strip(),
            "tax_code": self.tax_code.data or None,
            "representative": (self.representative.data or "").strip() or None,
            "province_code": self.province.data,
            "commune_code": self.commune.data,
            "address": (self.address.data or "").strip() or None,
            "phone": self.phone.data or None,
            "zalo": self.zalo.data or None,
        }

    @staticmethod
    def initial(producer, default_phone=None):
        """Form data for editing: numbers shown the way Vietnamese readers write them."""
        if producer is None:
            return {"kind": None, "phone": display_phone(default_phone) if default_phone else ""}
        return {
            "kind": producer.kind, "legal_name": producer.legal_name, "tax_code": producer.tax_code,
            "representative": producer.representative, "province": producer.province_code,
            "commune": producer.commune_code, "address": producer.address,
            "phone": display_phone(producer.phone), "zalo": display_phone(producer.zalo),
            "edit_version": producer.edit_version,
        }


PHOTO_REQUIRED = _l("Please choose a photo.")


class DocumentForm(FlaskForm):
    """Step 3: the business registration photo (replaces an earlier one)."""

    photo = FileField(_l("Photo of the business registration"), id="registration_photo")

    def validate_photo(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(PHOTO_REQUIRED)


def product_set_choices(locale=None):
    """Sets grouped by their product group, for <optgroup>s; labels in the reader's language."""
    locale = str(locale or get_locale() or "vi")
    grouped = {}
    for item in product_sets():
        grouped.setdefault(item.group(locale), []).append((item.code, f"{item.code}. {item.name(locale)}"))
    return grouped


class CertificateForm(FlaskForm):
    """Step 3: one OCOP certificate and its photo."""

    decision_no = StringField(_l("Decision number"), validators=[Length(max=80)])
    issuing_body = StringField(_l("Issued by"), validators=[
        DataRequired(_l("Please enter who issued the decision.")), Length(max=200)])
    decision_date = LenientDateField(_l("Date of the decision"))
    stars = RadioField(_l("Stars"), coerce=int_or_none, validate_choice=False,
                       choices=[(stars, "★" * stars) for stars in STAR_RATINGS])
    product_set = SelectField(_l("Product set"), coerce=int_or_none, validate_choice=False)
    product_name = StringField(_l("Product name"), validators=[
        DataRequired(_l("Please enter the product's name.")), Length(max=200)])
    photo = FileField(_l("Photo of the certificate"), id="certificate_photo")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or date.today()
        self.product_set.choices = [("", _l("— Choose a product set —"))] + [
            (group, options) for group, options in product_set_choices().items()]

    def validate_decision_no(self, field):
        try:
            field.data = normalise_decision_number(field.data)
        except IdentifierError as error:
            raise ValidationError(identifier_message(error)) from None

    def validate_decision_date(self, field):
        if field.data is None:
            raise ValidationError(_l("Please enter the date of the decision."))
        if field.data > self.today:
            raise ValidationError(_l("The decision date cannot be in the future."))
        if field.data.year < 2018:
            # The OCOP programme started in 2018 (Decision 490/QĐ-TTg).
            raise ValidationError(_l("OCOP certificates date from 2018 or later. Please check the year."))

    def validate_stars(self, field):
        if field.data not in STAR_RATINGS:
            raise ValidationError(_l("Please choose 3, 4 or 5 stars."))

    def validate_product_set(self, field):
        if product_set(field.data) is None:
            raise ValidationError(_l("Please choose the product set from the list."))

    def validate_photo(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(PHOTO_REQUIRED)

    def certificate(self):
        return {
            "decision_no": self.decision_no.data, "issuing_body": self.issuing_body.data.strip(),
            "decision_date": self.decision_date.data, "stars": self.stars.data,
            "product_set_code": self.product_set.data, "product_name": self.product_name.data.strip(),
        }


class CertificateEditForm(CertificateForm):
    """Correcting a saved certificate in place: its products keep their link to it. A new photo
    is optional (the saved one stays); a change that takes stars away from products on sale
    must be confirmed."""

    edit_version = VersionField()
    accept_star_loss = BooleanField(_l("I understand: these products will show fewer stars or none"))

    def validate_photo(self, field):
        """Optional here: without a new photo the saved one stays."""

    @property
    def new_photo(self):
        data = self.photo.data
        return data if data is not None and getattr(data, "filename", "") else None


def bank_choices():
    return [("", _l("— Choose your bank —"))] + [(bank.bin, bank.display_name) for bank in all_banks()]


class BankAccountForm(FlaskForm):
    """Step 4. The holder name is stored upper case without diacritics, as banks print it."""

    bank_bin = SelectField(_l("Bank"), validate_choice=False)
    # The newest bank-details version this form was filled from (0: none yet).
    bank_version = VersionField()
    account_number = StringField(_l("Account number"), validators=[Length(max=40)])
    holder_name = StringField(_l("Account holder name, exactly as the bank shows it"), validators=[Length(max=150)])
    # Optional: lets the officer check the new account against a paper the bank issued.
    proof = FileField(_l("Photo of your bank card or the top of a bank statement (optional)"), id="bank_proof")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_bin.choices = bank_choices()
        self.normalised = {}

    def validate_bank_bin(self, field):
        if bank_by_bin(field.data) is None:
            raise ValidationError(_l("Please choose your bank from the list."))
        self.normalised["bank_bin"] = field.data

    def validate_account_number(self, field):
        try:
            self.normalised["account_number"] = normalise_account_number(field.data)
        except IdentifierError as error:
            raise ValidationError(identifier_message(error)) from None

    def validate_holder_name(self, field):
        try:
            self.normalised["holder_name"] = normalise_holder_name(field.data)
        except IdentifierError as error:
            raise ValidationError(identifier_message(error)) from None

    @property
    def holder_name_preview(self):
        """What will be saved, shown beside what was typed."""
        try:
            return normalise_holder_name(self.holder_name.data)
        except IdentifierError:
            return None


class BankAccountChangeForm(BankAccountForm):
    """After verification a change diverts money, so it needs the current password."""

    current_password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Please enter your current password to change bank details.")), Length(max=256)])


class ClaimForm(FlaskForm):
    code = StringField(_l("Claim code"), validators=[
        DataRequired(_l("Please enter the code from the paper.")), Length(max=30)])


class ClaimCodeForm(FlaskForm):
    """The helper makes a code for the farmer's own mobile number: only it can claim the profile."""
    farmer_phone = PhoneField(_l("The farmer's mobile number"), validators=[
        DataRequired(_l("Please enter the farmer's own mobile number: only that number can claim the profile."))])
