"""Search's table: the change log `search_changes` (model and triggers in `search.changes`,
beside the log-position rules that read it). The app factory imports this module so every
table is known to migrations and create_all."""
from search.changes import SearchChange

__all__ = ["SearchChange"]
