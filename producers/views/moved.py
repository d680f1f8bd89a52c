"""Addresses that moved. The public page of a producer was /nha-san-xuat/<name>-<id>, inside the
back office's prefix; it is now a catalogue page, /co-so/<name>-<id>. Printed claim letters, QR
codes and search engines still hold the old address, so it answers 301 for good."""
from flask import redirect, request, url_for

from producers.views import bp


@bp.get("/<slug>-<int:producer_id>")
def former_public_page(slug, producer_id):
    target = url_for("catalog.producer", slug=slug, producer_id=producer_id)
    if request.query_string:
        target += "?" + request.query_string.decode("ascii", "replace")
    return redirect(target, 301)
