"""Chợ Quê application factory (`flask --app app ...`)."""
import os

from flask import Flask

import config
from extensions import babel, csrf, db, limiter, migrate


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure(app, test_config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _configure(app, test_config):
    app.config.update(config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret_key(app.instance_path)
    for key in ("UPLOAD_DIR", "SEARCH_INDEX_DIR"):
        os.makedirs(app.config[key], exist_ok=True)
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
    from core.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)


def _register_blueprints(app):
    from accounts import bp as accounts_bp
    from catalog import bp as catalog_bp
    from core import bp as core_bp
    from core import web
    from producers import bp as producers_bp

    web.init_app(app)
    for blueprint in (core_bp, accounts_bp, producers_bp, catalog_bp):
        app.register_blueprint(blueprint)
    _register_optional(app, "payments")
    _register_optional(app, "search")


def _register_optional(app, package):
    """Domains whose web layer lands in later increments expose `bp` when ready."""
    module = __import__(package)
    blueprint = getattr(module, "bp", None)
    if blueprint is not None:
        app.register_blueprint(blueprint)
    init_app = getattr(module, "init_app", None)
    if init_app is not None:
        init_app(app)


def _register_commands(app):
    from accounts.cli import users_cli
    from core.cli import demo_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    for package in ("catalog", "producers", "payments", "search"):
        module = __import__(package)
        command = getattr(module, "cli_group", None)
        if command is not None:
            app.cli.add_command(command)
