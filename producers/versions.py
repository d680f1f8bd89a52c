"""Versioned payment details, without Flask or the database.

Bank details and the payment link are both "payment details": whoever controls
them controls where buyers' money goes. Each change adds a version that a commune
officer other than its editor approves; this module says which version is in force.
"""
from producers.constants import PaymentDetail, VersionStatus

__all__ = ["PaymentDetail", "VersionStatus", "in_force", "waiting"]  # the enums: producers.constants


def waiting(versions):
    """The newest version when it awaits review, else None. `versions` are in version order."""
    latest = versions[-1] if versions else None
    return latest if latest is not None and latest.status == VersionStatus.PENDING else None


def in_force(versions):
    """The version buyers may use: the newest approved one, unless a newer change
    awaits review (then nothing is shown until an officer has checked it).

    A rejected change leaves the last approved version in force, so a refused
    edit never makes a producer unpayable."""
    if waiting(versions) is not None:
        return None
    return next((v for v in reversed(versions) if v.status == VersionStatus.APPROVED), None)
