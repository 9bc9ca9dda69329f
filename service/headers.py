"""The headers every answer carries, whichever road it took (Flask or intake's fast path)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A caller's X-Request-Id is kept when it looks like an id; otherwise the API makes one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
DEFAULT_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
)
HSTS = "max-age=31536000; includeSubDomains"


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
