"""Akismet as an optional second opinion: comment-check, submit-spam, submit-ham.

The plugin must never block or lose a comment: every failure (timeout, connection
error, HTTP error, "invalid" answer, key trouble) is logged and returns None, "no
opinion", and a circuit breaker stops calling a failing service for a cool-down.

Verdicts: Akismet's "true" with ``X-akismet-pro-tip: discard`` (blatant spam) is spam;
a plain "true" holds, because Akismet is trained mostly on English and a Vietnamese
comment deserves a human look before it is called spam.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from workers.engine.types import CommentInput, Reason, Verdict

log = logging.getLogger("duyet.akismet")
DEFAULT_BASE_URL = "https://rest.akismet.com"


class CircuitBreaker:
    """Open after ``failures`` failures in a row; after ``cooldown`` let one probe through."""

    def __init__(
        self, failures: int = 3, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failures = failures
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._streak = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        """Return "closed", "open" or "half-open"."""
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        """Say whether a call may go out now (one probe at a time when half-open)."""
        with self._lock:
            state = self.state
            if state == "closed":
                return True
            if state == "open" or self._probing:
                return False
            self._probing = True
            return True

    def success(self) -> None:
        """Close the breaker after a good answer."""
        with self._lock:
            self._streak, self._opened_at, self._probing = 0, None, False

    def failure(self) -> None:
        """Count a failure; open (again) at the limit or when a probe fails."""
        with self._lock:
            self._streak += 1
            if self._probing or self._streak >= self.failures:
                self._opened_at = self._clock()
            self._probing = False


@dataclass(frozen=True)
class AkismetResult:
    """Akismet's opinion on one comment."""

    spam: bool
    discard: bool = False
    guid: str | None = None

    def reason(self) -> Reason | None:
        """Return a reason for the engine when Akismet calls the comment spam."""
        if not self.spam:
            return None
        verdict = Verdict.SPAM if self.discard else Verdict.HOLD
        msg = "Akismet đánh giá là spam" + (" (rõ ràng)" if self.discard else "")
        detail: dict[str, object] = {"en": "Akismet says spam", "discard": self.discard}
        if self.guid:
            detail["guid"] = self.guid
        return Reason("akismet_spam", msg, verdict, (), detail)


class _Failure(Exception):
    """An answer that is no opinion (bad status, invalid key, unexpected body)."""


class AkismetClient:
    """A small client for Akismet's REST contract, with a timeout and a circuit breaker."""

    def __init__(
        self,
        api_key: str,
        blog: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 2.0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.api_key = api_key
        self.blog = blog
        self.breaker = breaker or CircuitBreaker()
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)

    @classmethod
    def from_settings(
        cls, api_key: str | None, blog: str, base_url: str | None = None, timeout: float = 2.0
    ) -> AkismetClient | None:
        """Build a client from settings, or None when no key is configured (plugin off)."""
        if not api_key:
            return None
        return cls(api_key, blog, base_url or DEFAULT_BASE_URL, timeout)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def fields(self, comment: CommentInput, **extra: str) -> dict[str, str]:
        """Build the form fields Akismet reads from a comment."""
        data = {
            "api_key": self.api_key,
            "blog": self.blog,
            "user_ip": comment.ip or "",
            "user_agent": comment.user_agent or "",
            "comment_type": "reply" if comment.is_reply else "comment",
            "comment_author": comment.author_name,
            "comment_author_email": comment.author_email or "",
            "comment_content": comment.body,
            "blog_lang": "vi, en",
            "blog_charset": "UTF-8",
        }
        return {**{k: v for k, v in data.items() if v}, **extra}

    def check(self, comment: CommentInput, **extra: str) -> AkismetResult | None:
        """Ask comment-check; None when Akismet gives no usable answer."""
        response = self._call("/1.1/comment-check", self.fields(comment, **extra))
        if response is None:
            return None
        discard = response.headers.get("X-akismet-pro-tip", "").lower() == "discard"
        guid = response.headers.get("X-akismet-guid")
        return AkismetResult(response.text.strip() == "true", discard, guid)

    def submit_spam(self, comment: CommentInput, **extra: str) -> bool:
        """Tell Akismet a comment was spam; True when it accepted the report."""
        return self._call("/1.1/submit-spam", self.fields(comment, **extra)) is not None

    def submit_ham(self, comment: CommentInput, **extra: str) -> bool:
        """Tell Akismet a comment was not spam; True when it accepted the report."""
        return self._call("/1.1/submit-ham", self.fields(comment, **extra)) is not None

    def _call(self, path: str, data: dict[str, str]) -> httpx.Response | None:
        if not self.breaker.allow():
            return None
        try:
            response = self._http.post(path, data=data)
            _raise_for_no_opinion(path, response)
        except (httpx.HTTPError, _Failure) as exc:
            log.warning("akismet %s failed: %s", path, exc)
            self.breaker.failure()
            return None
        self.breaker.success()
        return response


def _raise_for_no_opinion(path: str, response: httpx.Response) -> None:
    if response.status_code != 200:
        raise _Failure(f"HTTP {response.status_code}")
    if response.headers.get("X-akismet-error"):
        raise _Failure(response.headers["X-akismet-error"])
    body = response.text.strip()
    if path.endswith("comment-check") and body not in ("true", "false"):
        help_text = response.headers.get("X-akismet-debug-help", "")
        raise _Failure(f"unexpected answer {body[:40]!r} {help_text}".strip())
