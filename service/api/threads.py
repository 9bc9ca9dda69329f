"""The thread read's hot path: query arguments parsed by hand, the ETag, rendered pages in Redis.

`GET /v1/articles/<id>/comments` is the busiest endpoint a news site has, so the common
request skips marshmallow: plain `order`, `limit`, `cursor` and `featured` values are
checked here, and anything unusual goes through the ThreadArgs schema, which answers the
same 422 as before. The comment counts of an article list (`GET /v1/articles/comment-counts`)
are read as often, and their plain `article_id` values are checked here the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, current_app, request
from flask_smorest import Blueprint
from redis import Redis
from redis.exceptions import RedisError

from service.schemas import MAX_COUNTED_ARTICLES, CountsArgs, ThreadArgs

DEFAULTS: dict[str, Any] = {"order": "newest", "limit": 20, "cursor": None, "featured": False}
_ORDERS = frozenset(("newest", "oldest"))
# The spellings the hand parser takes; the schema's other ones ("1", "yes"...) go through it.
_FLAGS = {"true": True, "false": False}
_LIMIT = re.compile(r"[1-9][0-9]{0,2}")
_CURSOR = re.compile(r"[A-Za-z0-9_-]{1,200}")  # what encode_cursor gives out
_SCHEMA = ThreadArgs()
_COUNTS_SCHEMA = CountsArgs()
# Rendered pages by ETag: the ETag names the article, its thread version and the query, so
# a change that bumps the version makes every cached page of the article unreachable.
PAGE_TTL = 300
MEMO_BYTES = 16 * 1024 * 1024
# A thread waiting for another's render of the same page gives up after this and renders.
RENDER_WAIT_SECONDS = 5.0


def thread_args() -> dict[str, Any]:
    """Return the thread query's order, limit and cursor; a 422 for values the schema refuses."""
    query = request.args
    if not query:
        return dict(DEFAULTS)
    args = plain_args(query)
    if args is None:
        # The schema's own parse, as @blp.arguments would run it: same values, same errors.
        args = Blueprint.ARGUMENTS_PARSER.parse(_SCHEMA, location="query")
    return args


def counted_ids() -> list[str]:
    """Return the distinct article ids a counts query names, in their first order; a 422
    for a query the CountsArgs schema refuses."""
    query = request.args
    ids = query.getlist("article_id")
    if len(query) != 1 or not _plain_ids(ids):
        # The schema's own parse, as @blp.arguments would run it: same values, same errors.
        ids = Blueprint.ARGUMENTS_PARSER.parse(_COUNTS_SCHEMA, location="query")["article_id"]
    return list(dict.fromkeys(ids))


def _plain_ids(ids: list[str]) -> bool:
    """Whether the schema would take these ids as they are: plain ASCII ones are storable."""
    distinct = set(ids)
    return 0 < len(distinct) <= MAX_COUNTED_ARTICLES and all(
        0 < len(i) <= 200 and i.isascii() and "\x00" not in i for i in distinct
    )


def plain_args(query: Any) -> dict[str, Any] | None:
    """The query's order, limit, cursor and featured when they are plain and valid, else None."""
    args = dict(DEFAULTS)
    for name, values in query.lists():
        if name not in args or len(values) != 1:
            return None
        args[name] = values[0]
    cursor = args["cursor"]
    if args["order"] not in _ORDERS or (cursor is not None and not _CURSOR.fullmatch(cursor)):
        return None
    featured = args["featured"]
    if isinstance(featured, str):
        if featured not in _FLAGS:
            return None
        args["featured"] = _FLAGS[featured]
    limit = args["limit"]
    if isinstance(limit, str):
        if not _LIMIT.fullmatch(limit) or int(limit) > 100:
            return None
        args["limit"] = int(limit)
    return args


def page_etag(article_id: int, thread_version: int, args: dict[str, Any]) -> str:
    """Name one page of one version of an article's thread, or of its picks."""
    key = f"{article_id}:{thread_version}:{args['order']}:{args['limit']}:{args['cursor']}"
    # Always named, so no page rendered before comments said `featured` keeps its ETag.
    key += ":picks" if args["featured"] else ":all"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class PageMemo:
    """The pages this process served lately, by ETag, within a byte budget (least recent out).

    A page never changes under its ETag, so the memo needs no invalidation; the TTL only
    keeps it in step with Redis, and the memo belongs to one app (one database).
    """

    def __init__(self, budget: int = MEMO_BYTES, ttl: float = PAGE_TTL) -> None:
        self.budget, self.ttl, self.size = budget, ttl, 0
        self._pages: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Event] = {}

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            hit = self._pages.get(etag)
            if hit is None or hit[0] < time.monotonic():
                return None
            self._pages.move_to_end(etag)
            return hit[1]

    def put(self, etag: str, page: bytes) -> None:
        with self._lock:
            old = self._pages.pop(etag, None)
            self.size += len(page) - (len(old[1]) if old else 0)
            self._pages[etag] = (time.monotonic() + self.ttl, page)
            while self.size > self.budget:
                _, (_, evicted) = self._pages.popitem(last=False)
                self.size -= len(evicted)

    @contextlib.contextmanager
    def rendering(self, etag: str) -> Iterator[bool]:
        """Let one thread render a page: yield True to it; others wait, then get False.

        A publish gives the hot article a new ETag, and every thread that reads it next
        would miss the memo together and render the same page (16 renders of a 5,000-comment
        thread at once, each waiting for the others' GIL). Threads that get False find the
        page in the memo, or, if the renderer failed, render it themselves.
        """
        with self._lock:
            running = self._rendering.get(etag)
            if running is None:
                running = self._rendering[etag] = threading.Event()
                leader = True
            else:
                leader = False
        if not leader:
            running.wait(RENDER_WAIT_SECONDS)
            yield False
            return
        try:
            yield True
        finally:
            with self._lock:
                del self._rendering[etag]
            running.set()


def init_app(app: Flask) -> None:
    """Give an app its own memo of rendered pages."""
    app.extensions["duyet.pages"] = PageMemo()


def _memo() -> PageMemo:
    return current_app.extensions["duyet.pages"]  # type: ignore[no-any-return]


def cached_page(redis: Redis, etag: str, memo: PageMemo | None = None) -> bytes | None:
    """Return the rendered page of an ETag from this process's memo or from Redis.

    `memo` is the app's (threads.init_app); without it, the current app's is used.
    """
    if memo is None:
        memo = _memo()
    page = memo.get(etag)
    if page is None:
        try:
            page = redis.get(f"duyet:page:{etag}")  # type: ignore[assignment]
        except RedisError:
            return None  # a cache that is away only costs the database a query
        if page is not None:
            memo.put(etag, page)
    return page


def page_of(
    redis: Redis, etag: str, render: Callable[[], str], memo: PageMemo | None = None
) -> bytes:
    """Return the page of an ETag from the caches, or render it, once per process at a time."""
    if memo is None:
        memo = _memo()
    page = cached_page(redis, etag, memo)
    if page is not None:
        return page
    with memo.rendering(etag) as first:
        if not first and (page := memo.get(etag)) is not None:
            return page
        return _cache_page(memo, redis, etag, render())


def _cache_page(memo: PageMemo, redis: Redis, etag: str, rendered: str) -> bytes:
    """Store a rendered page under its ETag for a while; return its bytes."""
    data = rendered.encode()
    with contextlib.suppress(RedisError):
        redis.set(f"duyet:page:{etag}", data, ex=PAGE_TTL)
    memo.put(etag, data)
    return data
