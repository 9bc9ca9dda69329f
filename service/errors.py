"""Domain errors and the one JSON error envelope: {"code", "status", "message", "errors"?}."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

# Flask, werkzeug and marshmallow are imported where a response is built: the intake writer
# process and the workers raise these errors but never answer HTTP, and need not load them.
if TYPE_CHECKING:
    from flask import Flask, Response
    from werkzeug.exceptions import HTTPException

log = logging.getLogger("duyet.errors")


class DuyetError(Exception):
    """An error the client caused or can act on; carries its HTTP status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross from the intake writer process whole, whatever a subclass's __init__
        # takes (TooManyRequests' retry_after): pickle's default calls it with args alone.
        return (_rebuilt, (type(self), self.__dict__))


def _rebuilt(kind: type[DuyetError], state: dict[str, Any]) -> DuyetError:
    error = kind.__new__(kind)
    error.args = (state["message"],)
    error.__dict__.update(state)
    return error


class NotFound(DuyetError):
    status = 404
    code = "not_found"


class Conflict(DuyetError):
    status = 409
    code = "conflict"


class Unauthorized(DuyetError):
    status = 401
    code = "unauthorized"


class Forbidden(DuyetError):
    status = 403
    code = "forbidden"


class Unavailable(DuyetError):
    """A dependency (database) is down; the client should retry later."""

    status = 503
    code = "unavailable"


def envelope(
    status: int, code: str, message: str, errors: dict[str, Any] | None = None
) -> Response:
    """Build the JSON error response every failure uses."""
    from flask import jsonify

    body: dict[str, Any] = {"code": code, "status": status, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def _messages(exc: HTTPException) -> dict[str, Any] | None:
    # flask-smorest's parser attaches marshmallow messages to a 422 as exc.data["messages"].
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers", "form"}:
        merged: dict[str, Any] = {}
        for part in messages.values():
            merged.update(part)
        return merged
    return messages


def register_error_handlers(app: Flask) -> None:
    """Answer every error, expected or not, in the one envelope."""
    from flask import g
    from marshmallow import ValidationError
    from werkzeug.exceptions import HTTPException

    @app.errorhandler(DuyetError)
    def _domain(exc: DuyetError) -> Response:
        response = envelope(exc.status, exc.code, exc.message, exc.errors)
        if exc.status == 503:
            response.headers["Retry-After"] = "5"
        if retry_after := getattr(exc, "retry_after", None):  # a 429's seconds left
            response.headers["Retry-After"] = retry_after
        return response

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return envelope(422, "validation_failed", "The request is not valid.", messages)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or exc.name
        if status == 422:
            return envelope(422, "validation_failed", "The request is not valid.", _messages(exc))
        response = envelope(status, _http_code(exc), message)
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError) -> Response:
        log.error("database unavailable: %s", exc.__class__.__name__)
        response = envelope(503, "unavailable", "The database is unavailable; retry shortly.")
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        request_id = getattr(g, "request_id", None) or uuid.uuid4().hex
        log.exception("unhandled error (request %s)", request_id)
        return envelope(500, "internal_error", f"Internal error (request {request_id}).")
