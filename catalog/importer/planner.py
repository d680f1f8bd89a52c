"""Planning an import row against the database (reads only): which producer, which product,
what changes, which certificate. Later rows of a file see what earlier ones did through the
planner's caches, in a dry run as in a real import."""
from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import Product
from extensions import db
from producers.models import Certificate, Producer

from .changes import decision_key, issuing_body, product_changes
from .messages import WARNING, Issue
from .photos import PhotoPlan
from .scope import RowRefused, Scope
from .values import match_key

IMPORT_SOURCE = "import"
PRODUCER_FIELDS = ("kind", "commune_code", "address", "phone", "tax_code")


@dataclass
class Plan:
    record: object
    ident: tuple  # (province code, producer name key)
    producer: Producer | None
    producer_is_new: bool
    producer_changes: dict = field(default_factory=dict)
    product: Product | None = None
    product_is_new: bool = False
    product_changes: dict = field(default_factory=dict)
    certificate: Certificate | None = None  # one on record, to link
    new_certificate: dict | None = None  # or the fields of one to add
    photos: PhotoPlan = field(default_factory=PhotoPlan)

    @property
    def changed_fields(self) -> tuple[str, ...]:
        names = list(self.product_changes)
        relinked = self.certificate is not None and self.product is not None and \
            self.product.certificate_id != self.certificate.id
        if self.new_certificate is not None or relinked:
            names.append("certificate_no")
        if self.photos.new:
            names.append("images")
        return tuple(names)


