"""Whose rows a person may import: everything (admins, the command line), the producers of
their communes (officers), or only their own business (producers)."""
from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role
from extensions import db
from producers.models import Producer

from .messages import ERROR, Issue

IMPORTING_ROLES = (Role.ADMIN, Role.OFFICER, Role.PRODUCER)


class RowRefused(Exception):
    """The row breaks a rule that needs the database (scope, duplicates); nothing is written."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code)
        self.field = field
        self.code = code
        self.params = params

    def issue(self, row: int, labels) -> Issue:
        return Issue(row, self.field, labels.get(self.field, self.field), self.code, self.params, ERROR)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    commune_codes: frozenset[int] = frozenset()
    own_producer_ids: frozenset[int] | None = None  # set for a producer: only these
    own_names: tuple[str, ...] = ()

    @classmethod
    def all(cls) -> "Scope":
        return cls(everything=True)

    @classmethod
    def for_user(cls, user) -> "Scope":
        if user.role == Role.ADMIN:
            return cls.all()
        if user.role == Role.OFFICER:
            return cls(commune_codes=frozenset(user.commune_codes))
        if user.role == Role.PRODUCER:
            owned = db.session.execute(db.select(Producer.id, Producer.legal_name)
                                       .where(Producer.owner_id == user.id).order_by(Producer.id)).all()
            return cls(own_producer_ids=frozenset(row.id for row in owned),
                       own_names=tuple(row.legal_name for row in owned))
        raise ValueError(f"role {user.role!r} may not import")

    @property
    def own_business_only(self) -> bool:
        return self.own_producer_ids is not None

    def check(self, record, producer) -> None:
        """Raise RowRefused unless this row's producer is within the scope. `producer` is the
        matched one (None when the row would create it)."""
        if self.everything:
            return
        if self.own_business_only:
            if producer is None or producer.id not in self.own_producer_ids:
                raise RowRefused("producer_name", "producer_not_yours", names=", ".join(self.own_names) or "—")
            return
        name = record.producer.name
        if producer is not None and producer.commune_code not in self.commune_codes:
            raise RowRefused("commune", "commune_not_yours", producer=name)
        if record.producer.commune_code is None:
            if producer is None:
                raise RowRefused("commune", "commune_needed", producer=name)
        elif record.producer.commune_code not in self.commune_codes:
            raise RowRefused("commune", "commune_not_yours", producer=name)
