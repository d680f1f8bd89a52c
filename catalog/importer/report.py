"""What an import did (or, in a dry run, would do): counts, per-row issues and changes. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field

from .messages import ERROR, WARNING, ImportFileError, Issue

CREATED = "created"
UPDATED = "updated"


@dataclass(frozen=True, slots=True)
class RowChange:
    """A product row that created or changed something. `fields` names the changed columns."""

    row: int
    action: str  # CREATED or UPDATED
    ref: str
    name: str
    producer: str
    fields: tuple[str, ...] = ()
    producer_created: bool = False


@dataclass
class ImportReport:
    dry_run: bool = False
    file_name: str = ""
    rows_read: int = 0
    producers_created: int = 0
    producers_updated: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0
    rows_refused: int = 0
    photos_added: int = 0
    issues: list[Issue] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    file_error: ImportFileError | None = None

    @property
    def warnings(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == WARNING)

    @property
    def errors(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == ERROR)

    @property
    def changed_anything(self) -> bool:
        return bool(self.products_created or self.products_updated or self.producers_created
                    or self.producers_updated or self.photos_added)

    def summary(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "producers_created": self.producers_created,
            "producers_updated": self.producers_updated,
            "products_created": self.products_created,
            "products_updated": self.products_updated,
            "products_unchanged": self.products_unchanged,
            "rows_refused": self.rows_refused,
            "photos_added": self.photos_added,
            "warnings": self.warnings,
        }

    def issues_by_row(self) -> list[tuple[int, list[Issue]]]:
        """Issues grouped by row number, in spreadsheet order (file-level ones first)."""
        grouped: dict[int, list[Issue]] = {}
        for issue in sorted(self.issues, key=lambda item: item.row):
            grouped.setdefault(issue.row, []).append(issue)
        return list(grouped.items())
