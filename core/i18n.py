"""Locale choice and money formatting."""
import os

from flask import current_app, request, session
from flask_babel import format_currency
from flask_wtf import i18n as flask_wtf_i18n

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


WTFORMS_MESSAGES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "translations", "wtforms")


def use_vietnamese_wtforms_messages():
    """WTForms ships no Vietnamese catalogue: point Flask-WTF at ours (English
    stays WTForms' own text, as no 'en' catalogue exists there)."""
    flask_wtf_i18n.messages_path = lambda: WTFORMS_MESSAGES


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
