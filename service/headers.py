"""The headers every answer carries, whichever road it took (Flask or intake's fast path)."""

from __future__ import annotations

import itertools
import os
import re
import secrets
from collections.abc import Iterable

# A caller's X-Request-Id is kept when it looks like an id; otherwise the API makes one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
DEFAULT_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
)
HSTS = "max-age=31536000; includeSubDomains"


class _RequestIds:
    """Unique ids for requests: a random prefix per process and a counter.

    32 hex characters, as secrets.token_hex(16) gave, without a getrandom() system call per
    request. The prefix is drawn again in a forked child, so two workers never share one.
    """

    def __init__(self) -> None:
        self.renew()

    def renew(self) -> None:
        self._prefix = secrets.token_hex(8)
        self._counter = itertools.count()

    def __call__(self) -> str:
        return f"{self._prefix}{next(self._counter):016x}"


_new_request_id = _RequestIds()
os.register_at_fork(after_in_child=_new_request_id.renew)


def request_id(given: str) -> str:
    """The caller's X-Request-Id when it looks like an id, else a new one."""
    return given if REQUEST_ID_PATTERN.match(given) else _new_request_id()


def common_headers(
    request_id: str, present: Iterable[tuple[str, str]], secure: bool
) -> list[tuple[str, str]]:
    """Return the headers to add to an answer that already has `present`.

    The request id always; the defaults unless the answer set its own (the desk sets a
    stricter CSP); HSTS only over TLS, where it means something.
    """
    names = {name.lower() for name, _ in present}
    added = [("X-Request-Id", request_id)]
    added += [(k, v) for k, v in DEFAULT_HEADERS if k.lower() not in names]
    if secure and "strict-transport-security" not in names:
        added.append(("Strict-Transport-Security", HSTS))
    return added
