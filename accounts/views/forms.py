"""The accounts' forms: log in and register."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from accounts.rules import MAX_LENGTH, password_problem
from accounts.fields import PhoneField

PASSWORD_MESSAGES = {
    "too_short": _l("The password needs at least 8 characters."),
    "too_long": _l("The password can have at most 256 characters."),
    "too_common": _l("This password is too common and easy to guess. Please choose another."),
}


def check_password_rules(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


class LoginForm(FlaskForm):
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Please enter your password.")), Length(max=MAX_LENGTH)])
    next = HiddenField()


class RegisterForm(FlaskForm):
    name = StringField(_l("Your full name"), validators=[
        DataRequired(_l("Please enter your name.")), Length(max=120)])
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))])
    password = PasswordField(_l("Password (at least 8 characters)"), validators=[
        DataRequired(_l("Please choose a password.")), check_password_rules])