class Planner:
    def __init__(self, scope: Scope, labels):
        self.scope = scope
        self.labels = labels
        self.first_rows: dict[tuple, tuple[int, tuple]] = {}  # producer -> (row, its details there)
        self.refs: dict[tuple, int] = {}  # (producer, ref) -> row
        self.forget_database()

    def forget_database(self) -> None:
        """Drop cached rows (after a rolled-back batch they may be gone or stale)."""
        self.producers: dict[int, dict[str, Producer]] = {}  # province -> name key -> producer
        self.products: dict[tuple, dict[str, Product]] = {}
        self.certificates: dict[tuple, list[Certificate]] = {}

    def release_committed(self) -> None:
        """After a commit: drop the products and certificates read or written so far (later
        rows read them back from the database), so a 50,000-row list does not keep 50,000
        products in memory. Producers stay: a list has far fewer of them."""
        self.products, self.certificates = {}, {}
        for by_name in self.producers.values():
            for producer in by_name.values():
                state = db.inspect(producer)
                if state.persistent and "certificates" not in state.unloaded:
                    db.session.expire(producer, ["certificates"])

    def forget_rows(self, rows) -> None:
        """Forget what rows `rows` claimed (refs, producer details), before they are replayed."""
        rows = set(rows)
        self.refs = {key: row for key, row in self.refs.items() if row not in rows}
        self.first_rows = {key: value for key, value in self.first_rows.items() if value[0] not in rows}

    def _warn(self, issues, at_row, column, code, **params) -> None:
        issues.append(Issue(at_row, column, self.labels.get(column, column), code, params, WARNING))

    def plan(self, record, issues) -> Plan:
        """Raises RowRefused; appends warnings to `issues`. Never flushes the session: rows
        written earlier in the batch are known from the caches."""
        with db.session.no_autoflush:
            wanted = record.producer
            ident = (wanted.province_code, wanted.key)
            producer = self._producers_of(wanted.province_code).get(wanted.key)
            self.scope.check(record, producer)
            if (ident, record.ref) in self.refs:
                raise RowRefused("ref", "ref_duplicated", row=self.refs[(ident, record.ref)], ref=record.ref)
            self.refs[(ident, record.ref)] = record.row
            plan = Plan(record, ident, producer, producer_is_new=producer is None)
            plan.producer_changes = self._producer_changes(record, producer, ident, issues)
            plan.product = self._products_of(ident, producer).get(record.ref)
            if plan.product is None and record.ref_from_name:
                plan.product = self._product_named(ident, producer, record.name)
            plan.product_is_new = plan.product is None
            plan.product_changes = product_changes(record, plan.product)
            self._plan_certificate(plan, issues)
            return plan

    def remember(self, plan: Plan) -> None:
        """What this row did (or, in a dry run, would do) for the rows after it."""
        wanted = plan.record.producer
        if plan.producer is None:  # dry run: a stand-in, never added to the session
            plan.producer = Producer(legal_name=wanted.name, kind=wanted.kind, province_code=wanted.province_code,
                                     commune_code=wanted.commune_code, owner_id=None, source=IMPORT_SOURCE)
        self.producers.setdefault(wanted.province_code, {}).setdefault(wanted.key, plan.producer)
        if plan.product is not None:
            self.products.setdefault(plan.ident, {})[plan.product.ref or plan.record.ref] = plan.product
        if isinstance(plan.certificate, Certificate) and plan.new_certificate is not None:
            self.certificates.setdefault(plan.ident, []).append(plan.certificate)

    def _producers_of(self, province_code) -> dict[str, Producer]:
        if province_code not in self.producers:
            found: dict[str, Producer] = {}
            for producer in db.session.scalars(db.select(Producer).where(Producer.province_code == province_code)
                                               .order_by(Producer.id)):
                found.setdefault(match_key(producer.legal_name), producer)
            self.producers[province_code] = found
        return self.producers[province_code]

    def _products_of(self, ident, producer) -> dict[str, Product]:
        if ident not in self.products:
            rows = [] if producer is None or producer.id is None else db.session.scalars(
                db.select(Product).where(Product.producer_id == producer.id))
            self.products[ident] = {product.ref: product for product in rows}
        return self.products[ident]

    def _product_named(self, ident, producer, name) -> Product | None:
        """A row without a ref is the producer's product of the same name, whatever its ref
        (official lists and follow-up sheets name products, they do not number them)."""
        key = match_key(name)
        return next((product for product in self._products_of(ident, producer).values()
                     if match_key(product.name) == key), None)

    def _certificates_of(self, ident, producer) -> list[Certificate]:
        if ident not in self.certificates:
            self.certificates[ident] = [] if producer is None or producer.id is None else list(
                db.session.scalars(db.select(Certificate).where(Certificate.producer_id == producer.id)
                                   .order_by(Certificate.id)))
        return self.certificates[ident]

    def _producer_changes(self, record, producer, ident, issues) -> dict:
        if self.scope.own_business_only:
            return {}  # producers edit their profile themselves; these columns only name it
        details = record.producer.details
        first_row, first_details = self.first_rows.setdefault(ident, (record.row, details))
        if first_details != details:
            self._warn(issues, record.row, "producer_name", "producer_differs", row=first_row)
            return {}
        if producer is None or producer.id is None:
            return {}
        if producer.owner_id is not None or producer.source != IMPORT_SOURCE:
            return {}  # a producer that manages its own profile keeps it as it wrote it
        given = [name for name in PRODUCER_FIELDS if name != "kind" or record.producer.kind_given]
        return {name: (getattr(producer, name), getattr(record.producer, name)) for name in given
                if getattr(record.producer, name) is not None
                and getattr(producer, name) != getattr(record.producer, name)}

    def _plan_certificate(self, plan: Plan, issues) -> None:
        record = plan.record
        if not record.certificate_no:
            return
        number = decision_key(record.certificate_no)
        same_decision = [c for c in self._certificates_of(plan.ident, plan.producer)
                         if decision_key(c.decision_no) == number and c.decision_date == record.certificate_date]
        current = plan.product.certificate if plan.product is not None else None
        if record.stars is None:
            # An export leaves the stars out once a certificate has expired: link the one on record.
            plan.certificate = current if current in same_decision else next(iter(same_decision), None)
            if plan.certificate is None:
                self._warn(issues, record.row, "stars", "certificate_needs_stars", number=record.certificate_no)
            return
        candidates = [c for c in same_decision
                      if c.stars == record.stars and c.product_set_code == record.product_set_code]
        plan.certificate = current if current in candidates else next(
            (c for c in candidates if c.product_name and match_key(c.product_name) == match_key(record.name)), None)
        if plan.certificate is None:
            plan.new_certificate = {
                "decision_no": record.certificate_no, "decision_date": record.certificate_date,
                "stars": record.stars, "product_set_code": record.product_set_code,
                "product_name": record.name, "issuing_body": issuing_body(record.producer.province_code)}
