from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from core.i18n import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    lang = SelectField(choices=list(LANGUAGE_NAMES.items()))
    next = HiddenField()


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for POST-only buttons."""
