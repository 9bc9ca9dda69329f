"""The engine's vocabulary: what goes in (a comment and its context) and what comes out.

The engine is pure: the worker job gathers everything the checks need (site rules,
article settings, posting rates, author history, near-duplicates, moderator feedback)
into a ``Context`` first, so every check is a plain function that is fast to test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """What the engine decides; each maps to the comment status of the same name."""

    APPROVE = "approve"
    HOLD = "hold"
    SPAM = "spam"
    REJECT = "reject"


# Severity order used by the policy: the strongest verdict any reason asks for wins.
VERDICT_STRENGTH = {Verdict.APPROVE: 0, Verdict.HOLD: 1, Verdict.SPAM: 2, Verdict.REJECT: 3}


@dataclass(frozen=True)
class Span:
    """A matched stretch of the original comment body, as character offsets [start, end)."""

    start: int
    end: int


@dataclass(frozen=True)
class Reason:
    """One finding of one check: a stable code, words for a moderator, and what it asks for."""

    code: str
    message: str
    verdict: Verdict
    spans: tuple[Span, ...] = ()
    detail: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "verdict": self.verdict.value,
            "spans": [[s.start, s.end] for s in self.spans],
            "detail": dict(self.detail),
        }


@dataclass(frozen=True)
class CommentInput:
    """The comment under review, as stored (body already NFC-normalized)."""

    body: str
    author_name: str = ""
    author_email: str | None = None
    author_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    is_reply: bool = False


@dataclass(frozen=True)
class Thresholds:
    """Classifier probability cut-offs of one site; pre-moderated articles hold everything."""

    spam_hold: float = 0.5
    spam_reject: float = 0.9
    abuse_hold: float = 0.5
    abuse_reject: float = 0.92


@dataclass(frozen=True)
class SiteRules:
    """Per-site rule settings, edited by a site admin."""

    banned_words: tuple[str, ...] = ()
    suspect_words: tuple[str, ...] = ()
    common_profanity: bool = True  # hold the built-in list (rules/profanity.py)
    profanity_allowed: tuple[str, ...] = ()  # words of that list the site publishes
    max_links: int = 2
    blocked_domains: tuple[str, ...] = ()
    max_length: int = 5000
    flood_per_minute: int = 5
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(frozen=True)
class Behaviour:
    """What the job measured around this comment (from Redis counters and the database)."""

    ip_rate: int = 0  # comments from the same IP in the last minute, this one included
    email_rate: int = 0
    author_rate: int = 0
    duplicates: int = 0  # near-identical texts seen in the duplicate window, other articles/authors
    author_approved: int = 0  # the author's earlier comments, by final status
    author_rejected: int = 0  # rejected or spam, recent
    banned: tuple[str, ...] = ()  # which of "email", "author", "ip" is banned on this site


@dataclass(frozen=True)
class Feedback:
    """A moderator's earlier verdict on a near-identical text of the same site."""

    label: str  # "ham", "spam" or "abuse"
    similarity: float  # 0..1


@dataclass(frozen=True)
class Context:
    """Everything besides the comment itself that the checks may look at."""

    rules: SiteRules = field(default_factory=SiteRules)
    article_closed: bool = False
    article_premoderated: bool = False
    # Where the comment was posted (the article's URL; Akismet's permalink): links back to
    # it are a reader sharing the article, not promotion (rules/links.py).
    page_urls: tuple[str, ...] = ()
    behaviour: Behaviour = field(default_factory=Behaviour)
    feedback: tuple[Feedback, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The engine's answer: one verdict, the scores behind it, every reason, and which engine."""

    verdict: Verdict
    scores: dict[str, float]
    reasons: tuple[Reason, ...]
    engine_version: str

    def reasons_as_dicts(self) -> list[dict[str, object]]:
        return [r.to_dict() for r in self.reasons]
