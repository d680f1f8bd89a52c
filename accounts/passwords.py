"""Password hashes (Werkzeug). The policy, what a password must be, is accounts.rules."""
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str, password: str) -> bool:
    return check_password_hash(stored_hash, password)


def needs_rehash(stored_hash: str, method: str) -> bool:
    return not stored_hash.startswith(method + "$")
