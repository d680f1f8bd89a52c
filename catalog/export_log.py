"""Which products went out to which marketplace or feed, for the commune's report ("products
exported to each marketplace"). `record` is called by `listings.run_export` for every export
(web job, command line, public feed) with the products the exporter wrote; files that go to
no marketplace (CSV, JSON, ZIP) are not counted.

It writes in a transaction of its own, so the tally never holds up or fails an export."""
from __future__ import annotations

import logging

from sqlalchemy import insert, select, update

from core.clock import utcnow
from extensions import db

log = logging.getLogger("choque.catalog")

# Export format -> the marketplace or feed it is for.
MARKETPLACES = {"google-xml": "google", "google-tsv": "google", "meta-csv": "meta", "shopee-xlsx": "shopee",
                "tiktok-xlsx": "tiktok", "lazada-xlsx": "lazada"}
CHUNK = 500


def marketplace_of(exporter_name: str) -> str | None:
    return MARKETPLACES.get(exporter_name)


def record(exporter_name: str, product_ids, when=None) -> int:
    """Note that these products were exported now; returns how many rows were new."""
    from catalog.models import ProductExport

    marketplace = marketplace_of(exporter_name)
    ids = sorted(set(product_ids))
    if marketplace is None or not ids:
        return 0
    when = when or utcnow()
    table = ProductExport.__table__
    added = 0
    try:
        with db.engine.begin() as connection:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                known = set(connection.scalars(select(table.c.product_id).where(
                    table.c.marketplace == marketplace, table.c.product_id.in_(chunk))))
                if known:
                    connection.execute(update(table).where(table.c.marketplace == marketplace,
                                                           table.c.product_id.in_(known))
                                       .values(last_exported_at=when))
                new = [{"marketplace": marketplace, "product_id": product_id, "first_exported_at": when,
                        "last_exported_at": when} for product_id in chunk if product_id not in known]
                if new:
                    connection.execute(insert(table), new)
                    added += len(new)
    except Exception:  # noqa: BLE001 — the export itself succeeded; the tally is caught up next time
        log.exception("could not record the %s export of %s products", exporter_name, len(ids))
        return 0
    return added
