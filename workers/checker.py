"""The engine, run inside an API request: service.checker.Checker for Akismet and Coral
(and, for the settings page, the engine's built-in profanity list).

It gathers the same context a moderation job does (site rules, article settings, posting
rates, near-duplicates, bans, author history, moderators' labels) for a comment that is
not stored, runs the engine, and learns labels the way a moderator's decision does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from service import metrics
from service.checker import CheckRequest, CheckResult
from service.context import Services
from service.errors import NotFound
from service.site_config import site_config
from service.store import accounts
from service.store.articles import get_article
from service.store.moderation_input import author_standing
from service.store.site_models import add_example
from workers import behaviour, runtime
from workers.engine import evaluate
from workers.engine.fingerprint import fingerprint
from workers.engine.rules import profanity
from workers.engine.types import Behaviour, CommentInput, Context
from workers.jobs import site_rules

# Checked comments are not stored, so they get ids of their own in the duplicate index:
# negative, never colliding with a stored comment's.
CHECK_SEQUENCE_KEY = "duyet:check-seq"


def _article_number(article_id: str | None) -> int:
    if not article_id:
        return 0
    return int(hashlib.sha256(article_id.encode()).hexdigest()[:12], 16)


class EngineChecker:
    """Score comments synchronously with the engine; learn from Akismet-style labels."""

    def check(self, svc: Services, request: CheckRequest) -> CheckResult:
        """Decide one unstored comment with the full context a job would give it."""
        comment = CommentInput(
            body=request.body,
            author_name=request.author_name,
            author_email=request.author_email,
            author_id=request.author_id,
            ip=request.ip,
            user_agent=request.user_agent,
            is_reply=request.is_reply,
        )
        context = self._context(svc, request, comment)
        decision = evaluate(comment, context, runtime.model_for(request.site_id))
        metrics.note_engine_version(decision.engine_version)
        return CheckResult(
            verdict=decision.verdict.value,
            scores=dict(decision.scores),
            reasons=decision.reasons_as_dicts(),
            engine_version=decision.engine_version,
        )

    def learn(self, svc: Services, site_id: int, body: str, label: str, source: str) -> None:
        """Remember a label for this text, as a moderator's decision would: at once for
        near-identical texts, and as a training example for the site's own model."""
        behaviour.remember_label(svc.redis, site_id, fingerprint(body), label)
        add_example(svc.db, site_id, body, label, source)

    def profanity_list(self, allowed: Sequence[str]) -> list[tuple[str, bool]]:
        """The built-in list's words, and which of them the site's allowed words cover."""
        return profanity.listed_words(tuple(allowed))

    def _context(self, svc: Services, request: CheckRequest, comment: CommentInput) -> Context:
        site = accounts.get_site(svc.db, request.site_id)
        closed, premoderated, stored_url = self._article(svc, request)
        page_url = request.page_url or stored_url
        approved, rejected, banned = self._standing(svc, request)
        fp = fingerprint(comment.body)
        return Context(
            rules=site_rules(site_config(site.config)),
            article_closed=closed,
            article_premoderated=premoderated,
            page_urls=(page_url,) if page_url else (),
            behaviour=Behaviour(
                **self._rates(svc, request, comment, fp),
                author_approved=approved,
                author_rejected=rejected,
                banned=banned,
            ),
            feedback=behaviour.feedback_for(svc.redis, request.site_id, fp),
        )

    @staticmethod
    def _article(svc: Services, request: CheckRequest) -> tuple[bool, bool, str]:
        """The stored article's closed and pre-moderated flags and its URL, if it is known."""
        if not request.article_id:
            return False, False, ""
        try:
            article = get_article(svc.db, request.site_id, request.article_id)
        except NotFound:
            return False, False, ""
        return article.closed, article.premoderated, article.url or ""

    @staticmethod
    def _standing(svc: Services, request: CheckRequest) -> tuple[int, int, tuple[str, ...]]:
        return author_standing(
            svc.db, request.site_id, request.author_email, request.author_id, request.ip
        )

    @staticmethod
    def _rates(
        svc: Services, request: CheckRequest, comment: CommentInput, fp: int
    ) -> dict[str, int]:
        if not request.remember:  # test traffic leaves no trace
            return {}
        rates = behaviour.posting_rates(
            svc.redis,
            request.site_id,
            {"ip": comment.ip, "email": comment.author_email, "author": comment.author_id},
        )
        own_id = -int(svc.redis.incr(CHECK_SEQUENCE_KEY))
        author = comment.author_id or comment.author_email or comment.ip or comment.author_name
        sighting = behaviour.Sighting(own_id, fp, _article_number(request.article_id), author)
        return {
            "ip_rate": rates.get("ip", 0),
            "email_rate": rates.get("email", 0),
            "author_rate": rates.get("author", 0),
            "duplicates": behaviour.count_duplicates(svc.redis, request.site_id, sighting),
        }
