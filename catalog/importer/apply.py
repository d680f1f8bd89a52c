"""The database side of the spreadsheet import: match or create producers, products,
certificates and photos, one row at a time.

    report = import_file(path, ImportOptions(actor=user, scope=Scope.for_user(user)), store)

Each row is planned first (reads only), then its photos are read and re-encoded outside any
write transaction, then it is written inside a SAVEPOINT: a row lands whole or not at all, and
the files of a row that fails are deleted. A real import commits every `commit_every` rows and
before any photo work, because a long SQLite write transaction would block every other writer
of the site; each commit holds only whole rows, and a re-import finishes what a crash left.
A dry run plans every row the same way and writes nothing, so its report is what an import
would do.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from accounts.models import utcnow
from catalog.models import Product, ProductPhoto, ProductStatus
from extensions import db
from media.storage import ImageStore, InvalidImageKey, StorageError
from producers import audit
from producers.models import Certificate, Producer, ProducerStatus
from vntext import slugify

from .changes import audit_changes, decision_key, issuing_body, product_changes
from .messages import ERROR, WARNING, CellProblem, ImportFileError, Issue
from .photos import PhotoFingerprints, PhotoPlan, plan_photos
from .report import CREATED, UPDATED, ImportReport, RowChange
from .rows import validate_row
from .scope import RowRefused, Scope
from .sheet import Sheet, open_sheet
from .values import match_key

IMPORT_SOURCE = "import"
PRODUCER_FIELDS = ("kind", "commune_code", "address", "phone", "tax_code")


@dataclass
class ImportOptions:
    actor: object = None  # accounts.models.User: recorded as creator and in the audit log
    scope: Scope = field(default_factory=Scope.all)
    verify: bool = False  # new producers become verified: an official OCOP list vouches (admins)
    dry_run: bool = False
    source_name: str = ""  # the file name people know, for the audit log
    commit_every: int = 200


def import_file(path, options: ImportOptions, store: ImageStore, *, photo_dir=None, progress=None) -> ImportReport:
    """Open `path` and import it; a file that cannot be read gives a report with `file_error`."""
    report = ImportReport(dry_run=options.dry_run, file_name=options.source_name)
    try:
        sheet = open_sheet(path, photo_dir=photo_dir)
    except ImportFileError as error:
        report.file_error = error
        return report
    with sheet:
        return run_import(sheet, options, store, progress=progress, report=report)


def run_import(sheet: Sheet, options: ImportOptions, store: ImageStore, *, progress=None,
               report: ImportReport | None = None) -> ImportReport:
    """Import the rows of an open sheet. `progress(n)` is called as rows are done."""
    if options.verify and not options.scope.everything:
        raise ValueError("only an administrator's import may verify producers")
    report = report or ImportReport(dry_run=options.dry_run, file_name=options.source_name)
    return _Run(sheet, options, store, report).execute(progress)


@dataclass
class _Plan:
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


class _Run:
    def __init__(self, sheet: Sheet, options: ImportOptions, store: ImageStore, report: ImportReport):
        self.sheet, self.options, self.store, self.report = sheet, options, store, report
        self.labels = sheet.labels
        self.actor_id = options.actor.id if options.actor is not None else None
        self.now = utcnow()
        self.fingerprints = PhotoFingerprints(store)
        self.producers: dict[int, dict[str, Producer]] = {}  # province -> name key -> producer
        self.products: dict[tuple, dict[str, Product]] = {}
        self.certificates: dict[tuple, list[Certificate]] = {}
        self.first_rows: dict[tuple, tuple[int, tuple]] = {}  # producer -> (row, its details there)
        self.refs: dict[tuple, int] = {}  # (producer, ref) -> row
        self.counted_producers: set[tuple] = set()
        self.unsaved_keys: list[str] = []  # files written since the last commit
        self.rows_since_commit = 0

    # --- the loop -------------------------------------------------------------------------

    def execute(self, progress) -> ImportReport:
        self.report.rows_read = len(self.sheet.rows)
        for label in self.sheet.header.ignored:
            self.report.issues.append(Issue(self.sheet.header_row, "", label, "column_ignored",
                                            {"column": label}, WARNING))
        session = db.session()
        # Cached producers and products stay usable across the batch commits.
        expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
        try:
            if not self.options.dry_run:
                _begin_write_transaction()
            for sheet_row in self.sheet.rows:
                self._row(sheet_row)
                if progress is not None:
                    progress(1)
                if self.rows_since_commit >= max(1, self.options.commit_every):
                    self._commit()
            if self.options.dry_run:
                db.session.rollback()
            else:
                self._commit()
        except BaseException:
            db.session.rollback()
            self._discard(self.unsaved_keys)
            raise
        finally:
            session.expire_on_commit = expire_on_commit
        return self.report

    def _row(self, sheet_row) -> None:
        result = validate_row(sheet_row.number, sheet_row.cells, self.labels)
        issues = list(result.issues)
        if result.refused:
            return self._refuse(issues)
        record = result.record
        try:
            plan = self._plan(record, issues)
        except RowRefused as refusal:
            return self._refuse(issues + [refusal.issue(record.row, self.labels)])
        if record.image_names:
            if self.rows_since_commit:
                self._commit()  # decode photos outside the write transaction
            existing = [photo.image_key for photo in plan.product.photos] if plan.product is not None else []
            plan.photos = plan_photos(record.image_names, existing, self.sheet.photos, self.fingerprints)
            issues.extend(self._issue(record.row, "images", problem) for problem in plan.photos.problems)
        if not self.options.dry_run and not self._write(plan, issues):
            return
        self._remember(plan)
        self._count(plan)
        self.report.issues.extend(issues)

    def _refuse(self, issues) -> None:
        self.report.rows_refused += 1
        self.report.issues.extend(issues)

    def _issue(self, row, name, problem: CellProblem) -> Issue:
        return Issue(row, name, self.labels.get(name, name), problem.code, problem.params, problem.severity)

    def _warn(self, issues, at_row, column, code, **params) -> None:
        issues.append(Issue(at_row, column, self.labels.get(column, column), code, params, WARNING))

    # --- planning (reads only) ---------------------------------------------------------------

    def _plan(self, record, issues) -> _Plan:
        wanted = record.producer
        ident = (wanted.province_code, wanted.key)
        producer = self._producers_of(wanted.province_code).get(wanted.key)
        self.options.scope.check(record, producer)
        if (ident, record.ref) in self.refs:
            raise RowRefused("ref", "ref_duplicated", row=self.refs[(ident, record.ref)], ref=record.ref)
        self.refs[(ident, record.ref)] = record.row
        plan = _Plan(record, ident, producer, producer_is_new=producer is None)
        plan.producer_changes = self._producer_changes(record, producer, ident, issues)
        plan.product = self._products_of(ident, producer).get(record.ref)
        plan.product_is_new = plan.product is None
        plan.product_changes = product_changes(record, plan.product)
        self._plan_certificate(plan, issues)
        return plan

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

    def _certificates_of(self, ident, producer) -> list[Certificate]:
        if ident not in self.certificates:
            self.certificates[ident] = [] if producer is None or producer.id is None else list(
                db.session.scalars(db.select(Certificate).where(Certificate.producer_id == producer.id)
                                   .order_by(Certificate.id)))
        return self.certificates[ident]

    def _producer_changes(self, record, producer, ident, issues) -> dict:
        if self.options.scope.own_business_only:
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
        return {name: (getattr(producer, name), getattr(record.producer, name)) for name in PRODUCER_FIELDS
                if getattr(record.producer, name) is not None
                and getattr(producer, name) != getattr(record.producer, name)}

    def _plan_certificate(self, plan: _Plan, issues) -> None:
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
        name_key = match_key(record.name)
        plan.certificate = current if current in candidates else next(
            (c for c in candidates if c.product_name and match_key(c.product_name) == name_key), None)
        if plan.certificate is None:
            plan.new_certificate = {
                "decision_no": record.certificate_no, "decision_date": record.certificate_date,
                "stars": record.stars, "product_set_code": record.product_set_code,
                "product_name": record.name, "issuing_body": issuing_body(record.producer.province_code)}

    # --- writing (real imports only) ---------------------------------------------------------

    def _write(self, plan: _Plan, issues) -> bool:
        saved, kept = [], []
        for photo in plan.photos.new:
            try:
                saved.append((self.store.save(photo.processed), photo.processed))
                kept.append(photo)
            except StorageError:
                self._warn(issues, plan.record.row, "images", "photo_not_saved", name=photo.name)
        plan.photos.new = kept
        try:
            with db.session.begin_nested():
                self._write_rows(plan, saved)
        except SQLAlchemyError as error:
            self._discard([key for key, _ in saved])
            reason = type(getattr(error, "orig", None) or error).__name__
            self._refuse(issues + [Issue(plan.record.row, "", "", "row_not_saved", {"reason": reason}, ERROR)])
            return False
        self.unsaved_keys.extend(key for key, _ in saved)
        for key, processed in saved:
            self.fingerprints.remember(key, processed)
        self.rows_since_commit += 1
        return True

    def _write_rows(self, plan: _Plan, saved) -> None:
        record, actor = plan.record, self.options.actor
        reason = f"Nhập từ bảng tính {self.options.source_name}, dòng {record.row}"
        if plan.producer_is_new:
            plan.producer = self._new_producer(record, reason)
        elif plan.producer_changes:
            for name, (_, new) in plan.producer_changes.items():
                setattr(plan.producer, name, new)
            audit.record("producer.updated", plan.producer, audit_changes(plan.producer_changes), reason, actor)
        producer = plan.producer
        if plan.new_certificate is not None:
            plan.certificate = Certificate(producer_id=producer.id, **plan.new_certificate)
            db.session.add(plan.certificate)
        if plan.product_is_new:
            plan.product = Product(producer_id=producer.id, ref=record.ref, status=ProductStatus.PUBLISHED,
                                   published_at=self.now, created_by_id=self.actor_id,
                                   updated_by_id=self.actor_id, slug=slugify(record.name),
                                   **{name: new for name, (_, new) in plan.product_changes.items()})
            db.session.add(plan.product)
            audit.record("product.created", producer, {"ref": record.ref, "name": record.name}, reason, actor)
        elif plan.changed_fields:
            for name, (_, new) in plan.product_changes.items():
                setattr(plan.product, name, new)
            if "name" in plan.product_changes:
                plan.product.slug = slugify(record.name)
            plan.product.updated_by_id = self.actor_id
            changes = dict(audit_changes(plan.product_changes), ref=record.ref)
            if saved:
                changes["photos_added"] = len(saved)
            if "certificate_no" in plan.changed_fields:
                changes["certificate_no"] = record.certificate_no
            audit.record("product.updated", producer, changes, reason, actor)
        product = plan.product
        if plan.certificate is not None and product.certificate is not plan.certificate:
            product.certificate = plan.certificate
        position = max((photo.position for photo in product.photos), default=-1) + 1
        for offset, (key, processed) in enumerate(saved):
            product.photos.append(ProductPhoto(image_key=key, position=position + offset,
                                               width=processed.original_width, height=processed.original_height))
        db.session.flush()

    def _new_producer(self, record, reason) -> Producer:
        wanted, verify = record.producer, self.options.verify
        producer = Producer(
            owner_id=None, created_by_id=self.actor_id, kind=wanted.kind, legal_name=wanted.name,
            slug=slugify(wanted.name), tax_code=wanted.tax_code, province_code=wanted.province_code,
            commune_code=wanted.commune_code, address=wanted.address, phone=wanted.phone,
            status=ProducerStatus.VERIFIED if verify else ProducerStatus.SUBMITTED, source=IMPORT_SOURCE,
            submitted_at=self.now, verified_at=self.now if verify else None)
        db.session.add(producer)
        db.session.flush()  # the audit events need its id
        audit.record("producer.imported", producer, {
            "legal_name": wanted.name, "kind": wanted.kind, "province_code": wanted.province_code,
            "commune_code": wanted.commune_code, "source": IMPORT_SOURCE}, reason, self.options.actor)
        if verify:
            audit.record("producer.approved", producer,
                         {"status": {"from": ProducerStatus.SUBMITTED, "to": ProducerStatus.VERIFIED}},
                         reason + " (danh sách OCOP chính thức)", self.options.actor)
        return producer

    # --- bookkeeping -------------------------------------------------------------------------

    def _remember(self, plan: _Plan) -> None:
        """Later rows of the file see what this one did (in a dry run: what it would do)."""
        wanted = plan.record.producer
        if plan.producer is None:  # dry run: a stand-in, never added to the session
            plan.producer = Producer(legal_name=wanted.name, kind=wanted.kind, province_code=wanted.province_code,
                                     commune_code=wanted.commune_code, owner_id=None, source=IMPORT_SOURCE)
        self.producers[wanted.province_code].setdefault(wanted.key, plan.producer)
        if plan.product is not None:
            self.products[plan.ident][plan.record.ref] = plan.product
        if isinstance(plan.certificate, Certificate) and plan.new_certificate is not None:
            self.certificates[plan.ident].append(plan.certificate)

    def _count(self, plan: _Plan) -> None:
        report, record = self.report, plan.record
        if plan.ident not in self.counted_producers:
            if plan.producer_is_new:
                report.producers_created += 1
                self.counted_producers.add(plan.ident)
            elif plan.producer_changes:
                report.producers_updated += 1
                self.counted_producers.add(plan.ident)
        report.photos_added += len(plan.photos.new)
        fields = plan.changed_fields
        if plan.product_is_new:
            report.products_created += 1
        elif fields:
            report.products_updated += 1
        else:
            report.products_unchanged += 1
            return
        report.changes.append(RowChange(record.row, CREATED if plan.product_is_new else UPDATED, record.ref,
                                        record.name, record.producer.name, () if plan.product_is_new else fields,
                                        plan.producer_is_new))

    def _commit(self) -> None:
        if self.options.dry_run:
            return
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            self._discard(self.unsaved_keys)
            self.unsaved_keys = []
            raise
        self.unsaved_keys = []
        self.rows_since_commit = 0
        _begin_write_transaction()

    def _discard(self, keys) -> None:
        for key in keys:
            try:
                self.store.delete(key)
            except (InvalidImageKey, OSError):
                pass


def _begin_write_transaction() -> None:
    """Open the database transaction explicitly on SQLite.

    Python's sqlite3 driver only sends BEGIN before INSERT/UPDATE/DELETE, so a SAVEPOINT issued
    first becomes the outermost transaction and its RELEASE commits for good: a dry run or a
    failed batch could then not be rolled back. Beginning here makes savepoints nest properly.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
