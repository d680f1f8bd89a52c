"""Whom a rate limit counts: the visitor (account, else browser session), or the address.

Whole communes in Vietnam reach the site through one carrier-grade NAT address, so limits are
counted per visitor first (`visitor_key`): the logged-in account; else the browser's session,
named by a hash of the random CSRF secret its signed session cookie carries (every page with a
form gives a browser one, so from its second request on a browser counts on its own); else, for a
client that keeps no cookies, the address. A separate, much higher ceiling per address
(`address_key`, core/ratelimits.py) stops one machine that throws its cookies away.
No Flask extension is imported here: extensions.py builds the limiter with `visitor_key`.
"""
import hashlib

from flask import request, session
from flask_limiter.util import get_remote_address


def address_key() -> str:
    """The client's address (behind nginx, ProxyFix with PROXY_FIX_HOPS makes it the real one)."""
    return "address:" + (get_remote_address() or "unknown")


# Counted per address whoever asks. Log-in keeps the reference's 10 a minute per address
# (docs/SECURITY-REFERENCE.md P1): only producers, helpers and officers have accounts, they log in a few times a
# day, and an attacker could otherwise start a new browser session for every guess.
ADDRESS_KEYED_ENDPOINTS = frozenset({"accounts.login"})


def visitor_key() -> str:
    if request.endpoint in ADDRESS_KEYED_ENDPOINTS:
        return address_key()
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        return f"user:{user_id}"
    secret = session.get("csrf_token")
    if isinstance(secret, str) and secret:
        return "session:" + hashlib.sha256(secret.encode()).hexdigest()[:24]
    return address_key()
