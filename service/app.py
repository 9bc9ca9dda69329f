"""The Flask app: create_app() builds it from Settings; `service.create_app` names it too."""

from __future__ import annotations

from flask import Flask, Response, g, request

from service import limits, security
from service.api.fast_intake import FastIntake
from service.api.fast_read import FastThreadRead
from service.checker import Checker
from service.context import Services
from service.errors import register_error_handlers
from service.headers import common_headers, request_id
from service.logging import configure_logging
from service.settings import Settings
from service.ui import init_desk


def create_app(
    settings: Settings | None = None, svc: Services | None = None, checker: Checker | None = None
) -> Flask:
    """Build the API app; tests pass their own settings or ready-made services.

    `checker` runs the engine synchronously for Akismet and Coral; workers.wsgi passes it,
    since service never imports workers. Without one those endpoints answer 503.
    """
    settings = settings or Settings.from_env()
    configure_logging(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE="duyet",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["duyet"] = svc or Services.connect(settings)
    app.extensions["duyet.checker"] = checker
    _register_api(app)
    init_desk(app)
    register_error_handlers(app)  # after Api(), so our envelope handlers win
    app.before_request(_assign_request_id)
    limits.init_app(app)  # rate limits (429), after the request id
    security.init_app(app)  # 404 for ids no row can have, 400 for JSON nested too deep
    app.after_request(_common_headers)  # request id, nosniff, CSP, HSTS over TLS
    # The two busiest requests take short roads in front of Flask (service/api/fast_*.py).
    app.wsgi_app = FastIntake(app, FastThreadRead(app, app.wsgi_app))  # type: ignore[method-assign]
    return app


def _register_api(app: Flask) -> None:
    from service import metrics
    from service.api import akismet, coral, docs, moderation, ops, site, threads

    api = docs.DuyetApi(
        app, spec_kwargs={"info": {"description": "Comment moderation for news sites"}}
    )
    api.spec.components.security_scheme(
        "siteKey", {"type": "http", "scheme": "bearer", "description": "A site's API key"}
    )
    api.spec.components.security_scheme(
        "moderator", {"type": "http", "scheme": "basic", "description": "A moderator account"}
    )
    for blueprint in (site.blp, moderation.blp, ops.blp, metrics.blp, akismet.blp, coral.blp):
        api.register_blueprint(blueprint)
    api.register_blueprint(docs.blp)
    metrics.init_app(app)
    threads.init_app(app)


# Both hooks run on every request, so they read the environ and the header list directly:
# werkzeug's headers.get and setdefault raise and catch a KeyError for each missing header.
def _assign_request_id() -> None:
    g.request_id = request_id(request.environ.get("HTTP_X_REQUEST_ID", ""))


def _common_headers(response: Response) -> Response:
    headers = response.headers
    headers.extend(common_headers(g.get("request_id", ""), headers, request.is_secure))
    return response
