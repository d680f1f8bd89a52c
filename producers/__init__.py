"""Producers: onboarding wizard, documents, OCOP certificates, bank details,
commune verification and the audit log."""
from flask import Blueprint

bp = Blueprint("producers", __name__)

from producers import routes  # noqa: E402,F401
from producers.cli import cli_group  # noqa: E402,F401
