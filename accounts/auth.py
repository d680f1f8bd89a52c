"""Who is logged in, and decorators that guard views."""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from accounts.models import User
from extensions import db


SESSION_VERSION_KEY = "sv"


def load_logged_in_user():
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and (not user.is_active or session.get(SESSION_VERSION_KEY) != user.session_version):
        user = None
        _clear_keeping_language()
    g.user = user


def log_in(user):
    # A new session on log-in defeats session fixation.
    _clear_keeping_language()
    session.permanent = True
    session["user_id"] = user.id
    session[SESSION_VERSION_KEY] = user.session_version


def end_all_sessions(user):
    """Every cookie issued to `user` so far stops working (the caller commits)."""
    user.session_version = (user.session_version or 0) + 1


def log_out():
    """Ends this session and the user's other sessions too: a stolen or forgotten cookie on
    a shared phone must not outlive 'Log out'."""
    user = g.get("user")
    if user is not None:
        end_all_sessions(user)
    _clear_keeping_language()


def _clear_keeping_language():
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
