"""What every check builds its answer with."""

from __future__ import annotations

from collections.abc import Iterable

from workers.engine.types import Reason, Span, Verdict


def reason(
    code: str, message: str, verdict: Verdict, en: str, spans: Iterable[Span] = (), **extra: object
) -> Reason:
    """Build a Reason: Vietnamese message first, the English one and extras in ``detail``."""
    return Reason(code, message, verdict, tuple(spans), {"en": en, **extra})
