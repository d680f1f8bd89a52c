"""The append-only audit log: who did what to a producer, when and why."""
from flask import g, has_request_context, request

from extensions import db
from producers.models import AuditEvent, mask_account

SENSITIVE_FIELDS = ("account_number",)


def masked(changes):
    """Account numbers never enter the log in full: only their last 4 digits."""
    result = {}
    for key, value in (changes or {}).items():
        if key in SENSITIVE_FIELDS:
            result[key] = _mask_value(value)
        elif isinstance(value, dict):
            result[key] = masked(value)
        else:
            result[key] = value
    return result


def _mask_value(value):
    if isinstance(value, dict):
        return {key: _mask_value(inner) for key, inner in value.items()}
    return mask_account(str(value)) if value else value


def record(action, producer=None, changes=None, reason=None, actor=None):
    """Add an audit event to the session (the request commits it with the change)."""
    if actor is None and has_request_context():
        actor = g.get("user")
    event = AuditEvent(
        action=action,
        producer_id=producer.id if producer is not None else None,
        actor_id=actor.id if actor is not None else None,
        reason=reason,
        changes=masked(changes),
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def diff(before, after):
    """{field: {"from": old, "to": new}} for the fields that changed."""
    return {key: {"from": before.get(key), "to": after.get(key)}
            for key in after if before.get(key) != after.get(key)}
