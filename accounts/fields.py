"""Form fields of the accounts' terms, for every domain's forms (they may not import another
domain's views): PhoneField, a Vietnamese mobile number."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from accounts.phones import normalise_mobile


class PhoneField(StringField):
    """A Vietnamese mobile number; `data` becomes E.164 after validation."""

    def pre_validate(self, form):
        normalised = normalise_mobile(self.data or "")
        if self.data and not normalised:
            raise ValidationError(_l("Please enter a Vietnamese mobile number, e.g. 0912 345 678."))
        if normalised:
            self.data = normalised
