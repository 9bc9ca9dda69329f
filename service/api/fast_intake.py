"""POST /v1/comments without Flask's per-request machinery: a comment storm's hot path.

At thousands of comments a second, Flask's request context, URL matching, hooks and
Response object cost about as much as storing the comment. So the common case, a valid
JSON comment with a live site key, is answered here, in front of Flask, by the same pieces
the Flask view uses: the schema, the site-key cache, the rate limits, the intake writer,
the answer's fields and headers.

Anything else is handed to Flask untouched (the body as read), before anything was counted
or stored: a missing or unknown key, a body the schema refuses, an odd content type, a
body too large or nested too deeply. Flask then answers exactly as it always has, and the
route stays documented by the view in service/api/site.py. An error after the comment was
counted (a 429, a closed article, the database down) is rendered by Flask's own error
handlers and after-request hooks, so it wears the one envelope and the usual headers.
tests/integration/test_fast_intake.py compares both roads answer for answer.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask
from marshmallow import ValidationError

from service.api.short_road import ShortRoad
from service.api.site import COMMENT_IN, IDEMPOTENCY_KEY_LENGTH, comment_body
from service.headers import common_headers
from service.headers import request_id as new_request_id
from service.limits import INTAKE_PATH, Caller, bearer_token, check
from service.metrics import count_accepted
from service.store.new_comments import NewComment

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


@dataclass(frozen=True)
class _Submission:
    """A request this road can take: whose it is, and the comment as sent and as loaded."""

    site_id: int
    api_key: str
    idempotency_key: str | None
    sent: dict[str, Any]  # the JSON body: the rate limits read its ip and author
    fields: dict[str, Any]  # what CommentIn loaded from it


class FastIntake(ShortRoad[_Submission]):
    """Answers the common POST /v1/comments itself; the rest goes on to Flask."""

    def __init__(self, app: Flask, next_app: WSGIApplication) -> None:
        super().__init__(app, next_app)
        self.max_body = app.config["MAX_CONTENT_LENGTH"]

    def takeable(self, environ: WSGIEnvironment) -> _Submission | None:
        """Read the body; return the submission if this road can take it, else None."""
        if environ.get("PATH_INFO") != INTAKE_PATH or environ.get("REQUEST_METHOD") != "POST":
            return None
        mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        length = environ.get("CONTENT_LENGTH", "")
        if mimetype != "application/json" or not length.isdigit():
            return None
        if not 0 < int(length) <= self.max_body:
            return None
        body = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(body)  # Flask reads it again if it takes over
        api_key = bearer_token(environ.get("HTTP_AUTHORIZATION", ""))
        key = environ.get("HTTP_IDEMPOTENCY_KEY")
        if api_key is None or (key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_LENGTH):
            return None
        try:
            sent = json.loads(body)
            if not isinstance(sent, dict):
                return None
            fields = COMMENT_IN.load(sent)
        except (ValueError, RecursionError, ValidationError):  # JSON or schema errors
            return None
        site_id = self.site_of(api_key)
        if site_id is None:
            return None
        return _Submission(site_id, api_key, key, sent, fields)

    def answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, submission: _Submission
    ) -> Iterable[bytes]:
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        svc = self.services
        caller = Caller(environ.get("REMOTE_ADDR") or "-", submission.api_key, submission.sent)
        try:
            over, deferred = check(svc, self.app.extensions["duyet.limits"], caller)
            if over:
                raise over
            new = NewComment(**submission.fields)
            comment, _ = svc.intake.submit(
                submission.site_id, new, submission.idempotency_key, request_id, deferred
            )
        except Exception as exc:
            site_id = submission.site_id
            return self.answer_error(environ, start_response, exc, request_id, site_id)
        count_accepted(submission.site_id)
        answer = comment_body(svc.db, comment, new.article_id)
        body = self.app.json.dumps(answer, separators=(",", ":"))
        payload = f"{body}\n".encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        secure = environ.get("wsgi.url_scheme") == "https"
        start_response("202 ACCEPTED", [*headers, *common_headers(request_id, headers, secure)])
        return [payload]
