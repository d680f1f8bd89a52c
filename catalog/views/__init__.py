"""The catalogue's web layer: one blueprint, "catalog", whose pages have no common prefix
(the home page "/", "/san-pham", a producer's products under "/nha-san-xuat/<id>/san-pham",
"/nhap-du-lieu", "/xuat-du-lieu", photos under "/anh", the API under "/api/products" and the
feeds under "/feeds"), so each route names its whole path. Templates link to its endpoints
(`catalog.browse`, `catalog.product`, ...) by these names.

Only the app factory imports this package (app.py `_register_blueprints`)."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)


def init_app(app):
    present.init_app(app)


# The route modules register themselves on `bp`.
from catalog.views import api, discovery, exports, imports, manage, pages, present  # noqa: E402,F401
