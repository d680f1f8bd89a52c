"""Cross-cutting web pieces: language switch, errors, headers, static fingerprints."""
from flask import Blueprint

bp = Blueprint("core", __name__)

from core import routes, uploads  # noqa: E402,F401
