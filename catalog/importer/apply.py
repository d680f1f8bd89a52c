"""The database side of the spreadsheet import: match or create producers, products,
certificates and photos, one row at a time.

    report = import_file(path, ImportOptions(actor=user, scope=Scope.for_user(user)), store)

Each row is planned first (reads only), then written inside a SAVEPOINT: a row lands whole or
not at all. Rows share a batch savepoint and one flush (the ORM flushing each row alone is ten
times slower); if anything in a batch fails, the batch is rolled back, its photo files deleted,
and its rows written again one by one, each in its own savepoint, so only the failing row is
refused. Photos are read and re-encoded ahead of their rows, a chunk at a time, by a pool of
worker processes (photo_work.py), outside any write transaction; their files are written
without an fsync each and made durable together just before the commit that names them.

A real import commits after every `commit_every` rows and before each chunk of photo work,
because a long SQLite write transaction would block every other writer of the site; each commit
holds only whole rows, and importing the file again finishes what a crash interrupted. A dry run
plans every row the same way and writes nothing, so its report is what an import would do.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from catalog.constants import BULK_WRITE_SESSION_FLAG
from core.clock import utcnow
from catalog.models import Product, ProductPhoto, ProductStatus
from extensions import db
from media.storage import ImageStore, InvalidImageKey, StorageError
from producers import audit
from producers.models import Certificate, Producer, ProducerStatus
from vntext import slugify

from .changes import audit_changes
from .messages import ERROR, WARNING, ImportFileError, Issue
from .photo_work import PhotoWork, upcoming_names
from .photos import PhotoFingerprints, plan_photos
from .planner import IMPORT_SOURCE, Plan, Planner
from .report import CREATED, UPDATED, ImportReport, RowChange
from .rows import validate_row
from .scope import RowRefused, Scope
from .sheet import Sheet, open_sheet


LOOKAHEAD_ROWS = 200  # rows looked at ahead for photos to prepare


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


class _Run:
    def __init__(self, sheet: Sheet, options: ImportOptions, store: ImageStore, report: ImportReport):
        self.sheet, self.options, self.store, self.report = sheet, options, store, report
        self.labels = sheet.labels
        self.actor_id = options.actor.id if options.actor is not None else None
        self.now = utcnow()
        self.planner = Planner(options.scope, self.labels)
        self.fingerprints = PhotoFingerprints(store)
        self.counted_producers: set[tuple] = set()
        self.batch: list[tuple] = []  # (sheet row, plan, issues) written in the open batch savepoint
        self.batch_savepoint = None
        self.audits: list[tuple] = []  # audit events waiting for the ids the next flush gives
        self.rows_since_commit = 0
        self.unsaved_keys: list[str] = []  # files written since the last commit
        self.batch_saved: list[tuple] = []  # (key, processed) of photos saved for the open batch
        self.unsynced: list[str] = []  # photo keys saved without fsync, made durable before a commit
        self.work = PhotoWork(sheet.photos)
        self.validated: dict[int, object] = {}  # sheet row number -> validation done ahead
        self.prepared_until = 0  # index of the first row whose photos are not ready yet
        self.submitted_until = 0  # index of the first row whose photos are not submitted yet
        self.chunk_has_photos: deque[bool] = deque()  # per submitted chunk, oldest first

    # --- the loop -------------------------------------------------------------------------

    def execute(self, progress) -> ImportReport:
        self.report.rows_read = len(self.sheet.rows)
        for label in self.sheet.header.ignored:
            self.report.issues.append(Issue(self.sheet.header_row, "", label, "column_ignored",
                                            {"column": label}, WARNING))
        session = db.session()
        # Cached producers and products stay usable across the batch commits.
        expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
        # The search index catches up once at the end, not after each of the import's commits.
        session.info[BULK_WRITE_SESSION_FLAG] = True
        try:
            if not self.options.dry_run:
                _begin_write_transaction()
            rows = self.sheet.rows
            for index, sheet_row in enumerate(rows):
                if index >= self.prepared_until:
                    self._prepare_photos(rows, index)
                self._row(sheet_row)
                if progress is not None:
                    progress(1)
                if len(self.batch) + self.rows_since_commit >= max(1, self.options.commit_every):
                    self._commit()
            if self.options.dry_run:
                db.session.rollback()
            else:
                self._commit()
                session.info.pop(BULK_WRITE_SESSION_FLAG, None)
                db.session.commit()  # ends the deferral: the index takes in the whole import
        except BaseException:
            db.session.rollback()
            self._discard(self.unsaved_keys + [key for key, _ in self.batch_saved])
            raise
        finally:
            session.expire_on_commit = expire_on_commit
            session.info.pop(BULK_WRITE_SESSION_FLAG, None)
            self.work.close()
        return self.report

    def _validate(self, sheet_row):
        """The row's validation, done ahead by `_prepare_photos` or now."""
        done = self.validated.pop(sheet_row.number, None)
        if done is not None:
            return done
        cells = {**sheet_row.cells, **self.sheet.defaults} if self.sheet.defaults else sheet_row.cells
        return validate_row(sheet_row.number, cells, self.labels)

    def _prepare_photos(self, rows, start: int) -> None:
        """Have the photos of the chunk of rows from `start` ready, and the next chunk started.

        What is written so far is committed before waiting for photos, so no write transaction
        waits on photo work; the workers re-encode the next chunk while this one is written."""
        if self.submitted_until <= start:
            self.submitted_until = self._submit_chunk(rows, start)
        end, has_photos = self.submitted_until, self.chunk_has_photos.popleft()
        self.submitted_until = self._submit_chunk(rows, end)
        if has_photos:
            self._commit()
        self.work.wait_next()
        self.prepared_until = end

    def _submit_chunk(self, rows, start: int) -> int:
        """Validate the rows from `start` on and submit their photos, up to a chunk of them;
        returns where the chunk ends (rows validated past it keep their result for later)."""
        ahead = []
        for sheet_row in rows[start:start + LOOKAHEAD_ROWS]:
            result = self.validated[sheet_row.number] = self._validate(sheet_row)
            ahead.append(None if result.refused else result.record)
        names, used = upcoming_names(ahead)
        self.work.submit(names)
        self.chunk_has_photos.append(bool(names))
        return start + max(used, 1)

    def _row(self, sheet_row, alone: bool = False) -> None:
        result = self._validate(sheet_row)
        issues = list(result.issues)
        if result.refused:
            return self._refuse(issues)
        record = result.record
        try:
            plan = self.planner.plan(record, issues)
        except RowRefused as refusal:
            return self._refuse(issues + [refusal.issue(record.row, self.labels)])
        if record.image_names:
            existing = [photo.image_key for photo in plan.product.photos] if plan.product is not None else []
            plan.photos = plan_photos(record.image_names, existing, self.sheet.photos, self.fingerprints, self.work)
            issues.extend(Issue(record.row, "images", self.labels.get("images", "images"), problem.code,
                                problem.params, problem.severity) for problem in plan.photos.problems)
        if self.options.dry_run:
            self._done(plan, issues)
        elif alone:
            if self._write_alone(plan, issues):
                self._done(plan, issues)
        else:
            self._write_in_batch(sheet_row, plan, issues)

    def _done(self, plan: Plan, issues) -> None:
        self.planner.remember(plan)
        self._count(plan)
        self.report.issues.extend(issues)

    def _refuse(self, issues) -> None:
        self.report.rows_refused += 1
        self.report.issues.extend(issues)

    def _warn(self, issues, at_row, column, code, **params) -> None:
        issues.append(Issue(at_row, column, self.labels.get(column, column), code, params, WARNING))

    # --- writing (real imports only) ---------------------------------------------------------

    def _write_in_batch(self, sheet_row, plan: Plan, issues) -> None:
        """The fast path: rows share one savepoint and one flush per batch; if anything in the
        batch fails, it is undone and its rows are written again one by one."""
        if self.batch_savepoint is None:
            self.batch_savepoint = db.session.begin_nested()
        self.batch.append((sheet_row, plan, issues))
        saved = self._save_photos(plan, issues, sync=False)
        self.batch_saved.extend(saved)
        try:
            self._write_rows(plan, saved)
        except SQLAlchemyError:
            return self._replay_batch()
        self.planner.remember(plan)

    def _close_batch(self) -> None:
        if self.batch_savepoint is None:
            return
        try:
            self._flush_with_audits()
            self.batch_savepoint.commit()
        except SQLAlchemyError:
            return self._replay_batch()
        for _, plan, issues in self.batch:
            self._count(plan)
            self.report.issues.extend(issues)
        for key, processed in self.batch_saved:
            self.fingerprints.remember(key, processed)
        keys = [key for key, _ in self.batch_saved]
        self.unsaved_keys.extend(keys)
        self.unsynced.extend(keys)
        self.rows_since_commit += len(self.batch)
        self.batch, self.batch_savepoint, self.batch_saved = [], None, []

    def _replay_batch(self) -> None:
        rows = [sheet_row for sheet_row, _, _ in self.batch]
        self.batch_savepoint.rollback()  # also after a failed flush left it inactive
        self._discard([key for key, _ in self.batch_saved])
        self.batch, self.batch_savepoint, self.audits, self.batch_saved = [], None, [], []
        self.planner.forget_database()
        self.planner.forget_rows(row.number for row in rows)
        for sheet_row in rows:
            self._row(sheet_row, alone=True)

    def _save_photos(self, plan: Plan, issues, sync: bool) -> list[tuple]:
        """Write the row's new photo files; (key, processed) of each one saved."""
        saved, kept = [], []
        for photo in plan.photos.new:
            try:
                key = self.store.save(photo.processed, self._free_key(photo.wanted_key), sync=sync)
                saved.append((key, photo.processed))
                kept.append(photo)
            except StorageError:
                self._warn(issues, plan.record.row, "images", "photo_not_saved", name=photo.name)
        plan.photos.new = kept
        return saved

    def _write_alone(self, plan: Plan, issues) -> bool:
        """One row in its own savepoint, with its photo files; False (row refused) if it fails."""
        saved = self._save_photos(plan, issues, sync=True)
        try:
            with db.session.begin_nested():
                self._write_rows(plan, saved)
                self._flush_with_audits()
        except SQLAlchemyError as error:
            self.audits = []
            self._discard([key for key, _ in saved])
            reason = type(getattr(error, "orig", None) or error).__name__
            self._refuse(issues + [Issue(plan.record.row, "", "", "row_not_saved", {"reason": reason}, ERROR)])
            return False
        self.unsaved_keys.extend(key for key, _ in saved)
        for key, processed in saved:
            self.fingerprints.remember(key, processed)
        self.rows_since_commit += 1
        return True

    @staticmethod
    def _free_key(key: str | None) -> str | None:
        """The photo's own key when no photo row of this site uses it (the store checks files)."""
        if key is None:
            return None
        with db.session.no_autoflush:  # rows of the open batch are flushed with it, not here
            taken = db.session.scalar(db.select(ProductPhoto.id).where(ProductPhoto.image_key == key).limit(1))
        return None if taken is not None else key

    def _flush_with_audits(self) -> None:
        """Flush the written rows, then their audit events (new producers need their ids first)."""
        db.session.flush()
        for action, producer, changes, reason in self.audits:
            audit.record(action, producer, changes, reason, self.options.actor)
        self.audits = []
        db.session.flush()

    def _audit(self, action, producer, changes, reason) -> None:
        self.audits.append((action, producer, changes, reason))

    def _write_rows(self, plan: Plan, saved) -> None:
        """Add or change the rows of one import row; nothing is flushed here."""
        record = plan.record
        reason = f"Nhập từ bảng tính {self.options.source_name}, dòng {record.row}"
        if plan.producer_is_new:
            plan.producer = self._new_producer(record, reason)
        elif plan.producer_changes:
            for name, (_, new) in plan.producer_changes.items():
                setattr(plan.producer, name, new)
            self._audit("profile_updated", plan.producer, audit_changes(plan.producer_changes), reason)
        producer = plan.producer
        if plan.new_certificate is not None:
            plan.certificate = Certificate(producer=producer, **plan.new_certificate)
            db.session.add(plan.certificate)
        if plan.product_is_new:
            values = {name: new for name, (_, new) in plan.product_changes.items()}
            ready = ready_for_sale(record.price_vnd, bool(saved), named_only=record.ref_from_name)
            plan.product = Product(producer=producer, ref=record.ref,
                                   status=ProductStatus.PUBLISHED if ready else ProductStatus.DRAFT,
                                   published_at=self.now if ready else None, created_by_id=self.actor_id,
                                   updated_by_id=self.actor_id, slug=slugify(record.name), **values)
            db.session.add(plan.product)
            self._audit("product_created", producer, {"ref": record.ref, "name": record.name}, reason)
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
            self._audit("product_updated", producer, changes, reason)
        product = plan.product
        if plan.certificate is not None and (plan.product_is_new or product.certificate is not plan.certificate):
            product.certificate = plan.certificate
        if saved:
            position = max((photo.position for photo in product.photos), default=-1) + 1
            for offset, (key, processed) in enumerate(saved):
                product.photos.append(ProductPhoto(image_key=key, position=position + offset,
                                                   width=processed.original_width,
                                                   height=processed.original_height))
        completed = bool(saved) or "price_vnd" in plan.product_changes
        if product.status == ProductStatus.DRAFT and not plan.product_is_new and completed and \
                ready_for_sale(product.price_vnd, bool(product.photos), named_only=record.ref_from_name):
            product.status = ProductStatus.PUBLISHED
            product.published_at = self.now
            self._audit("product_status_changed", producer, {
                "ref": product.ref, "status": {"from": ProductStatus.DRAFT, "to": ProductStatus.PUBLISHED}}, reason)

    def _new_producer(self, record, reason) -> Producer:
        wanted, verify = record.producer, self.options.verify
        producer = Producer(
            owner_id=None, created_by_id=self.actor_id, kind=wanted.kind, legal_name=wanted.name,
            slug=slugify(wanted.name), tax_code=wanted.tax_code, province_code=wanted.province_code,
            commune_code=wanted.commune_code, address=wanted.address, phone=wanted.phone,
            status=ProducerStatus.VERIFIED if verify else ProducerStatus.SUBMITTED, source=IMPORT_SOURCE,
            submitted_at=self.now, verified_at=self.now if verify else None)
        db.session.add(producer)
        self._audit("producer_imported", producer, {
            "legal_name": wanted.name, "kind": wanted.kind, "province_code": wanted.province_code,
            "commune_code": wanted.commune_code, "source": IMPORT_SOURCE}, reason)
        if verify:
            self._audit("approved", producer,
                        {"status": {"from": ProducerStatus.SUBMITTED, "to": ProducerStatus.VERIFIED}},
                        reason + " (danh sách OCOP chính thức)")
        return producer

    # --- bookkeeping -------------------------------------------------------------------------

    def _count(self, plan: Plan) -> None:
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
        """Close the open batch and commit what is written so far (nothing in a dry run)."""
        if self.options.dry_run:
            return
        self._close_batch()
        if not self.rows_since_commit:
            return
        try:
            if self.unsynced:
                self.store.make_durable(self.unsynced)  # the files before the rows that name them
                self.unsynced = []
            db.session.commit()
        except (SQLAlchemyError, StorageError):
            db.session.rollback()
            self._discard(self.unsaved_keys)
            self.unsaved_keys, self.unsynced = [], []
            raise
        self.unsaved_keys = []
        self.rows_since_commit = 0
        self.planner.release_committed()
        _begin_write_transaction()

    def _discard(self, keys) -> None:
        for key in keys:
            try:
                self.store.delete(key)
            except (InvalidImageKey, OSError):
                pass


def ready_for_sale(price_vnd, has_photo: bool, named_only: bool) -> bool:
    """Whether an imported product is published. Rows without a ref (an official OCOP list, a
    follow-up sheet) need a price and a photo: until then the product is a draft, out of the
    public catalogue, that the producer or a follow-up sheet completes. A catalogue sheet with
    refs (our own export, a producer's list) is published as it is, as before."""
    return not named_only or (price_vnd is not None and has_photo)


def _begin_write_transaction() -> None:
    """Open the database transaction explicitly on SQLite.

    Python's sqlite3 driver only sends BEGIN before INSERT/UPDATE/DELETE, so a SAVEPOINT issued
    first becomes the outermost transaction and its RELEASE commits for good: a dry run or a
    failed batch could then not be rolled back. Beginning here makes savepoints nest properly.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
