"""The accounts' words: roles, with the labels people read (one source).

Labels are English msgids marked with `N_` (Babel extracts it by default), translated where they
are shown, so this module needs no Flask."""
from enum import StrEnum


def N_(message):
    """Marks a message for translation without translating it here."""
    return message


class Role(StrEnum):
    PRODUCER = "producer"
    OFFICER = "officer"  # a commune officer: verifies producers of their communes
    HELPER = "helper"  # a commune helper: fills in profiles for farmers, hands out claim codes
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PRODUCER: N_("Producer"),
    Role.OFFICER: N_("Commune officer"),
    Role.HELPER: N_("Commune helper"),
    Role.ADMIN: N_("Administrator"),
}

# The roles that work for communes (CommuneAssignment) and act for their producers.
COMMUNE_ROLES = frozenset({Role.OFFICER, Role.HELPER})
