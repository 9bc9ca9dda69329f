"""The busiest endpoints parse and answer without webargs' and marshmallow's per-request cost.

A comment storm is intake's and the thread read's problem, and at thousands of requests a
second the generic machinery (a parser per request, a schema dump of a flat dict) costs
more than the work. The views still declare their schemas with flask-smorest, so the
OpenAPI document is unchanged; the common request takes the short road here, and anything
unusual goes through the same parser as before, so errors keep their exact shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError
from werkzeug.sansio.response import Response as BaseResponse

F = TypeVar("F", bound=Callable[..., Any])


def documented_arguments(blp: Blueprint, schema: type[Schema], **kwargs: Any) -> Callable[[F], F]:
    """Document arguments exactly as @blp.arguments does; the view parses them itself."""

    def decorator(view: F) -> F:
        documented = blp.arguments(schema, **kwargs)(view)
        view._apidoc = documented._apidoc  # type: ignore[attr-defined]
        return view

    return decorator


def json_arguments(schema: Schema) -> dict[str, Any]:
    """Load the JSON body with schema; a body it refuses gets the parser's own 4xx."""
    data = request.get_json(silent=True)  # cached: the rate limits read it already
    if isinstance(data, dict):
        try:
            return schema.load(data)  # type: ignore[no-any-return]
        except ValidationError:
            pass  # the parser below says why, in the envelope every 422 uses
    return Blueprint.ARGUMENTS_PARSER.parse(schema, location="json")  # type: ignore[no-any-return]


def comment_json(body: dict[str, Any], status: int) -> BaseResponse:
    """Answer a flat comment view (times already in ISO form, as CommentOut gives) as JSON."""
    response = current_app.json.response(body)
    response.status_code = status
    return response
