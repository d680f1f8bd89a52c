"""Payments: VietQR codes from verified bank details, payment links and order requests.

Shape: constants (order statuses, labels) -> vietqr, banks, qrimage, qrcard (pure: the code, the
bank list, its pictures) -> rules (pure) -> models -> services -> texts -> views/ -> cli."""
