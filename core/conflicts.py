"""Optimistic locking for edit forms: the form carries the row's version; a save based on an
older version is refused (409) and shows what differs, theirs beside yours, with the user's
entries kept in the form so they can apply them again on purpose. Nothing is overwritten.

The rows carry an `edit_version` column that SQLAlchemy checks on every UPDATE
(`version_id_col`), so two saves racing past the form check still cannot both win: the slower
flush raises StaleDataError, which views treat as the same conflict.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

CONFLICT_TITLE = _l("Someone else changed this while you were editing")
CONFLICT_MESSAGE = _l("Nothing was saved, and nothing of theirs was overwritten. Below is what differs: "
                      "what is saved now, and what you entered. Your entries are still in the form: "
                      "check them and save again to apply them.")


def version_column(db):
    """The column a model names in `__mapper_args__ = {"version_id_col": ...}`."""
    return db.Column(db.Integer, nullable=False, default=1, server_default="1")


class VersionField(HiddenField):
    """The version of the row the form was filled from; None when missing or not a number."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if raw.isdigit() else None


def is_stale(row_version, submitted_version) -> bool:
    """A form without a version counts as stale: we cannot know what its user saw."""
    return submitted_version is None or int(submitted_version) != int(row_version)


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


def shown(field) -> str:
    """A field's value as the reader saw it: choice labels for choices, the typed text otherwise."""
    data = field.data
    labels = _choice_labels(getattr(field, "choices", None))
    if labels:
        if isinstance(data, (list, tuple)):
            return ", ".join(labels.get(str(item), str(item)) for item in data)
        return labels.get(str(data), "" if data in (None, "") else str(data))
    if isinstance(data, (list, tuple)):
        return ", ".join(str(item) for item in data)
    return "" if data is None else str(data).strip()


def _choice_labels(choices):
    if not choices:
        return {}
    if isinstance(choices, dict):
        choices = [choice for group in choices.values() for choice in group]
    labels = {}
    for choice in choices:
        value, label = (choice[0], choice[1]) if isinstance(choice, (list, tuple)) else (choice, choice)
        labels[str(value)] = str(label)
    return labels


def differences(theirs_form, yours_form, field_names, masks=None):
    """Differences for the form fields named, comparing what each form shows."""
    masks = masks or {}
    rows = []
    for name in field_names:
        theirs, yours = shown(theirs_form[name]), shown(yours_form[name])
        if theirs != yours:
            mask = masks.get(name)
            rows.append(Difference(str(yours_form[name].label.text),
                                   mask(theirs) if mask else theirs, yours))
    return rows
