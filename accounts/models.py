from accounts.constants import Role
from accounts.rules import works_for_communes
from core.clock import utcnow
from extensions import db

__all__ = ["Role", "User", "CommuneAssignment", "LoginThrottle"]  # Role: defined in accounts.constants


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    phone = db.Column(db.String(16), nullable=False, unique=True)  # E.164, +84…
    name = db.Column(db.String(120), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.String(16), nullable=False, default=Role.PRODUCER)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)
    email = db.Column(db.String(254))  # where notices reach an officer (else an SMS to the phone)
    # Sessions carry the version they were opened under; logging out or changing the password
    # moves it on, so every cookie issued before stops working (cookies live in the browser).
    session_version = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    communes = db.relationship("CommuneAssignment", back_populates="user", cascade="all, delete-orphan")

    @property
    def commune_codes(self):
        return [a.commune_code for a in self.communes]

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def works_for_communes(self):
        """Officers and helpers act on behalf of producers of their communes."""
        return works_for_communes(self.role)


class CommuneAssignment(db.Model):
    """An officer or helper works for one or more communes."""

    __tablename__ = "commune_assignments"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    commune_code = db.Column(db.Integer, primary_key=True)

    user = db.relationship("User", back_populates="communes")


class LoginThrottle(db.Model):
    """Failed log-ins per account and per address: a back-off that doubles,
    shared by every worker process (the in-memory limiter is per process)."""

    __tablename__ = "login_throttles"

    key = db.Column(db.String(80), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    blocked_until = db.Column(db.DateTime)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
