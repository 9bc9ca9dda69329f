"""A synchronous check of one comment, for integrations that need a verdict in the request.

Akismet's comment-check and Coral's external moderation phase must answer at once, so they
cannot wait for a worker. The engine lives in `workers`, which `service` never imports;
instead the process that builds the app (`workers.wsgi`) hands `create_app` an object that
satisfies `Checker`. The dependency stays one way: workers implement, service calls. The
settings page asks the same object for the engine's built-in profanity list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import current_app

from service.context import Services
from service.errors import Unavailable

LABELS = ("ham", "spam", "abuse")


@dataclass(frozen=True)
class CheckRequest:
    """One comment to check, in the words every integration can fill in."""

    site_id: int
    body: str
    author_name: str = ""
    author_email: str | None = None
    author_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    is_reply: bool = False
    article_id: str | None = None  # the site's article id, if the caller knows one
    page_url: str | None = None  # where the comment was posted (permalink), if known
    # False for test traffic: the check must not count toward rates or duplicates.
    remember: bool = True


@dataclass(frozen=True)
class CheckResult:
    """The engine's verdict (approve, hold, spam or reject) with its scores and reasons."""

    verdict: str
    scores: dict[str, float] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    engine_version: str = ""

    @property
    def codes(self) -> list[str]:
        return [str(r.get("code", "")) for r in self.reasons]


class Checker(Protocol):
    """Scores a comment now and learns from labels; implemented in workers.checker."""

    def check(self, svc: Services, request: CheckRequest) -> CheckResult: ...

    def learn(self, svc: Services, site_id: int, body: str, label: str, source: str) -> None: ...

    def profanity_list(self, allowed: Sequence[str]) -> list[tuple[str, bool]]:
        """Each word of the built-in profanity list, and whether a site that allows
        ``allowed`` (its ``profanity_allowed``) lets it through."""
        ...


def optional_checker() -> Checker | None:
    """Return the app's checker, or None when the process was started without the engine."""
    checker: Checker | None = current_app.extensions.get("duyet.checker")
    return checker


def current_checker() -> Checker:
    """Return the app's checker, or answer 503 when the process was started without one."""
    checker = optional_checker()
    if checker is None:
        raise Unavailable(
            "this server runs without the engine; serve the app from workers.wsgi:create()"
        )
    return checker
