"""The one clock: naive UTC datetimes, as every DateTime column stores them."""
from datetime import datetime, timezone


def utcnow():
    """Now, in UTC, without tzinfo (SQLite and PostgreSQL columns hold naive UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
