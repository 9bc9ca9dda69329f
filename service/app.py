"""The Flask app: create_app() builds it from Settings; `service.create_app` names it too."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

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

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


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
    security.init_app(app)  # 400 for a JSON body no view's parser could read
    app.after_request(_common_headers)  # request id, nosniff, CSP, HSTS over TLS
    # The two busiest requests take short roads in front of Flask (service/api/fast_*.py).
    roads = FastIntake(app, FastThreadRead(app, app.wsgi_app))
    outermost: WSGIApplication = ChunkedBodies(roads, settings.max_body_bytes)
    if settings.trusted_proxies:  # the client's address for every road, limits, sign-in
        n = settings.trusted_proxies
        outermost = ProxyFix(outermost, x_for=n, x_proto=n)
    app.wsgi_app = outermost  # type: ignore[method-assign,assignment]
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


class ChunkedBodies:
    """WSGI middleware: read a chunked body (no Content-Length) here, and pass it on with one.

    werkzeug stops reading such a body at MAX_CONTENT_LENGTH without a word, so one over the
    limit reached the parsers cut short and was answered 400 (not JSON) instead of the 413
    a body with a Content-Length gets. Read here up to one byte past the limit, with its
    length known it takes the same road as any other body, 413 included.
    """

    def __init__(self, wsgi_app: WSGIApplication, max_bytes: int) -> None:
        self.wsgi_app = wsgi_app
        self.max_bytes = max_bytes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        # Only a server that ends the input itself (gunicorn, werkzeug) can be read to the end.
        if chunked and environ.get("wsgi.input_terminated"):
            body = _read_up_to(environ["wsgi.input"], self.max_bytes + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]  # werkzeug ignores a length beside it
        return self.wsgi_app(environ, start_response)


def _read_up_to(stream: IO[bytes], limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := stream.read(limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
