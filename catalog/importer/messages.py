"""What the spreadsheet import tells people: codes, English msgids, and the issue record.

Pure module (no Flask). Parsing and validation raise or return codes with parameters; the web
page and the command line translate them with gettext(MESSAGES[code], **params) in the reader's
language. ``N_`` only marks strings for extraction (Babel knows the keyword) and returns them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

ERROR = "error"  # the row is refused, nothing of it is written
WARNING = "warning"  # the row is imported; something in it was left out or guessed


def N_(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    # The file as a whole: nothing is imported.
    "file_empty": N_("The file is empty."),
    "file_too_large": N_("The file is larger than %(max_mb)s MB."),
    "file_type_unknown": N_("This is not a CSV, XLSX or ZIP file. Save the spreadsheet as .xlsx or as "
                            "CSV UTF-8 and try again."),
    "file_xls_old": N_("Old Excel files (.xls) cannot be read. In Excel choose Save As, then Excel "
                       "Workbook (.xlsx)."),
    "file_not_utf8": N_("The CSV file is not UTF-8 text. In Excel save it as CSV UTF-8 (Comma delimited)."),
    "xlsx_unreadable": N_("The Excel file could not be read: it may be damaged or protected by a password."),
    "sheet_empty": N_("The spreadsheet has no rows."),
    "json_invalid": N_("The JSON file could not be read: it breaks off or has a mistake near line %(line)s."),
    "json_not_products": N_("The JSON file must hold a list of products, each with names such as \"name\" and "
                            "\"price_vnd\", as Chợ Quê's JSON export writes it."),
    "header_not_found": N_("No row of column names was found in the first %(rows)s rows. The first row "
                           "should name the columns, for example %(columns)s."),
    "columns_missing": N_("These columns are missing: %(columns)s."),
    "column_duplicated": N_("The columns %(first)s and %(second)s both mean %(column)s; keep only one of them."),
    "too_many_rows": N_("The file has more than %(max)s rows; split it into smaller files."),
    "zip_unsafe_name": N_("The ZIP file holds a file whose name points outside the archive (%(name)s), so "
                          "it was refused."),
    "zip_too_big": N_("The ZIP file would unpack to more than %(max_mb)s MB, so it was refused."),
    "zip_bomb": N_("The ZIP file holds %(name)s, which is compressed suspiciously well, so it was refused."),
    "zip_too_many_files": N_("The ZIP file holds more than %(max)s files."),
    "zip_encrypted": N_("The ZIP file is protected by a password."),
    "zip_damaged": N_("The ZIP file is damaged."),
    "zip_no_sheet": N_("The ZIP file holds no spreadsheet (.csv or .xlsx)."),
    "zip_many_sheets": N_("The ZIP file holds more than one spreadsheet (%(names)s); keep exactly one."),
    # One row: refused.
    "value_missing": N_("This cell is empty but is needed."),
    "too_long": N_("The text is longer than %(max)s characters."),
    "ref_invalid": N_("The reference “%(value)s” may hold only letters without accents, digits and . _ / - "
                      "(for example MO-500)."),
    "category_unknown": N_("“%(value)s” is not an OCOP product set: give its number (1 to 26) or its "
                           "Vietnamese name."),
    "stars_invalid": N_("OCOP stars must be 3, 4 or 5, not “%(value)s”."),
    "price_invalid": N_("“%(value)s” is not a price in whole đồng (for example 120000 or 120.000)."),
    "price_out_of_range": N_("The price must be at most %(max)s đồng."),
    "weight_invalid": N_("“%(value)s” is not a weight in grams (for example 500 or 1,5 kg)."),
    "producer_type_unknown": N_("“%(value)s” is not a producer type: write hợp tác xã, tổ hợp tác, hộ kinh "
                                "doanh or doanh nghiệp."),
    "province_unknown": N_("“%(value)s” is not a province of Vietnam (today's name or a former one)."),
    "availability_invalid": N_("“%(value)s” is not an availability: write còn hàng, hết hàng or theo mùa "
                               "with its months (for example theo mùa: 5-8)."),
    "legacy_encoding": N_("“%(value)s” looks like text in an old Vietnamese encoding (TCVN3 or VNI). Convert "
                          "the file to Unicode (for example with Unikey's converter) and import it again."),
    "ref_duplicated": N_("Row %(row)s already has a product %(ref)s of this producer."),
    "commune_not_yours": N_("%(producer)s is not in a commune you look after."),
    "commune_needed": N_("The commune is needed to check that %(producer)s is in a commune you look after."),
    "producer_not_yours": N_("You can only import the products of your own business (%(names)s)."),
    "row_not_saved": N_("This row could not be saved, and nothing of it was kept (%(reason)s)."),
    # One row: imported, with something left out or guessed.
    "commune_unknown": N_("“%(value)s” is not a commune of %(province)s today; it was kept as the address."),
    "phone_invalid": N_("“%(value)s” is not a Vietnamese phone number, so it was left out."),
    "tax_code_invalid": N_("“%(value)s” is not a valid tax code (10 or 13 digits) or, for a household, a "
                           "12-digit personal ID, so it was left out."),
    "certificate_date_invalid": N_("“%(value)s” is not a date (write 17/05/2024 or 2024-05-17), so no "
                                   "certificate was recorded."),
    "certificate_incomplete": N_("The OCOP badge needs the certificate number and date as well as the stars; "
                                 "the product was imported without a badge."),
    "certificate_needs_stars": N_("The certificate %(number)s is not on record and cannot be added without its "
                                  "stars."),
    "photo_missing": N_("The photo %(name)s was not found beside the spreadsheet."),
    "photo_rejected": N_("The photo %(name)s was not used: %(reason)s"),
    "photo_name_unsafe": N_("The photo name %(name)s is not allowed: it points outside the folder."),
    "photo_ambiguous": N_("Several files are called %(name)s; write the folder name too."),
    "photo_too_large": N_("The photo %(name)s is larger than %(max_mb)s MB, so it was not used."),
    "photos_limit": N_("A product has at most %(max)s photos, so %(name)s was left out."),
    "photo_not_saved": N_("The photo %(name)s could not be saved right now, so it was left out."),
    "producer_differs": N_("The producer's details differ from those on row %(row)s; row %(row)s's were kept."),
    "category_group_only": N_("“%(value)s” names the group %(group)s, not one product set: the product was "
                              "imported without a set, which the producer can choose later."),
    "weight_from_unit": N_("The weight %(grams)s g was taken from the unit “%(unit)s”."),
    "commune_merged": N_("“%(value)s” is now part of %(commune)s (communes were merged in 2025)."),
    "commune_split": N_("“%(value)s” was divided between several communes in 2025; %(commune)s was chosen: "
                        "check it."),
    "certificate_expired": N_("The certificate %(number)s expired on %(until)s: the stars are not shown "
                              "until the product is evaluated again."),
    "column_ignored": N_("The column “%(column)s” is not known and was ignored."),
}

@dataclass(frozen=True, slots=True)
class Issue:
    """One thing to tell about a row (``row`` as numbered in the spreadsheet; 0 for the file).

    ``field`` is the import column concerned (``price_vnd``…), ``header`` the column name as
    written in the file, ``severity`` ERROR or WARNING.
    """

    row: int
    field: str
    header: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    severity: str = ERROR

    @property
    def message(self) -> str:
        """The English text (for logs and tests; people see a translation)."""
        return MESSAGES[self.code] % dict(self.params)


class ImportFileError(ValueError):
    """The file cannot be imported at all (wrong type, unsafe archive, missing columns…)."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown import message code {code!r}")
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params)


class CellProblem(ValueError):
    """A cell's value cannot be used; ``severity`` says whether the row survives it."""

    def __init__(self, code: str, severity: str = ERROR, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown import message code {code!r}")
        self.code = code
        self.severity = severity
        self.params = params
        super().__init__(MESSAGES[code] % params)
