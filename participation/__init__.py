"""Ruam: a Flask application for open deliberation and accountability of working groups."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from flask import Flask, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from sqlalchemy import text

from participation import config
from participation.accounts import limits
from participation.core import caching, headers
from participation.core.db import configure_engine
from participation.core.errors import IdConverter, register_error_pages
from participation.core.i18n import (
    current_language,
    format_date,
    format_datetime,
    in_own_language,
    lang_attribute,
    other_language,
    select_locale,
)
from participation.core.markdown import render_markdown
from participation.core.static import init_static_files
from participation.extensions import babel, csrf, db, login_manager, migrate

# Concept packages, in the order their blueprints and commands are registered.
PACKAGES = (
    "home",
    "accounts",
    "groups",
    "proposals",
    "comments",
    "votes",
    "decisions",
    "commitments",
    "answers",
    "volunteering",
    "evaluations",
    "environment",
    "kpis",
    "opendata",
    "api",
    "feeds",
    "meetings",
    "minutes",
    "notifications",
    "mail",
    "search",
    "moderation",
    "privacy",
    "accountability",
    "demo",
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application from defaults, PARTICIPATION_* variables and overrides."""
    app = Flask(
        __name__,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
        instance_path=str(config.ROOT / "instance"),
    )
    app.config.update(config.load(overrides))
    # Before any blueprint adds a rule: `<int:...>` ids beyond the database's range are a 404.
    app.url_map.converters["int"] = IdConverter

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(config.ROOT / "participation" / "migrations"), render_as_batch=True
    )
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    limits.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to continue.")
    with app.app_context():
        configure_engine(app)

    _register_template_helpers(app)
    init_static_files(app)
    headers.init_app(app)
    caching.init_app(app)
    register_error_pages(app)
    for name in PACKAGES:
        _optional_module(f"participation.{name}.models")
        views = _optional_module(f"participation.{name}.views")
        if views is not None:
            app.register_blueprint(views.bp)
        cli = _optional_module(f"participation.{name}.cli")
        if cli is not None:
            for command in cli.commands:
                app.cli.add_command(command)

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            db.session.rollback()
            return jsonify(status="error", database="unreachable", reason=type(error).__name__), 503
        response = jsonify(status="ok", database="ok")
        # A load balancer asks the server itself, never a cached answer (errors are never
        # cached: participation.core.caching).
        response.cache_control.no_store = True
        return response

    return app


def _optional_module(name: str) -> Any:
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return None


def _per_request(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter Jinja calls at render time only: it never folds one that takes the context."""

    @pass_context
    def at_render_time(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return at_render_time


def _register_template_helpers(app: Flask) -> None:
    from participation.accounts.sectors import sector_rows

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["sector_rows"] = sector_rows
    # These depend on the reader's language, so Jinja must not fold them into a compiled
    # template when applied to a literal ("วัน"|in_own_language would keep the first reader's).
    for name, function in (
        ("date", format_date),
        ("datetime", format_datetime),
        ("lang", lang_attribute),
        ("other_language", other_language),
        ("in_own_language", in_own_language),
    ):
        app.jinja_env.filters[name] = _per_request(function)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    def url_for_language(language: str) -> str:
        args = dict(request.view_args or {})
        # Not `_method`, `_external`, `_anchor` or `_scheme`: url_for's own arguments are
        # never taken from the address (`?_method=POST` would break every page).
        args.update((k, v) for k, v in request.args.items() if not k.startswith("_"))
        args["lang"] = language
        if request.endpoint is None:
            return url_for("home.index", lang=language)
        return url_for(request.endpoint, **args)

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "url_for_language": url_for_language,
            "site_name": app.config["SITE_NAME"],
        }

    @app.after_request
    def content_language(response):
        response.headers.setdefault("Content-Language", current_language())
        return response
