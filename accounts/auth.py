"""Who is logged in, and decorators that guard views."""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from accounts.models import User
from extensions import db


def load_logged_in_user():
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and not user.is_active:
        user = None
    g.user = user


def log_in(user):
    # A new session on log-in defeats session fixation.
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    if lang:
        session["lang"] = lang


def log_out():
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator
