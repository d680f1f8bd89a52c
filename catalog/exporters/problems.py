"""Problems found while exporting, and the report every exporter returns.

Messages are English msgids with %(name)s placeholders. This module stays free
of Flask: the web layer translates with ``gettext(MESSAGES[problem.code],
**problem.params)``. ``N_`` only marks the strings for extraction (Babel knows
the keyword by default) and returns them unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


def N_(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    # Reasons a listing is left out of an export.
    "id_invalid": N_("The listing id must be 1 to %(max)s printable ASCII characters without spaces."),
    "title_missing": N_("The product name is missing."),
    "title_too_short": N_("The product name must have at least %(min)s characters; it has %(length)s."),
    "description_missing": N_("The description is missing."),
    "price_missing": N_("The price is missing."),
    "price_out_of_range": N_("The price must be between %(min)s and %(max)s VND."),
    "link_invalid": N_("The product page address must be an absolute http or https address."),
    "image_missing": N_("At least one image is required."),
    "image_url_invalid": N_("The image address %(url)s must be an absolute http or https address."),
    "image_type_unsupported": N_("The image %(url)s must be one of these types: %(allowed)s."),
    "image_name_invalid": N_("The image file name %(name)s must not contain a semicolon."),
    "brand_missing": N_("The producer name is missing."),
    "weight_missing": N_("The weight is missing."),
    "service_not_product": N_("Tourism services (OCOP product set 26) cannot be listed as goods on this channel."),
    # Notes about listings that were exported after an adjustment.
    "title_truncated": N_("The product name was shortened to %(max)s characters."),
    "description_truncated": N_("The description was shortened to %(max)s characters."),
    "brand_truncated": N_("The producer name was shortened to %(max)s characters for the brand field."),
    "image_dropped": N_("The extra image %(url)s was left out: it is not a usable image address."),
    "images_limited": N_("Only the first %(max)s images were exported."),
    "weight_from_unit": N_("The weight, %(grams)s g, was taken from the unit “%(unit)s”."),
    "photo_file_missing": N_("The photo file %(name)s is missing on this site, so it was left out of the file."),
    "photo_files_unavailable": N_("The photo files could not be read here, so the file holds the spreadsheet "
                                  "without photos."),
    # Problems with the export as a whole or with an imported file.
    "template_header_not_found": N_("No header row with the columns %(columns)s was found in the first %(rows)s rows of the template."),
    "csv_columns_missing": N_("The file lacks these columns: %(columns)s."),
    "category_unmapped": N_("No category id for OCOP product set %(set)s on %(marketplace)s, so the category cell "
                            "is empty: choose “%(path)s” when you upload, or add the id to the category file."),
    "package_dimensions_needed": N_("Lazada requires the package length, width and height in cm, which Chợ Quê "
                                    "does not record: fill those three columns before you upload the file."),
    "template_columns_unfillable": N_("The template asks for columns that Chợ Quê cannot fill: %(columns)s. Download "
                                      "the basic template, or a category whose template does not require them."),
    # How to show a CsvImportError: reason is the translated message of its problem.
    "csv_row_invalid": N_("Row %(row)s: %(reason)s"),
    "category_invalid": N_("The OCOP product set must be a number from 1 to 26."),
    "stars_invalid": N_("OCOP stars must be 3, 4 or 5, or empty when the certificate has expired."),
    "availability_invalid": N_("Availability must be in_stock, out_of_stock or seasonal with its months, for example seasonal:5-8."),
    "seasonal_months_missing": N_("A seasonal product needs the months of its season."),
    "month_invalid": N_("Months must be numbers from 1 to 12."),
    "producer_type_invalid": N_("The producer type must be cooperative, cooperative_group, household or enterprise."),
    "number_invalid": N_("%(value)s is not a whole number of zero or more."),
    "date_invalid": N_("%(value)s is not a date written as YYYY-MM-DD."),
}


@dataclass(frozen=True)
class Problem:
    """One rule a listing breaks (or one adjustment made to it).

    ``field`` names the Listing attribute concerned, ``code`` is a key of
    MESSAGES and ``params`` fills its placeholders.
    """

    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % dict(self.params)


class ExportError(ValueError):
    """The export as a whole cannot run (for example an unusable template)."""

    def __init__(self, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(self.problem.message)


@dataclass(frozen=True)
class ListingIssue:
    """The problems (or notes) of one listing, named by its id, ref or name."""

    listing_id: str
    problems: tuple[Problem, ...]


@dataclass
class ExportReport:
    """What one ``write`` call did: counts, skipped listings, notes per listing and notices
    about the export as a whole (say, a category mapping it lacked)."""

    format: str
    exported: int = 0
    skipped: list[ListingIssue] = field(default_factory=list)
    warnings: list[ListingIssue] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)
