"""Catalogue: products, photos, spreadsheet import, public pages, API and exports."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)

from catalog import routes  # noqa: E402,F401
