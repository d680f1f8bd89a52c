"""The catalogue's web layer. Each back-office area and the API is a blueprint with its prefix:
"catalog_manage" (a producer's products, under the back office's "/nha-san-xuat"),
"catalog_imports" ("/nhap-du-lieu"), "catalog_exports" ("/xuat-du-lieu") and "catalog_api"
("/api/products"). "catalog" itself is the public shop front at the site's root: the home page
"/", "/san-pham", a producer's public page "/co-so", photos "/anh", the feeds "/feeds" and the
sitemaps, which share no prefix by nature (docs/ARCHITECTURE.md, the URL rule).

Only the app factory imports this package (app.py `_register_blueprints`)."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)


def init_app(app):
    present.init_app(app)
    for area in (manage.bp, imports.bp, exports.exports_bp, api.bp):
        app.register_blueprint(area)


# The route modules register themselves on `bp`.
from catalog.views import api, discovery, exports, imports, manage, pages, present  # noqa: E402,F401
