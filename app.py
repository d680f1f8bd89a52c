"""Chợ Quê application factory (`flask --app app ...`)."""
import importlib
import importlib.util
import os

from flask import Flask

import config as settings
from extensions import babel, csrf, db, limiter, migrate


def create_app(config=None):
    """Build the app; `config`, a mapping, overrides every other setting (tests)."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _configure(app, overrides):
    app.config.update(settings.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if overrides:
        app.config.update(overrides)
    from core import ratelimits

    ratelimits.configure(app.config)  # before the limiter is bound: counters in Redis when set
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.load_or_create_secret_key(app.instance_path)
    for key in ("UPLOAD_DIR", "SEARCH_INDEX_DIR"):
        os.makedirs(app.config[key], exist_ok=True)
    if app.config.get("SESSION_COOKIE_SECURE"):
        # Over HTTPS the __Host- prefix pins the cookie to this host and path /.
        if app.config["SESSION_COOKIE_NAME"] == "session":
            app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)


def _init_extensions(app):
    from core import sqlite

    db.init_app(app)
    with app.app_context():
        sqlite.configure_engine(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    from core.i18n import select_locale, use_vietnamese_wtforms_messages

    babel.init_app(app, locale_selector=select_locale)
    use_vietnamese_wtforms_messages()


# Each domain package keeps its web layer in `<domain>/views/` (a blueprint `bp` with its
# url_prefix, and optionally `init_app(app)`) and its commands in `<domain>/cli.py`
# (`cli_group`). Only this factory imports views, so importing a domain's rules, models or
# services never loads Flask views. "jobs" comes last: it picks up the tasks every other
# domain registered.
DOMAINS = ("core", "accounts", "producers", "verification", "catalog", "payments", "search", "notifications",
           "reconcile", "reports", "backup", "demo", "jobs")


def _domain_module(domain, part):
    """`<domain>.<part>`, or None for a domain without one (backup and demo have no pages)."""
    name = f"{domain}.{part}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def _register_blueprints(app):
    from core import web

    web.init_app(app)
    for name in DOMAINS:
        if importlib.util.find_spec(f"{name}.models") is not None:
            importlib.import_module(f"{name}.models")  # every table, for migrations and create_all
        module = _domain_module(name, "views")
        if getattr(module, "bp", None) is not None:
            app.register_blueprint(module.bp)
        if getattr(module, "init_app", None) is not None:
            module.init_app(app)
    from core import ratelimits

    ratelimits.init_app(app)  # per-address ceilings, by endpoint name, once every view exists
    import serving

    serving.init_app(app)  # the page cache and /healthz, over every domain's pages


def _register_commands(app):
    for name in DOMAINS:
        command = getattr(_domain_module(name, "cli"), "cli_group", None)
        if command is not None:
            app.cli.add_command(command)
