"""WTForms' built-in messages reach users in Vietnamese too (WTForms ships none)."""
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField


class _Form(FlaskForm):
    class Meta:
        csrf = False

    quantity = IntegerField()
    colour = SelectField(choices=[("a", "A")])


def _errors(app, lang):
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        form = _Form(formdata=MultiDict({"quantity": "abc", "colour": "zzz"}))
        form.validate()
        return form.errors


def test_builtin_messages_are_vietnamese_by_default(app):
    errors = _errors(app, "vi")
    assert errors["quantity"] == ["Vui lòng nhập một số nguyên."]
    assert errors["colour"] == ["Lựa chọn không hợp lệ. Vui lòng chọn trong danh sách."]


def test_builtin_messages_stay_english_in_english(app):
    assert _errors(app, "en")["quantity"] == ["Not a valid integer value."]
