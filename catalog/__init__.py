"""Catalogue: products, photos, spreadsheet import, public pages, API and exports."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)


def init_app(app):
    from catalog import present

    present.init_app(app)


from catalog import api, manage, routes  # noqa: E402,F401
from catalog.cli import cli_group  # noqa: E402,F401
from catalog import import_routes  # noqa: E402,F401
from catalog import export_routes  # noqa: E402,F401
from catalog import discovery  # noqa: E402,F401
