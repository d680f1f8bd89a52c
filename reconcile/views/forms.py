from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from reconcile.constants import METHOD_LABELS, SERVICE_METHODS, AuthMethod, Service

MIN_SECRET, MAX_SECRET = 16, 200


class MatchForm(FlaskForm):
    order_code = StringField(_l("Order code"), validators=[
        DataRequired(_l("Please enter the order code, e.g. CQ7KX2MA.")), Length(max=40)])


class StatementForm(FlaskForm):
    file = FileField(_l("Statement file: Excel (.xlsx) or CSV, as your internet banking exports it"),
                     validators=[FileRequired(_l("Please choose a file."))])


class FeedForm(FlaskForm):
    auth_method = RadioField(_l("How the service signs its notifications"),
                             validators=[DataRequired(_l("Please choose how the service signs its notifications."))])
    secret = PasswordField(_l("Secret key from the service"), validators=[
        DataRequired(_l("Please paste the secret key.")),
        Length(MIN_SECRET, MAX_SECRET, _l("The key must have %(min)d to %(max)d characters."))])

    def for_service(self, service: Service) -> "FeedForm":
        self.auth_method.choices = [(str(method), str(METHOD_LABELS[method])) for method in SERVICE_METHODS[service]]
        if not self.auth_method.data:
            self.auth_method.data = str(SERVICE_METHODS[service][0])
        return self

    @property
    def method(self) -> AuthMethod:
        return AuthMethod(self.auth_method.data)
