"""The dossier's change history in human words: one place for field labels and for how each
value reads (bank names, places, product sets, dates, yes/no, grouped account numbers).

Pure: no Flask. Labels are lazy strings, so they speak the reader's language when shown;
`locale` picks date, money and product-set wording.
"""
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_currency
from flask_babel import lazy_gettext as _l

from accounts.phones import display_phone
from places import units
from producers.banks import bank_by_bin
from producers.constants import DocumentKind, ProducerKind, ProducerStatus, VersionStatus
from producers.ocop import product_set
from producers.rules import group_account

EMPTY = "—"
# The values' labels, defined once in producers.constants.
KIND_LABELS = {kind: _l(kind.label) for kind in ProducerKind}
DOCUMENT_LABELS = {kind: _l(kind.label) for kind in DocumentKind}
STATUS_LABELS = {status: _l(status.label) for status in ProducerStatus}
PAYMENT_STATUS_LABELS = {status: _l(status.label) for status in VersionStatus}

FIELD_LABELS = {
    "kind": _l("Type"),
    "legal_name": _l("Name of the business"),
    "tax_code": _l("Tax code or ID number"),
    "representative": _l("Representative"),
    "province_code": _l("Province"),
    "commune_code": _l("Commune"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "zalo": _l("Zalo"),
    "bank_bin": _l("Bank"),
    "account_number": _l("Account number"),
    "holder_name": _l("Account holder"),
    "url": _l("Payment link"),
    "version": _l("Version"),
    "needs_reapproval": _l("Must be approved again"),
    "status": _l("Status"),
    "owner_id": _l("Producer's account"),
    "replaced": _l("Photos replaced"),
    "decision_no": _l("Decision number"),
    "decision_date": _l("Decision date"),
    "stars": _l("OCOP stars"),
    "product_set_code": _l("Product set"),
    "product_name": _l("Product"),
    "name": _l("Product name"),
    "ref": _l("Product code"),
    "description": _l("Description"),
    "price_vnd": _l("Price"),
    "unit": _l("Unit"),
    "weight_g": _l("Weight (g)"),
    "availability": _l("Availability"),
    "season_months": _l("Season months"),
    "harvest_season": _l("Harvest season"),
    "added": _l("Photos added"),
    "removed": _l("Photos removed"),
    "issuing_body": _l("Issued by"),
}

# Row ids mean nothing to a reader; the facts beside them (product code, decision number) do.
HIDDEN_FIELDS = frozenset({"certificate_id", "product_id", "document_id", "photo_id"})

PRODUCT_STATUS_LABELS = {
    "draft": _l("Not for sale yet"),
    "published": _l("For sale"),
    "hidden": _l("Hidden from buyers"),
}
AVAILABILITY_LABELS = {
    "in_stock": _l("In stock"),
    "out_of_stock": _l("Out of stock"),
    "seasonal": _l("Seasonal"),
}
YES, NO = _l("yes"), _l("no")


@dataclass(frozen=True)
class ChangeLine:
    """One field of an event: `before` → `after`, or a single `value` (a fact of the event)."""
    field: str
    label: object
    before: object = None
    after: object = None
    value: object = None

    @property
    def is_change(self):
        return self.value is None


def is_english(locale):
    return str(locale or "vi").startswith("en")


def field_label(field):
    """The label in one place; an unknown field still reads as words, never as a raw key."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    return field.replace("_", " ").strip().capitalize() or EMPTY


def format_day(value, locale):
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "d MMM yyyy" if is_english(locale) else "dd/MM/yyyy", locale=str(locale or "vi"))


def _commune(code):
    commune = units.commune(code)
    if commune is None:
        return str(code)
    province = units.province(commune.province_code)
    return f"{commune.name}, {province.short_name}" if province else commune.name


def _province(code):
    province = units.province(code)
    return province.name if province else str(code)


def _bank(code):
    bank = bank_by_bin(str(code))
    return bank.short_name if bank else str(code)


def _product_set(code, locale):
    found = product_set(code)
    return found.name(str(locale or "vi")) if found else str(code)


def format_value(field, value, locale="vi", action=""):
    """How a person reads one logged value."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return YES if value else NO
    if field == "bank_bin":
        return _bank(value)
    if field == "account_number":
        return group_account(value) or EMPTY
    if field == "commune_code":
        return _commune(value)
    if field == "province_code":
        return _province(value)
    if field == "product_set_code":
        return _product_set(value, locale)
    if field == "kind":
        return DOCUMENT_LABELS.get(value) or KIND_LABELS.get(value, value)
    if field == "status":
        if action.startswith("product"):
            return PRODUCT_STATUS_LABELS.get(value, value)
        if action.startswith("payment"):
            return PAYMENT_STATUS_LABELS.get(value, value)
        return STATUS_LABELS.get(value, value)
    if field == "availability":
        return AVAILABILITY_LABELS.get(value, value)
    if field in ("phone", "zalo"):
        return display_phone(value)
    if field == "price_vnd":
        return format_currency(int(value), "VND", locale=str(locale or "vi"))
    if field.endswith("_date") or isinstance(value, (date, datetime)):
        return format_day(value, locale)
    if field == "owner_id":
        return _l("account no. %(number)s", number=value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(format_value(field, item, locale, action)) for item in value)
    return value


def _is_change(value):
    return isinstance(value, dict) and "from" in value and "to" in value


def describe(action, changes, locale="vi"):
    """The lines of one audit event, changes first then facts, each field labelled."""
    lines = []
    for field, value in sorted((changes or {}).items(), key=lambda item: (not _is_change(item[1]), item[0])):
        if field in HIDDEN_FIELDS:
            continue
        if _is_change(value):
            lines.append(ChangeLine(field, field_label(field), format_value(field, value["from"], locale, action),
                                    format_value(field, value["to"], locale, action)))
        else:
            lines.append(ChangeLine(field, field_label(field), value=format_value(field, value, locale, action)))
    return lines


# --- what changed since the officer's request ---------------------------------------------------

REQUEST_ACTION = "changes_requested"
# Actions whose facts describe something added or removed rather than a field changed.
EVENT_ACTIONS = ("document_added", "certificate_added", "certificate_removed")
# Bookkeeping fields of a change event, not part of what the producer changed.
BOOKKEEPING_FIELDS = frozenset({"version", "needs_reapproval", "status"})


@dataclass(frozen=True)
class SinceRequest:
    requested_at: object
    fields: dict      # field -> {"from": value at the request, "to": value now}
    events: list      # (action, changes) for documents and certificates added or removed


def changes_since_request(events):
    """From audit events (action, changes, created_at), oldest first: what the producer changed
    after the last request for changes, each field's first `from` and last `to`. None when no
    request was made or nothing was sent back after it."""
    events = list(events)
    last_request = max((i for i, e in enumerate(events) if e[0] == REQUEST_ACTION), default=None)
    if last_request is None:
        return None
    after = events[last_request + 1:]
    if not any(action == "submitted" for action, _changes, _at in after):
        return None
    fields, added = {}, []
    for action, changes, _at in after:
        if action in EVENT_ACTIONS:
            added.append((action, changes or {}))
            continue
        if action == "submitted":
            continue
        for field, value in (changes or {}).items():
            if field in BOOKKEEPING_FIELDS or field in HIDDEN_FIELDS or not _is_change(value):
                continue
            if field in fields:
                fields[field]["to"] = value["to"]
            else:
                fields[field] = {"from": value["from"], "to": value["to"]}
    fields = {field: value for field, value in fields.items() if value["from"] != value["to"]}
    return SinceRequest(events[last_request][2], fields, added)
