"""Search's web layer: one blueprint, "search", for the page /tim-kiem and the JSON APIs
/api/search and /api/suggest (no common prefix: pages are Vietnamese, the API English).

Only the app factory imports this package (app.py `_register_blueprints`); `init_app` also
hooks the index's change log into the session, which every request that writes products needs."""
from flask import Blueprint

from search import sync

bp = Blueprint("search", __name__)


def init_app(app):
    sync.register_session_hooks()


# The route module registers itself on `bp`.
from search.views import pages  # noqa: E402,F401
