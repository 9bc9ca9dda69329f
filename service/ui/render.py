"""Turn stored comments and decisions into what the templates show; never into HTML.

Highlighting splits the comment text into plain-text segments, each tagged with the
reasons whose spans cover it; the template escapes every segment like any other text.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from service.ui.i18n import translate

MAX_REASONS_PER_SEGMENT = 8


@dataclass(frozen=True)
class Segment:
    text: str
    reasons: tuple[int, ...]  # 1-based numbers of the reasons that matched this stretch


@dataclass(frozen=True)
class ReasonView:
    number: int
    code: str
    words: str
    verdict: str
    highlighted: bool


def _valid_spans(raw: Any, length: int) -> list[tuple[int, int]]:
    spans = []
    for span in raw if isinstance(raw, list) else []:
        if not (isinstance(span, list | tuple) and len(span) == 2):
            continue
        start, end = span
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            spans.append((start, end))
    return spans


def segments(body: str, reasons: list[dict[str, Any]]) -> list[Segment]:
    """Split a comment's text at every span boundary of every reason."""
    covered: list[tuple[int, int, int]] = []
    cuts = {0, len(body)}
    for number, reason in enumerate(reasons, start=1):
        for start, end in _valid_spans(reason.get("spans"), len(body)):
            covered.append((start, end, number))
            cuts.update((start, end))
    points = sorted(cuts)
    found: list[Segment] = []
    for start, end in zip(points, points[1:], strict=False):
        numbers = tuple(sorted({n for a, b, n in covered if a <= start and end <= b}))
        numbers = numbers[:MAX_REASONS_PER_SEGMENT]
        if found and found[-1].reasons == numbers:  # one mark per stretch of the same reasons
            found[-1] = Segment(found[-1].text + body[start:end], numbers)
        elif end > start:
            found.append(Segment(body[start:end], numbers))
    return found


def reason_views(reasons: list[dict[str, Any]], language: str) -> list[ReasonView]:
    """Put every recorded reason into words in the viewer's language."""
    views = []
    for number, reason in enumerate(reasons, start=1):
        if not isinstance(reason, dict):
            continue
        code = str(reason.get("code", ""))
        detail = reason.get("detail") if isinstance(reason.get("detail"), dict) else {}
        words = str(reason.get("message") or "")
        if language == "en":
            words = str((detail or {}).get("en") or "") or translate("en", f"reason.{code}")
        if not words or words == f"reason.{code}":
            words = translate(language, f"reason.{code}")
        spans = _valid_spans(reason.get("spans"), 10**9)
        views.append(ReasonView(number, code, words, str(reason.get("verdict", "")), bool(spans)))
    return views


def email_hash(email: str | None, secret: str) -> str:
    """Return a short keyed hash of an email: the same author is recognisable, not readable."""
    if not email:
        return ""
    digest = hmac.new(secret.encode(), email.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def safe_link(url: str | None) -> str | None:
    """Return an article URL only if it is plain http(s); anything else is not a link."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def scores_view(scores: dict[str, Any] | None) -> list[tuple[str, int]]:
    """Return the classifier's spam and abuse scores as whole percentages."""
    shown = []
    for key in ("spam", "abuse"):
        value = (scores or {}).get(key)
        if isinstance(value, int | float):
            shown.append((key, round(float(value) * 100)))
    return shown


def snippet(text: str, length: int = 120) -> str:
    """Shorten a text for a one-line preview."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"
