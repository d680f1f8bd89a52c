"""Locale choice and money formatting."""
import os

from flask import current_app, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
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


# How each language writes a day and a moment: Vietnamese readers write 20/05/2027, English
# readers get the month's name so that 5/6 can never be read the American way.
DAY_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
MOMENT_PATTERNS = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy, HH:mm"}


def _language() -> str:
    return str(get_locale() or "vi").split("_")[0]


def format_day(value) -> str:
    """A date (or the date of a datetime) in the reader's language: '20/05/2027', '20 May 2027'."""
    if value is None:
        return ""
    return format_date(value, DAY_PATTERNS.get(_language(), DAY_PATTERNS["en"]))


def format_moment(value) -> str:
    """A stored UTC datetime in Vietnam's time: '14:05 20/05/2027', '20 May 2027, 14:05'."""
    if value is None:
        return ""
    return format_datetime(value, MOMENT_PATTERNS.get(_language(), MOMENT_PATTERNS["en"]))


def format_number(value) -> str:
    """A count or quantity with the reader's digit grouping: 12.500 or 12,500."""
    if value is None:
        return ""
    return format_decimal(value)
