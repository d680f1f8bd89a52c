"""Core's web doors: resumable uploads (`bp`, /tai-len), the language switch (/ngon-ngu), and the
site-wide /robots.txt (/healthz is serving's, above every domain). Only create_app imports this."""
from core.uploads import discard_used_parts
from core.views import site
from core.views.uploads import bp

__all__ = ["bp", "init_app"]


def init_app(app):
    app.register_blueprint(site.language_bp)
    app.add_url_rule("/robots.txt", "robots", site.robots)
    app.teardown_request(discard_used_parts)
