"""Photos named by an import row: read, checked, re-encoded, and never stored twice.

No Flask and no database here: the caller passes the image keys a product already has.
A listed photo is "already there" when its bytes equal a stored rendition of one of those keys
(a photo exported by us and imported back), or when re-encoding it gives exactly the stored
largest rendition (the same original imported again: media.images is deterministic). So
re-importing a file adds no photo, and nothing needs a stored hash column.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from media.images import ImageRejected, ProcessedImage, process_upload
from media.storage import ImageStore, InvalidImageKey

from .archive import PhotoLibrary
from .messages import WARNING, CellProblem
from .rows import MAX_PHOTOS


@dataclass
class NewPhoto:
    name: str
    processed: ProcessedImage


@dataclass
class PhotoPlan:
    new: list[NewPhoto] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PhotoFingerprints:
    """sha256 of every stored rendition of a key, read once from disk per import."""

    def __init__(self, store: ImageStore):
        self.store = store
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, key: str) -> frozenset[str]:
        if key not in self._cache:
            digests = set()
            try:
                for width in self.store.widths(key):
                    with open(self.store.path_for(key, width), "rb") as fh:
                        digests.add(_digest(fh.read()))
            except (InvalidImageKey, OSError):
                pass
            self._cache[key] = frozenset(digests)
        return self._cache[key]

    def remember(self, key: str, processed: ProcessedImage) -> None:
        self._cache[key] = frozenset(_digest(rendition.data) for rendition in processed.renditions)


def plan_photos(names, existing_keys, library: PhotoLibrary, fingerprints: PhotoFingerprints) -> PhotoPlan:
    """Which of `names` are new for a product holding `existing_keys`; problems are warnings."""
    plan = PhotoPlan()
    known: set[str] = set()
    for key in existing_keys:
        known |= fingerprints.of(key)
    room = MAX_PHOTOS - len(existing_keys)
    for name in names:
        try:
            data = library.read(name)
        except CellProblem as problem:
            plan.problems.append(problem)
            continue
        if _digest(data) in known:
            continue
        try:
            processed = process_upload(data)
        except ImageRejected as error:
            plan.problems.append(CellProblem("photo_rejected", WARNING, name=name, reason=error.code,
                                             image_code=error.code, image_params=dict(error.params)))
            continue
        largest = _digest(processed.renditions[-1].data)
        if largest in known:
            continue
        if len(plan.new) >= room:
            plan.problems.append(CellProblem("photos_limit", WARNING, max=MAX_PHOTOS, name=name))
            continue
        known |= {_digest(data), largest}
        plan.new.append(NewPhoto(name, processed))
    return plan
