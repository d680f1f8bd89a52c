"""Payments: VietQR codes from verified bank details, payment links and order requests."""
from flask import Blueprint

bp = Blueprint("payments", __name__)

from payments.cli import cli_group  # noqa: E402,F401
from payments import orders, routes  # noqa: E402,F401
