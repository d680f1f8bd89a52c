"""The words of a backup archive: the databases it holds and its fixed layout."""
from enum import StrEnum


class DatabaseKind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_DIR = "database"
UPLOADS_DIR = "uploads"
ARCHIVE_PREFIX = "choque-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
