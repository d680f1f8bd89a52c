"""Which OCOP certificates still count: buyers see a product's stars only while its certificate
is valid, so the catalogue, the exports and the reports filter on the decision date."""
from __future__ import annotations

from datetime import date, timedelta

from producers.ocop import CERTIFICATE_VALIDITY_MONTHS, add_months, certificate_valid_until


def earliest_valid_decision_date(today: date) -> date:
    """The oldest decision date whose certificate is still valid on `today`.

    A certificate is valid while today <= decision + 36 months (months clamp to the month's
    end), so the bound is found from today minus 36 months and corrected by a day where the
    clamping makes month arithmetic not exactly invertible."""
    bound = add_months(today, -CERTIFICATE_VALIDITY_MONTHS)
    while certificate_valid_until(bound) < today:
        bound += timedelta(days=1)
    while certificate_valid_until(bound - timedelta(days=1)) >= today:
        bound -= timedelta(days=1)
    return bound
