"""The commune's view: the words its reports use (periods and areas, with their labels)."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _l("Month"),
    PeriodKind.QUARTER: _l("Quarter"),
    PeriodKind.YEAR: _l("Year"),
}


class AreaKind(StrEnum):
    COMMUNES = "communes"  # an officer's own communes
    PROVINCE = "province"
    COUNTRY = "country"


# Certificates are re-evaluated 36 months after the decision; officers act on those due soon.
EXPIRY_WARNING_DAYS = 90
EXPIRY_LIST_LIMIT = 50
