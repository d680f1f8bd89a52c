from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp

from notifications.labels import CHANNEL_CHOICES

LANGUAGE_CHOICES = [("vi", "Tiếng Việt"), ("en", "English")]
# A plain address check (name@domain.tld); the mail server is the final judge.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class MessageSettingsForm(FlaskForm):
    channel = RadioField(_l("Send me messages by"), choices=CHANNEL_CHOICES, default="")
    email = StringField(_l("E-mail address"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL_PATTERN, message=_l("Enter an e-mail address like ten@vidu.vn."))],
        filters=[lambda value: (value or "").strip() or None])
    language = SelectField(_l("Language of the messages"), choices=LANGUAGE_CHOICES, default="vi")

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.channel.data == "email" and not self.email.data:
            self.email.errors.append(_l("Enter the e-mail address to send messages to."))
            return False
        return True
