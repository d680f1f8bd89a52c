"""Code defaults. Environment variables with the FLASK_ prefix override them,
and a mapping passed to create_app() overrides both (tests)."""
import os
import secrets


def defaults(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "choque.sqlite3"),
        "UPLOAD_DIR": os.path.join(instance_path, "uploads"),
        "SEARCH_INDEX_DIR": os.path.join(instance_path, "search-index"),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        # 20 MB photos plus form overhead; larger bodies get a friendly 413 page.
        # Why not 12 MB: docs/SECURITY.md, "Limits".
        "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "PASSWORD_HASH_METHOD": "scrypt:32768:8:1",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": "10 per minute",
        # Per address, and whole communes share one carrier-grade NAT address (docs/SECURITY.md).
        "REGISTER_RATE_LIMIT": "20 per hour",
        "PAGE_SIZE": 24,  # products per catalogue and search page
        # Search (search/): the Whoosh index under SEARCH_INDEX_DIR, kept in step with the database.
        "SEARCH_SYNC": True,  # apply the change log right after a commit (searches catch up anyway)
        # SEARCH_GAP_GRACE_SECONDS (optional): how long a missing change number is awaited; its
        # default, search.changes.GAP_GRACE_SECONDS, belongs to the pure log-position rules.
        "SEARCH_WRITER_TIMEOUT": 0.5,  # seconds to wait for another worker's writer lock, per try
        "SEARCH_WRITER_RETRIES": 3,
        "SEARCH_WRITER_BACKOFF": 0.2,  # seconds, doubled after each try
        "SEARCH_REBUILD_IN_BACKGROUND": True,  # a missing/damaged index is rebuilt in a thread
        "SEARCH_CACHE_MB": 32,  # per thread: posting bitsets of frequently searched words
        "SEARCH_RATE_LIMIT": "60 per minute",
        "SUGGEST_RATE_LIMIT": "240 per minute",
        "CLAIM_CODE_DAYS": 30,  # a farmer's claim code stops working after this many days
        "ORDER_RATE_LIMIT": "10 per hour",
        "ORDER_LOOKUP_RATE_LIMIT": "30 per hour",
        "ORDER_MIN_FILL_SECONDS": 3,
        # An unpaid order counts as expired on the producer's payment list after this many hours.
        "ORDER_PAYMENT_WINDOW_HOURS": 72,
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        # Background jobs (Huey): this SQLite file is the queue unless REDIS_URL is set;
        # JOBS_IMMEDIATE runs each job inside the request that asks for it (tests).
        "JOBS_QUEUE_PATH": os.path.join(instance_path, "jobs-queue.sqlite3"),
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_NAME": "choque",  # several sites may share one Redis under different names
        "REDIS_URL": None,
        # `flask backup create` writes here and keeps the newest BACKUP_KEEP archives (one a day: a week).
        "BACKUP_DIR": os.path.join(instance_path, "backups"),
        "BACKUP_KEEP": 7,
        # Photos in an S3-compatible bucket instead of UPLOAD_DIR (media.backends); the keys come
        # from S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY or boto3's usual AWS environment.
        "S3_BUCKET": None,
        "S3_ENDPOINT_URL": None,  # MinIO, Ceph, Garage…; unset for AWS itself
        "S3_REGION": None,
        "S3_PREFIX": "",
        "S3_ACCESS_KEY_ID": None,
        "S3_SECRET_ACCESS_KEY": None,
        # Messages (notifications/channels.py): a channel whose settings are missing is skipped.
        "MAIL_SERVER": None, "MAIL_PORT": 25, "MAIL_FROM": None, "MAIL_USERNAME": None, "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
        "SMS_GATEWAY_URL": None, "SMS_API_KEY": None, "SMS_SECRET_KEY": None, "SMS_BRANDNAME": None,
        "SMS_SANDBOX": False,
        "ZALO_ZNS_URL": "https://business.openapi.zalo.me/message/template", "ZALO_ZNS_ACCESS_TOKEN": None,
        "ZALO_ZNS_TEMPLATE_ID": None, "ZALO_ZNS_TEMPLATE_IDS": None,
    }


def load_or_create_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, so a fresh clone runs safely
    without anyone inventing a secret."""
    path = os.path.join(instance_path, "secret_key")
    if os.path.exists(path):
        with open(path, encoding="ascii") as fh:
            return fh.read().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key
