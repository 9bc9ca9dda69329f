"""The moderation engine: pure functions from a comment and its context to a decision.

``evaluate`` normalizes the body once, runs the rule checks, scores the text with the
classifier, and lets the policy combine both (with moderator feedback) into a Decision.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from workers.engine.fingerprint import fingerprint
from workers.engine.normalize import normalize
from workers.engine.policy import decide
from workers.engine.rules import RULES_VERSION, run_checks
from workers.engine.rules.links import drop_page_links
from workers.engine.types import CommentInput, Context, Decision, Reason

log = logging.getLogger("duyet.engine")
ENGINE_VERSION = RULES_VERSION  # the rule side; a decision's version adds "+<model version>"


class ScoringModel(Protocol):
    """What the engine needs from a classifier (``classifier.TextModel`` fits)."""

    version: str

    def probabilities(self, text: str) -> dict[str, float]: ...


@lru_cache(maxsize=1)
def default_model() -> ScoringModel | None:
    """Load the shipped classifier once per process; None if it cannot be loaded."""
    try:
        from workers.engine.classifier import load_default_model

        return load_default_model()
    except Exception:  # a missing model must not stop moderation: everything is held instead
        log.exception("default classifier could not be loaded; comments will be held")
        return None


def engine_version(model: ScoringModel | None) -> str:
    """Name the rules and the model that made a decision, e.g. "rules-1+nb-3"."""
    return f"{RULES_VERSION}+{model.version if model is not None else 'none'}"


def _probabilities(model: ScoringModel | None, text: str) -> dict[str, float] | None:
    if model is None:
        return None
    try:
        return model.probabilities(text)
    except Exception:  # a scoring bug holds this comment rather than losing it
        log.exception("classifier failed on a comment; holding it")
        return None


def classifier_text(comment: CommentInput, context: Context) -> str:
    """The text the classifier scores: the body without links back to its own page."""
    return drop_page_links(comment.body, context.page_urls)


def has_words(text: str) -> bool:
    """True if text has a letter or digit: something for the classifier to read."""
    return any(c.isalnum() for c in text)


def evaluate(
    comment: CommentInput,
    context: Context,
    model: ScoringModel | None = None,
    *,
    outside: Sequence[Reason] = (),
) -> Decision:
    """Decide one comment: rules, classifier and feedback, every reason recorded."""
    scorer = model if model is not None else default_model()
    norm = normalize(comment.body)
    reasons = [*run_checks(comment, norm, context), *outside]
    text = classifier_text(comment, context)
    readable = has_words(text)
    probabilities = _probabilities(scorer, text) if readable else None
    verdict, scores, all_reasons = decide(reasons, probabilities, context, has_words=readable)
    return Decision(verdict, scores, all_reasons, engine_version(scorer))


__all__ = [
    "ENGINE_VERSION",
    "ScoringModel",
    "classifier_text",
    "default_model",
    "engine_version",
    "evaluate",
    "fingerprint",
    "normalize",
]
