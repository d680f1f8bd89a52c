"""The producers' pages. Only create_app imports this package (through `bp` and `init_app`).

- `bp` ("producers", under /nha-san-xuat): the back office of a producer and of the commune
  helpers who act for farmers: dashboard, wizard, documents, claim codes.
- `places_api` (/api): the commune list the profile form's filter asks for.
- `claim_links` (/n): the short claim link sent by SMS or Zalo.
The public page of a producer is a catalogue page (catalog, /co-so/<name>-<id>); its former
address under /nha-san-xuat answers 301 (views/moved.py).
"""
from flask import Blueprint

bp = Blueprint("producers", __name__, url_prefix="/nha-san-xuat")
places_api = Blueprint("places_api", __name__, url_prefix="/api")
claim_links = Blueprint("claim_links", __name__, url_prefix="/n")

from producers.views import behalf, common, documents, links, messages, moved, wizard  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(places_api)
    app.register_blueprint(claim_links)
