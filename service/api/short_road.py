"""What the short roads in front of Flask share (service/api/fast_intake.py, fast_read.py).

A short road answers the common case of one busy endpoint without Flask's per-request
machinery, and hands anything else to the app behind it untouched, before anything was
counted or stored. An error after that point is answered by Flask's own error handlers and
after-request hooks, so it wears the one envelope and the usual headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from flask import Flask, g

from service.auth import site_for_key
from service.context import Services

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Taken = TypeVar("Taken")


class ShortRoad(Generic[Taken]):
    """WSGI middleware: `takeable` says what it can answer, `answer` answers it."""

    def __init__(self, app: Flask, next_app: WSGIApplication) -> None:
        self.app = app
        self.next_app = next_app  # Flask, or another short road in front of it

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        taken = self.takeable(environ)
        if taken is None:
            return self.next_app(environ, start_response)
        return self.answer(environ, start_response, taken)

    def takeable(self, environ: WSGIEnvironment) -> Taken | None:
        """What this road can answer of the request, or None to hand it on."""
        raise NotImplementedError

    def answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, taken: Taken
    ) -> Iterable[bytes]:
        raise NotImplementedError

    @property
    def services(self) -> Services:
        return self.app.extensions["duyet"]  # type: ignore[no-any-return]

    def site_of(self, api_key: str) -> int | None:
        """The site of a live key; None for an unknown key, or when the database is down
        (Flask then tries again and answers it)."""
        try:
            return site_for_key(self.services.db, api_key)
        except Exception:
            return None

    def answer_error(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        exc: Exception,
        request_id: str,
        site_id: int,
    ) -> Iterable[bytes]:
        """Answer an error as the Flask view would have: its handler, its hooks, its headers."""
        app = self.app
        with app.request_context(environ):
            g.request_id, g.site_id = request_id, site_id
            response = app.make_response(app.handle_user_exception(exc))
            response = app.process_response(response)
            return response(environ, start_response)
