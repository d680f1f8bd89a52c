"""Search's web layer: the blueprint "search" for the page /tim-kiem, and "search_api" for the
JSON APIs /api/search and /api/suggest (pages are Vietnamese, the API English).

Only the app factory imports this package (app.py `_register_blueprints`); `init_app` also
hooks the index's change log into the session, which every request that writes products needs."""
from flask import Blueprint

from search import sync

bp = Blueprint("search", __name__, url_prefix="/tim-kiem")
api_bp = Blueprint("search_api", __name__, url_prefix="/api")


def init_app(app):
    sync.register_session_hooks()
    app.register_blueprint(api_bp)


# The route module registers itself on `bp`.
from search.views import pages  # noqa: E402,F401
