"""Our own JSON: a streamed array of objects with the spreadsheet import keys.

Same keys and order as our CSV (ourcsv.OUR_COLUMNS), with JSON types:
numbers for category, stars, price_vnd and weight_g, null for missing values,
``images`` as a list of file names. No formula guard: JSON is not opened by
spreadsheet programs.
"""
from __future__ import annotations

import json
from typing import BinaryIO, Iterable

from .base import Exporter, record_notes, text_stream
from .ourcsv import own_values, validate_own
from .problems import ExportReport, N_, Problem
from .record import Listing


class OwnJsonExporter(Exporter):
    name = "json"
    label = N_("Chợ Quê data (JSON)")
    media_type = "application/json"
    file_extension = "json"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_own(listing)

    def write(self, listings: Iterable[Listing], out: BinaryIO) -> ExportReport:
        report = ExportReport(self.name)
        with text_stream(out) as stream:
            separator = "[\n"
            for listing in self.accepted(listings, report):
                stream.write(separator + json.dumps(own_values(listing), ensure_ascii=False))
                separator = ",\n"
                record_notes(report, listing, [])
            stream.write("[]\n" if separator == "[\n" else "\n]\n")
        return report
