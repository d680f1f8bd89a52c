"""Webhook secrets at rest. HMAC keys must be read back to check signatures, so they are
encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a key derived from the app's SECRET_KEY;
API keys are only compared, so only their digest is kept. Changing SECRET_KEY makes stored
HMAC keys unreadable: producers then connect the service again."""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

_CONTEXT = b"choque:bank-feed-secrets:v1"


def _fernet() -> Fernet:
    key = hashlib.sha256(_CONTEXT + current_app.config["SECRET_KEY"].encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str | None:
    """The secret, or None when it cannot be read (SECRET_KEY changed, or tampering)."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None
