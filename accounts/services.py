"""Account operations. They change the session and never commit."""
from flask import current_app
from sqlalchemy.exc import IntegrityError

from accounts.constants import Role
from accounts.models import CommuneAssignment, LoginThrottle, User
from accounts.passwords import hash_password, needs_rehash, verify_password
from accounts.rules import backoff as backoff_after
from accounts.rules import throttle_keys
from core.clock import utcnow
from extensions import db

# Verified against when the phone is unknown, so both paths cost one hash.
_DUMMY_HASH = None


class PhoneTaken(Exception):
    pass


def _method():
    return current_app.config["PASSWORD_HASH_METHOD"]


def create_user(phone, password, name, role=Role.PRODUCER, commune_codes=()):
    if db.session.scalar(db.select(User.id).filter_by(phone=phone)) is not None:
        raise PhoneTaken(phone)
    user = User(phone=phone, name=name.strip(), role=role, password_hash=hash_password(password, _method()))
    user.communes = [CommuneAssignment(commune_code=int(code)) for code in commune_codes]
    try:
        # Two registrations of one phone at the same moment both pass the check above;
        # the unique index decides, and the loser gets the same answer as a late comer.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise PhoneTaken(phone) from None
    return user


def set_password(user, password):
    user.password_hash = hash_password(password, _method())


def change_password(user, password):
    """A new password ends every session opened with the old one (the caller commits,
    then logs the current browser in again if it should stay logged in)."""
    from accounts.auth import end_all_sessions

    set_password(user, password)
    end_all_sessions(user)


def _dummy_hash():
    global _DUMMY_HASH
    if _DUMMY_HASH is None or not _DUMMY_HASH.startswith(_method() + "$"):
        _DUMMY_HASH = hash_password("not-a-real-password", _method())
    return _DUMMY_HASH


def blocked_for(keys):
    """Seconds to wait before another attempt is allowed for any of the keys."""
    now = utcnow()
    rows = db.session.scalars(db.select(LoginThrottle).where(LoginThrottle.key.in_(keys))).all()
    waits = [(row.blocked_until - now).total_seconds() for row in rows if row.blocked_until and row.blocked_until > now]
    return int(max(waits)) + 1 if waits else 0


def _record_failure(keys):
    """One more failure per key, counted by the database in one statement (insert, or add one
    to the row that is there): many workers failing for one key at once (a flood from one
    address, or one account guessed from many) each count, and never insert the same key twice
    (bench/bench_load.py L5 on PostgreSQL found that 500)."""
    now = utcnow()
    table = LoginThrottle.__table__
    insert = _dialect_insert()
    for key in keys:
        statement = insert(table).values(key=key, failures=1, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key], set_={"failures": table.c.failures + 1, "updated_at": now})
        failures = db.session.execute(statement.returning(table.c.failures)).scalar_one()
        delay = backoff_after(failures)
        if delay is not None:
            db.session.execute(db.update(table).where(table.c.key == key).values(blocked_until=now + delay))


def _dialect_insert():
    """INSERT … ON CONFLICT for the database in use (SQLite and PostgreSQL spell it alike)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _clear_failures(key):
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == key))


def authenticate(phone, password, remote_addr):
    """The user for these credentials, or None. Unknown phones and wrong passwords
    take the same time and give the same answer."""
    keys = throttle_keys(phone, remote_addr)
    user = db.session.scalar(db.select(User).filter_by(phone=phone)) if phone else None
    if user is None or not user.is_active:
        verify_password(_dummy_hash(), password)
        _record_failure(keys)
        return None
    if not verify_password(user.password_hash, password):
        _record_failure(keys)
        return None
    # Only the account's own count: clearing the address's would let an attacker wipe their
    # back-off by logging in to an account of their own between guesses.
    _clear_failures(keys[0])
    if needs_rehash(user.password_hash, _method()):
        set_password(user, password)
    user.last_login_at = utcnow()
    return user
