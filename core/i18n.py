"""Locale choice and money formatting."""
from flask import current_app, request, session
from flask_babel import format_currency

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale():
    chosen = session.get("lang") or request.cookies.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_vnd(amount):
    """Integer đồng as the reader expects it: '120.000 ₫' in Vietnamese."""
    if amount is None:
        return ""
    return format_currency(int(amount), "VND")
