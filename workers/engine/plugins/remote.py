"""A remote classifier as an optional second opinion: a model served elsewhere scores each
batch of comments (a fine-tuned PhoBERT on a GPU machine, or a hosted service behind a
small adapter), and its scores go through the site's own thresholds.

The contract, one POST per batch the worker decides:
    request:  {"texts": ["comment body", ...]}            (Authorization: Bearer <token>)
    answer:   200 {"scores": [{"spam": 0.97, "abuse": 0.02}, ...]}   one per text, in order
A class left out of an answer is no opinion on it; a score must be a number from 0 to 1.

Like Akismet's plugin it never blocks or loses a comment: every failure (timeout,
connection error, another status, an answer that breaks the contract) is logged and is no
opinion, and a circuit breaker stops calling a failing service for a cool-down. It can
hold or keep out a comment the local engine would publish; it never publishes one the
local engine holds (reasons only add to the verdict: the strongest wins).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import httpx

from workers.engine.plugins.akismet import CircuitBreaker
from workers.engine.types import Reason, Thresholds, Verdict

log = logging.getLogger("duyet.remote_classifier")
KINDS = ("spam", "abuse")
KEPT_OUT = {"spam": Verdict.SPAM, "abuse": Verdict.REJECT}
MESSAGES = {
    "spam": ("Bộ phân loại bên ngoài đánh giá là spam", "The remote classifier says spam"),
    "abuse": ("Bộ phân loại bên ngoài đánh giá là xúc phạm", "The remote classifier says abuse"),
}


class ContractBroken(ValueError):
    """The answer is not the contract's (see the module's docstring)."""


@dataclass(frozen=True)
class RemoteScores:
    """The remote classifier's scores for one comment; None: no opinion on that class."""

    spam: float | None = None
    abuse: float | None = None

    def reasons(self, thresholds: Thresholds) -> tuple[Reason, ...]:
        """Reasons for the scores at or over the site's thresholds: hold, or keep out."""
        found = []
        for kind in KINDS:
            score = getattr(self, kind)
            if score is None or score < getattr(thresholds, f"{kind}_hold"):
                continue
            kept_out = score >= getattr(thresholds, f"{kind}_reject")
            verdict = KEPT_OUT[kind] if kept_out else Verdict.HOLD
            vi, en = MESSAGES[kind]
            detail = {"en": f"{en} ({score:.2f})", "score": round(score, 4)}
            found.append(Reason(f"remote_{kind}", f"{vi} ({score:.2f})", verdict, (), detail))
        return tuple(found)


class RemoteClassifier:
    """A client for the contract above, with a timeout and a circuit breaker."""

    def __init__(
        self,
        url: str,
        token: str = "",
        timeout: float = 1.0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.url = url
        self.breaker = breaker or CircuitBreaker()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(timeout=timeout, headers=headers)

    @classmethod
    def from_settings(cls, url: str, token: str, timeout: float) -> RemoteClassifier | None:
        """Build a client from settings, or None when no URL is configured (plugin off) or
        the settings cannot make one (logged: a bad token must not stop moderation)."""
        if not url:
            return None
        try:
            return cls(url, token, timeout)
        except (ValueError, TypeError, httpx.InvalidURL) as exc:  # a non-ASCII token, ...
            log.error("remote classifier off: its settings are unusable: %s", exc)
            return None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def score_many(self, texts: list[str]) -> list[RemoteScores] | None:
        """Score the texts in one request; None when the service gives no usable answer."""
        if not texts:
            return []
        if not self.breaker.allow():
            return None
        try:
            response = self._http.post(self.url, json={"texts": texts})
            if response.status_code != 200:
                raise ContractBroken(f"HTTP {response.status_code}")
            scores = parse_scores(response.json(), len(texts))
        except (httpx.HTTPError, ValueError) as exc:  # JSON errors are ValueErrors too
            log.warning("remote classifier failed: %s", exc)
            self.breaker.failure()
            return None
        self.breaker.success()
        return scores


def parse_scores(body: Any, expected: int) -> list[RemoteScores]:
    """Read the answer's scores, one per text sent; ContractBroken if it is anything else."""
    scores = body.get("scores") if isinstance(body, dict) else None
    if not isinstance(scores, list) or len(scores) != expected:
        raise ContractBroken(f"expected {{'scores': [...]}} with {expected} entries")
    return [RemoteScores(**{k: _score(entry, k) for k in KINDS}) for entry in scores]


def _score(entry: Any, kind: str) -> float | None:
    if not isinstance(entry, dict):
        raise ContractBroken("each score entry must be an object")
    value = entry.get(kind)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ContractBroken(f"{kind} must be a number, not {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ContractBroken(f"{kind} must be from 0 to 1, not {value!r}")
    return float(value)
