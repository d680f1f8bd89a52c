"""Vietnamese-aware product search: Whoosh index kept in step with the database,
search page, JSON APIs and the `flask search` commands."""
from flask import Blueprint

bp = Blueprint("search", __name__)

DEFAULTS = {
    "SEARCH_SYNC": True,  # apply the change log right after a commit (searches catch up anyway)
    "SEARCH_GAP_GRACE_SECONDS": 900,  # search.changes: how long a missing change number is awaited
    "SEARCH_WRITER_TIMEOUT": 0.5,  # seconds to wait for another worker's writer lock, per try
    "SEARCH_WRITER_RETRIES": 3,
    "SEARCH_WRITER_BACKOFF": 0.2,  # seconds, doubled after each try
    "SEARCH_REBUILD_IN_BACKGROUND": True,  # a missing/damaged index is rebuilt in a thread
    "SEARCH_CACHE_MB": 32,  # per thread: posting bitsets of frequently searched words
    "SEARCH_RATE_LIMIT": "60 per minute",
    "SUGGEST_RATE_LIMIT": "240 per minute",
}


def init_app(app):
    from search import sync

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    sync.register_session_hooks()


from search import changes, routes  # noqa: E402,F401
from search.cli import cli_group  # noqa: E402,F401
