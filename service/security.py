"""Guards every request passes: no ids no row can have, no JSON no parser can hold.

The headers every answer gets (HSTS over TLS among them) are in service/headers.py.
"""

from __future__ import annotations

from flask import Flask, Response, request

from service.errors import envelope

# Ids are 64-bit signed integers in both databases; a larger one in a URL names nothing.
MAX_ID = 2**63 - 1


def reject_impossible_ids() -> Response | None:
    """Answer 404 for a path id too large for any row, before it reaches the database."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return envelope(404, "not_found", "The requested resource does not exist.")
    return None


def reject_json_too_deep() -> Response | None:
    """Answer 400 for a JSON body nested too deeply to parse (the parser would recurse out)."""
    if not request.content_length or not request.is_json:  # cheapest test first: most GETs
        return None
    try:
        request.get_json(silent=True)  # cached for the view when it parses
    except RecursionError:
        return envelope(400, "bad_request", "The JSON document is nested too deeply.")
    return None


def init_app(app: Flask) -> None:
    """Register the id and JSON-depth guards on an app."""
    app.before_request(reject_impossible_ids)
    app.before_request(reject_json_too_deep)
