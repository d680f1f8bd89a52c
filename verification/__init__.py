"""Commune verification: the officer queue, decisions, payment-detail approvals and the audit log."""
from flask import Blueprint

bp = Blueprint("verification", __name__)

from verification import routes  # noqa: E402,F401
from verification import letters_routes  # noqa: E402,F401
