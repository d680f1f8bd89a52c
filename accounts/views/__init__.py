"""Log-in, log-out and registration. Only create_app imports this package.

These three pages sit at the root (/dang-nhap, /dang-xuat, /dang-ky): short addresses people
type and links in every message point to, so this blueprint has no url_prefix."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix=None)

from accounts.views import pages  # noqa: E402,F401
