"""The officers' pages, all under /can-bo. Only create_app imports this package."""
from flask import Blueprint

bp = Blueprint("verification", __name__, url_prefix="/can-bo")

from verification.views import letters, messages, officer  # noqa: E402,F401
