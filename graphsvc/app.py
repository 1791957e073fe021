"""The application factory."""

from __future__ import annotations

import atexit
import logging
from datetime import timedelta

from flask import Flask, redirect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import metrics
from . import settings as settings_module
from .api import access, health, problems
from .api.blueprints import BLUEPRINTS
from .services import Services
from .settings import Settings
from .ui import bp as ui_bp

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app: extensions, blueprints, error handlers."""
    settings = settings or settings_module.load()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = Flask(__name__)
    # Keep the order answers are built in (row errors by row number, not "row 10" before "row 2").
    app.json.sort_keys = False
    app.config.update(
        GRAPHSVC_SETTINGS=settings,
        # The dashboard's signed session cookie: not readable by scripts, never sent cross-site.
        SECRET_KEY=settings.session_secret,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE="graphsvc",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Vendored (graphsvc/static/vendor/swagger-ui): the docs page works without internet.
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",
        API_SPEC_OPTIONS={
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
            },
            "security": [{"bearer": []}],
        },
    )
    if services is None:
        services = Services.build(settings)
        atexit.register(services.close)
    app.extensions["graphsvc"] = services

    metrics.install(app)
    limiter = access.make_limiter(app, settings.rate_limit, settings.rate_limit_storage)
    access.install(app, limiter)
    api = problems.ProblemApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(health.bp)
    app.register_blueprint(ui_bp)
    app.add_url_rule("/", "home", lambda: redirect("/ui/"))
    problems.register(app)
    app.wsgi_app = problems.BodyLimit(app.wsgi_app, settings.max_body_bytes)
    if settings.behind_proxy:
        # The one proxy in front (graphsvc serve's nginx) names the client; rate limits key on it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    return app
