"""Our own CSV with its photos, in one ZIP: what an import into an empty site needs.

The archive holds ``choque.csv`` (exactly our CSV export, ourcsv.py) and, beside
it, every photo file its ``images`` column names. Importing the ZIP brings the
photos back under the same names, so export → import into an empty site →
export gives the same bytes.

The bytes depend only on the listings and the photo files: entries are
written in a fixed order with a fixed timestamp (1980-01-01, the earliest a
ZIP can hold) and fixed permissions, the sheet deflated and the photos stored
(WebP is compressed already). The archive is built in a temporary file and
then copied to ``out``: zipfile writes different headers to a stream it
cannot seek, and standard output is such a stream.

``photo_file(name)`` (an option) returns the path of a named photo (or, for
an object store, anything with ``read_bytes()``), or None when it is gone; a listing then leaves without that name, and the report
notes it. Without ``photo_file`` the archive holds the sheet alone, its
``images`` cells empty, and one notice says so.
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

from .base import Exporter
from .ourcsv import OwnCsvExporter, validate_own
from .problems import ExportReport, ListingIssue, N_, Problem
from .record import Listing

SHEET_NAME = "choque.csv"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_PERMISSIONS = 0o644 << 16
COPY_CHUNK = 1024 * 1024


def _entry(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = compress_type
    info.external_attr = FILE_PERMISSIONS
    info.create_system = 3  # Unix, whatever system writes it
    return info


class OwnZipExporter(Exporter):
    name = "zip"
    label = N_("Chợ Quê spreadsheet with photos (ZIP, can be imported into another site)")
    media_type = "application/zip"
    file_extension = "zip"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_own(listing)

    def write(
        self,
        listings: Iterable[Listing],
        out: BinaryIO,
        *,
        photo_file: Callable[[str], Path | None] | None = None,
    ) -> ExportReport:
        report = ExportReport(self.name)
        photos: dict[str, Path] = {}

        def with_photos():
            unavailable = Problem("image_names", "photo_files_unavailable")
            for listing in self.accepted(listings, report):
                if photo_file is None:  # the whole export lacks them: one notice, not one per listing
                    if listing.image_names and unavailable not in report.notices:
                        report.notices.append(unavailable)
                    yield dataclasses.replace(listing, image_names=()) if listing.image_names else listing
                    continue
                kept, notes = [], []
                for name in listing.image_names:
                    path = photos.get(name) or photo_file(name)
                    if path is None:
                        notes.append(Problem("image_names", "photo_file_missing", {"name": name}))
                        continue
                    photos[name] = path
                    kept.append(name)
                if notes:
                    listing = dataclasses.replace(listing, image_names=tuple(kept))
                    report.warnings.append(ListingIssue(listing.label, tuple(notes)))
                yield listing

        with tempfile.TemporaryFile() as sheet, tempfile.TemporaryFile() as archive_file:
            sheet_report = OwnCsvExporter().write(with_photos(), sheet)
            report.exported = sheet_report.exported
            sheet.seek(0)
            with zipfile.ZipFile(archive_file, "w") as archive:
                with archive.open(_entry(SHEET_NAME, zipfile.ZIP_DEFLATED), "w") as target:
                    shutil.copyfileobj(sheet, target, COPY_CHUNK)
                for name, path in photos.items():
                    with archive.open(_entry(name, zipfile.ZIP_STORED), "w") as target:
                        if isinstance(path, Path):
                            with open(path, "rb") as source:
                                shutil.copyfileobj(source, target, COPY_CHUNK)
                        else:  # a photo in an object store (catalog.images.StoredRendition)
                            target.write(path.read_bytes())
            archive_file.seek(0)
            shutil.copyfileobj(archive_file, out, COPY_CHUNK)
        return report

