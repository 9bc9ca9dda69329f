"""GET /v1/articles/<id>/comments without Flask's per-request machinery: the busiest read.

A news site's pages ask for their comment threads far more often than readers post, and
once a page is rendered (service/api/threads.py keeps it by ETag) Flask's request context,
URL matching, hooks and Response object were about half of what a read cost. So the common
read, a live site key with no query arguments or plain ones, is answered here, in front of
Flask, by the same pieces the Flask view uses: the site-key cache, the rate limits, the
thread version, the ETag, the page memo (rendering the page on a miss, as the view does),
and the answer's headers.

Anything else goes to Flask untouched, before anything was counted: a missing or unknown
key, query arguments the hand parser does not take (the schema answers their 422), an
article id that is not plain ASCII or holds a NUL (the view checks it), a request with a
body. An error after the request was counted (a 429, an unknown article, the database
down) is rendered by Flask's own error handlers and after-request hooks, as intake's fast
road does. The route stays documented by the view in service/api/site.py;
tests/integration/test_fast_read.py compares both roads answer for answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from flask import g
from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_etags

from service.api import threads
from service.api.short_road import ShortRoad
from service.api.site import render_thread
from service.headers import common_headers
from service.headers import request_id as new_request_id
from service.limits import Caller, bearer_token, check

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

# The view's route (<article:...>, slashes and all) for article ids the view takes as they
# are: 1 to 200 ASCII characters without NUL. Any other id goes to the view, which refuses
# it. The suffix ends the path, so the id is everything before the last "/comments".
_THREAD_PATH = re.compile(r"/v1/articles/([\x01-\x7f]{1,200})/comments")
# Query strings parse_qsl reads exactly as werkzeug does: no escapes, no other characters.
_PLAIN_QUERY = re.compile(r"[A-Za-z0-9_=&-]*")


@dataclass(frozen=True)
class _Read:
    """A read this road can take: whose it is, which article, which page."""

    site_id: int
    api_key: str
    article_id: str
    args: dict[str, Any]


class FastThreadRead(ShortRoad[_Read]):
    """Answers the common thread read itself; the rest goes on to Flask."""

    def takeable(self, environ: WSGIEnvironment) -> _Read | None:
        """Return the read if this road can take it, else None (nothing was counted)."""
        match = _THREAD_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "GET":
            return None
        article_id, query = match.group(1), environ.get("QUERY_STRING", "")
        if not _PLAIN_QUERY.fullmatch(query):
            return None
        if environ.get("CONTENT_LENGTH", "") not in ("", "0"):
            return None  # Flask's guards read bodies; a GET has none
        args = threads.plain_args(MultiDict(parse_qsl(query, keep_blank_values=True)))
        api_key = bearer_token(environ.get("HTTP_AUTHORIZATION", ""))
        if args is None or api_key is None:
            return None
        site_id = self.site_of(api_key)
        if site_id is None:
            return None
        return _Read(site_id, api_key, article_id, args)

    def answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, read: _Read
    ) -> Iterable[bytes]:
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        svc = self.services
        caller = Caller(environ.get("REMOTE_ADDR") or "-", read.api_key)
        try:
            over, _ = check(svc, self.app.extensions["duyet.limits"], caller)
            if over:
                raise over
            version = svc.thread_versions.lookup(svc.db, read.site_id, read.article_id)
            etag = threads.page_etag(*version, read.args)
            headers = [("ETag", f'"{etag}"')]
            # Weak comparison, as the view does (RFC 9110): W/"..." from a compressing proxy.
            if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(etag):
                status, body = "304 NOT MODIFIED", b""
            else:
                status, body = "200 OK", self._page(read, etag)
                headers += [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "private, no-cache"),
                ]
        except Exception as exc:
            return self.answer_error(environ, start_response, exc, request_id, read.site_id)
        secure = environ.get("wsgi.url_scheme") == "https"
        start_response(status, [*headers, *common_headers(request_id, headers, secure)])
        return [body]

    def _page(self, read: _Read, etag: str) -> bytes:
        """The rendered page: from the memo or Redis, else rendered as the view renders it."""
        memo: threads.PageMemo = self.app.extensions["duyet.pages"]
        page = threads.cached_page(self.services.redis, etag, memo)
        if page is not None:
            return page
        with self.app.app_context():
            g.site_id = read.site_id
            return threads.page_of(
                self.services.redis, etag, lambda: render_thread(read.article_id, read.args), memo
            )
