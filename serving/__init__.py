"""Serving the site at a province's scale (issue 14): the page cache for anonymous buyers and
/healthz. It sits above every domain (it reads the catalogue's change log, the audit log, the
job queue and the order form's stamp), so only the app factory imports it, after every
blueprint is registered."""


def init_app(app):
    from serving import health, pagecache

    pagecache.init_app(app)  # after gzip's hook (core.http), so a page is kept before compression
    health.init_app(app)
