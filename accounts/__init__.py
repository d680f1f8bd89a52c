"""Accounts, roles, log-in and the commune assignments of officers and helpers."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from accounts import routes  # noqa: E402,F401
