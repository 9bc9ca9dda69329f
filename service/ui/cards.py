"""Queue cards: a desk item with everything its template shows, built without HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.models import Comment
from service.store import desk
from service.store.db import Database
from service.ui import render


@dataclass
class Card:
    item: desk.DeskItem
    segments: list[render.Segment]
    reasons: list[render.ReasonView]
    scores: list[tuple[str, int]]
    email_hash: str
    article_link: str | None
    author: desk.AuthorSummary | None
    recent: list[Comment] = field(default_factory=list)
    ban_kinds: list[str] = field(default_factory=list)

    @property
    def comment(self) -> Comment:
        return self.item.comment


def _reasons_of(item: desk.DeskItem) -> list[dict[str, Any]]:
    reasons = item.system.reasons if item.system else []
    return [r for r in reasons if isinstance(r, dict)] if isinstance(reasons, list) else []


def build_cards(db: Database, items: list[desk.DeskItem], language: str, secret: str) -> list[Card]:
    """Build the cards of a page, with every author's history in a few queries."""
    authors = desk.author_summaries(db, [i.comment for i in items])
    cards = []
    for item in items:
        comment = item.comment
        reasons = _reasons_of(item)
        key = desk.author_key(comment)
        summary = authors.get((comment.site_id, *key)) if key else None
        recent = [c for c in summary.recent if c.id != comment.id][:3] if summary else []
        cards.append(
            Card(
                item=item,
                segments=render.segments(comment.body, reasons),
                reasons=render.reason_views(reasons, language),
                scores=render.scores_view(item.system.scores if item.system else None),
                email_hash=render.email_hash(comment.author_email, secret),
                article_link=render.safe_link(item.article.url),
                author=summary,
                recent=recent,
                ban_kinds=[
                    kind
                    for kind, value in (
                        ("email", comment.author_email),
                        ("author", comment.author_id),
                        ("ip", comment.ip),
                    )
                    if value
                ],
            )
        )
    return cards
