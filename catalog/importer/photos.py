"""Photos named by an import row: read, checked, re-encoded, and never stored twice.

No Flask and no database here: the caller passes the image keys a product already has.
A listed photo is "already there" when its bytes equal a stored rendition of one of those keys
(a photo exported by us and imported back), or when re-encoding it gives exactly the stored
largest rendition (the same original imported again: media.images is deterministic). So
re-importing a file adds no photo, and nothing needs a stored hash column.

A photo of our own ZIP export (`<key>.webp`, the largest rendition as we wrote it) keeps its
bytes and, where the key is free, its key: so export → import into an empty site → export gives
the same files under the same names. Its bytes are kept only when they are a plain lossy WebP
holding nothing but the picture (the form our encoder writes), which decodes fully at the size
of our largest rendition; the smaller renditions are made from it as for any upload.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
from dataclasses import dataclass, field

from media.images import ImageRejected, ProcessedImage, process_upload
from media.storage import ImageStore, InvalidImageKey

from .archive import PhotoLibrary
from .messages import WARNING, CellProblem
from .rows import MAX_PHOTOS


EXPORTED_NAME = re.compile(r"(?:.*/)?([0-9a-f]{32})\.webp")


@dataclass
class NewPhoto:
    name: str
    processed: ProcessedImage
    wanted_key: str | None = None  # the key it had on the site that exported it


def is_plain_webp(data: bytes) -> bool:
    """A RIFF/WEBP file with exactly one lossy 'VP8 ' chunk and nothing else (no metadata, no
    trailing bytes): what media.images writes."""
    if len(data) < 20 or data[:4] != b"RIFF" or data[8:16] != b"WEBPVP8 ":
        return False
    (riff_size,) = struct.unpack("<I", data[4:8])
    (chunk_size,) = struct.unpack("<I", data[16:20])
    return riff_size + 8 == len(data) and 20 + chunk_size + (chunk_size & 1) == len(data)


def as_exported(name: str, data: bytes, processed: ProcessedImage) -> tuple[ProcessedImage, str | None]:
    """`processed` with our own exported file as its largest rendition, and the key its name
    carries; unchanged (and None) for any other photo."""
    match = EXPORTED_NAME.fullmatch(name)
    largest = processed.renditions[-1]
    if match is None or not is_plain_webp(data) or \
            (processed.original_width, processed.original_height) != (largest.width, largest.height):
        return processed, None
    renditions = tuple(dataclasses.replace(r, data=data) if (r.width, r.height) == (largest.width, largest.height)
                       else r for r in processed.renditions)
    return dataclasses.replace(processed, renditions=renditions), match.group(1)


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
                    data = self.store.read(key, width)
                    if data is not None:
                        digests.add(_digest(data))
            except (InvalidImageKey, OSError):
                pass
            self._cache[key] = frozenset(digests)
        return self._cache[key]

    def remember(self, key: str, processed: ProcessedImage) -> None:
        self._cache[key] = frozenset(_digest(rendition.data) for rendition in processed.renditions)


def plan_photos(names, existing_keys, library: PhotoLibrary, fingerprints: PhotoFingerprints,
                work=None) -> PhotoPlan:
    """Which of `names` are new for a product holding `existing_keys`; problems are warnings.

    `work` (photo_work.PhotoWork) may hold photos already read and re-encoded ahead."""
    plan = PhotoPlan()
    known: set[str] = set()
    for key in existing_keys:
        known |= fingerprints.of(key)
    room = MAX_PHOTOS - len(existing_keys)
    for name in names:
        prepared = work.take(name) if work is not None else None
        try:
            data, outcome = prepared if prepared is not None else (library.read(name), None)
            if isinstance(outcome, CellProblem):
                raise outcome
        except CellProblem as problem:
            plan.problems.append(problem)
            continue
        if _digest(data) in known:
            continue
        try:
            if isinstance(outcome, ImageRejected):
                raise outcome
            processed = outcome if outcome is not None else process_upload(data)
        except ImageRejected as error:
            plan.problems.append(CellProblem("photo_rejected", WARNING, name=name, reason=error.code,
                                             image_code=error.code, image_params=dict(error.params)))
            continue
        processed, wanted_key = as_exported(name, data, processed)
        largest = _digest(processed.renditions[-1].data)
        if largest in known:
            continue
        if len(plan.new) >= room:
            plan.problems.append(CellProblem("photos_limit", WARNING, max=MAX_PHOTOS, name=name))
            continue
        known |= {_digest(data), largest}
        plan.new.append(NewPhoto(name, processed, wanted_key))
    return plan
