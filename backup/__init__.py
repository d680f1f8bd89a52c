"""Backups of the whole site: the database and the uploads as one checked archive.

`flask --app app backup create|restore|list`; the search index is rebuilt, never backed up."""

DEFAULTS = {
    "BACKUP_DIR": None,  # None: <instance>/backups
    "BACKUP_KEEP": 7,  # archives kept in BACKUP_DIR (one a day: a week)
}


def init_app(app):
    import os

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if not app.config["BACKUP_DIR"]:
        app.config["BACKUP_DIR"] = os.path.join(app.instance_path, "backups")


from backup.cli import cli_group  # noqa: E402,F401
