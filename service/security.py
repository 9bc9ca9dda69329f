"""Guards every request passes: no JSON body that no view's parser could read.

Ids no row can have never reach a view: the URL converters refuse them (service/api/paths.py).
The headers every answer gets (HSTS over TLS among them) are in service/headers.py.
"""

from __future__ import annotations

import json
import sys

from flask import Flask, Response, request

from service.errors import envelope

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def init_app(app: Flask) -> None:
    """Register the JSON guard on an app."""
    app.before_request(reject_unreadable_json)


def reject_unreadable_json() -> Response | None:
    """Answer 400 for a JSON body that does not parse, before any view's parser meets it.

    The views parse with json.loads (webargs, Flask), which raises a plain ValueError, not
    the JSONDecodeError they turn into a 400, for an integer past Python's digit limit:
    a 500 on every JSON endpoint until it was caught here, once for all of them.
    """
    if request.method not in BODY_METHODS or not request.is_json:
        return None
    try:
        if request.get_json(silent=True) is not None:  # parsed once, cached for the views
            return None
        body = request.get_data(cache=True)
        if body:  # an empty body is the view's to refuse, or to ignore
            json.loads(body)  # `null` parses; anything else says why it cannot
    except RecursionError:
        return envelope(400, "bad_request", "The JSON document is nested too deeply.")
    except ValueError as exc:
        return envelope(400, "bad_request", _unreadable(exc))
    return None


def _unreadable(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return "The body is not valid JSON."
    digits = sys.get_int_max_str_digits()
    return f"A number in the JSON body is too long: at most {digits} digits are read."
