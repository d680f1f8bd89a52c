"""Backups of the whole site: the database and the uploads as one checked archive.

`flask --app app backup create|restore|list`; the search index is rebuilt, never backed up.
Settings BACKUP_DIR and BACKUP_KEEP (config.py). Shape: rules (pure: layout, manifest, checksums,
retention) -> services (dump, archive, restore) -> cli."""
